// CONTRACT: the transport owner may add members; these names and semantics stay.

/// A connected, ordered, reliable byte stream: a unix socket, a TCP connection, a named pipe.
///
/// Reads block the calling thread; callers run them on a dedicated I/O thread (see ``startIOThread(name:_:)``),
/// never on the Swift concurrency pool, unless ``waitForData(timeout:)`` said data is there. Writes may be called
/// from any thread, one at a time (callers serialize).
///
/// - Important: after a `write` fails (including with ``TransportError/Code/timedOut``) an unknown prefix of the
///   bytes may have been sent; the byte stream is no longer framed and the caller should `close()` it.
package protocol ByteStream: AnyObject, Sendable {
    /// Reads at least one byte into `buffer`, blocking until data arrives. Returns 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int
    /// Writes all of `bytes`, waiting for buffer space at most until `deadline` (if any).
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(TransportError)
    /// Stops further writes (half-close); reads may continue.
    func shutdownWrite()
    /// Closes the stream; a blocked `read` returns (0 or an error) promptly. Idempotent.
    func close()
    /// Waits at most `timeout` until `read` would not block (data, end of stream or an error is
    /// there): true then, false when the time ran out. Like `read`, one caller at a time.
    ///
    /// This is what lets a task on the concurrency pool read briefly without risking a long block.
    /// - Returns: nil when this stream cannot bound the wait (the default); callers then read only
    ///   on their dedicated thread.
    func waitForData(timeout: Duration) throws(TransportError) -> Bool?
}

extension ByteStream {
    /// Streams that cannot wait with a time limit say so (see the requirement).
    package func waitForData(timeout: Duration) throws(TransportError) -> Bool? { nil }
}
