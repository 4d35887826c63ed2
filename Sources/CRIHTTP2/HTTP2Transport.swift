/// The byte stream an ``HTTP2Connection`` runs over.
///
/// HTTP/2 does not depend on the transport layer; the gRPC layer bridges its `ByteStream` into this
/// protocol. The semantics are those of `ByteStream`: `read` blocks the calling thread (the
/// connection calls it only from its own reader thread), `write` writes everything or throws, and
/// `close` makes a blocked `read` return promptly.
package protocol HTTP2Transport: AnyObject, Sendable {
    /// Reads at least one byte into `buffer`, blocking until data arrives. Returns 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes all of `bytes`, waiting for buffer space at most until `deadline` (if any).
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws
    /// Closes the stream; a blocked `read` returns promptly. Idempotent.
    func close()
}
