/// The byte stream an ``HTTP2Connection`` runs over.
///
/// HTTP/2 does not depend on the transport layer; the gRPC layer bridges its `ByteStream` into this
/// protocol. The semantics are those of `ByteStream`: `read` blocks the calling thread (the
/// connection calls it from its own reader thread, or from a call's task right after
/// `waitForData` found data), `write` writes everything or throws, and `close` makes a blocked
/// `read` return promptly.
package protocol HTTP2Transport: AnyObject, Sendable {
    /// Reads at least one byte into `buffer`, blocking until data arrives. Returns 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes all of `bytes`, waiting for buffer space at most until `deadline` (if any).
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws
    /// Closes the stream; a blocked `read` returns promptly. Idempotent.
    func close()
    /// Waits at most `timeout` until `read` would not block: true then, false when the time ran out.
    /// Called by whoever holds the connection's read turn, like `read`.
    ///
    /// - Returns: nil when the transport cannot bound the wait (the default); the connection then
    ///   reads only on its reader thread, and calls never read their responses themselves.
    func waitForData(timeout: Duration) throws -> Bool?
}

extension HTTP2Transport {
    /// Transports that cannot wait with a time limit say so (see the requirement).
    package func waitForData(timeout: Duration) throws -> Bool? { nil }
}
