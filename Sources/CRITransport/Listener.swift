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
            } catch {
                if error.code == .closed { return }
                throw error
            }
            handler(stream)
        }
    }
}
