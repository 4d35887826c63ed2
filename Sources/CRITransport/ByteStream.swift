// CONTRACT: the transport owner may add members; these names and semantics stay.

/// A connected, ordered, reliable byte stream: a unix socket, a TCP connection, a named pipe.
///
/// Reads block the calling thread; callers run them on a dedicated I/O thread (see ``startIOThread(name:_:)``),
/// never on the Swift concurrency pool. Writes may be called from any thread, one at a time (callers serialize).
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
}

/// A bound server endpoint that hands out one ``ByteStream`` per accepted connection.
///
/// `accept()` blocks, like ``ByteStream/read(into:)``, so it belongs on a dedicated thread; `close()` may be called
/// from any thread and makes a blocked `accept()` throw ``TransportError/Code/closed`` promptly.
package protocol Listener: AnyObject, Sendable {
    /// Where clients reach this listener; for TCP port 0 this carries the port the system chose.
    var localEndpoint: Endpoint { get }
    /// Blocks until a client connects and returns its stream.
    ///
    /// - Throws: ``TransportError`` with code ``TransportError/Code/closed`` once the listener is closed.
    func accept() throws(TransportError) -> any ByteStream
    /// Stops listening, wakes a blocked `accept()` and removes the socket file (unix). Idempotent.
    func close()
}

extension Listener {
    /// Accepts connections until the listener is closed, handing each stream to `handler` on the calling thread.
    ///
    /// Returns normally when ``close()`` ends the loop; any other accept failure is thrown. The handler should hand
    /// the stream off quickly (for example to ``startIOThread(name:_:)``) so the next client is not kept waiting.
    package func acceptConnections(_ handler: (any ByteStream) -> Void) throws(TransportError) {
        while true {
            let stream: any ByteStream
            do {
                stream = try accept()
            } catch where error.code == .closed {
                return
            }
            handler(stream)
        }
    }
}
