/// One stream of a ``SPDYConnection``: the headers it was opened with, and writes in its direction.
///
/// Handles are cheap; the connection keeps the stream's state.
package final class SPDYStream: Sendable {
    /// How the peer's side of a stream ended.
    package enum End: Sendable {
        /// The peer half-closed it (FIN): no more data will come.
        case finished
        /// The peer reset it (RST_STREAM with this status).
        case reset(UInt32)
        /// The connection ended first.
        case connectionEnded(StreamingError)
    }

    /// What to do with what the peer sends on the stream; both run on the connection's reader thread.
    package struct Handlers: Sendable {
        /// Bytes of one DATA frame. May block (back-pressure); call ``SPDYStream/consumed(_:)`` as the application
        /// takes them, so the peer's window opens again.
        package var data: @Sendable ([UInt8]) -> Void
        /// Called once when the peer's side ends.
        package var end: @Sendable (End) -> Void

        /// Creates handlers.
        package init(data: @escaping @Sendable ([UInt8]) -> Void, end: @escaping @Sendable (End) -> Void) {
            self.data = data
            self.end = end
        }
    }

    /// The stream id (odd: opened by the client).
    package let id: UInt32
    /// The headers of its SYN_STREAM.
    package let headers: SPDYHeaders
    private let connection: SPDYConnection

    init(id: UInt32, headers: SPDYHeaders, connection: SPDYConnection) {
        self.id = id
        self.headers = headers
        self.connection = connection
    }

    /// The Kubernetes `streamType` header (`error`, `stdin`, `stdout`, `stderr`, `resize`, `data`).
    package var streamType: String? { headers["streamtype"] }

    /// Writes `bytes` (in frames of at most `frameSize`), waiting for the peer's window where it does flow control.
    package func write(_ bytes: [UInt8], frameSize: Int, deadline: ContinuousClock.Instant) async throws(StreamingError)
    {
        guard !bytes.isEmpty else { return }
        try await connection.write(self, bytes, fin: false, frameSize: frameSize, deadline: deadline)
    }

    /// Writes without waiting for window, as spdystream does (server role).
    package func writeIgnoringWindow(_ bytes: [UInt8], frameSize: Int) throws(StreamingError) {
        guard !bytes.isEmpty else { return }
        try connection.writeIgnoringWindow(self, bytes, fin: false, frameSize: frameSize)
    }

    /// Half-closes our side: an empty DATA frame with FIN (how client-go closes stdin). Throws if already closed.
    package func finish() throws(StreamingError) {
        try connection.writeIgnoringWindow(self, [], fin: true, frameSize: 1)
    }

    /// Server role: accepts the stream (SYN_REPLY).
    package func reply() throws(StreamingError) {
        try connection.reply(self)
    }

    /// Resets the stream.
    package func reset(_ status: SPDYRstStatus = .cancel) {
        connection.reset(self, status: status)
    }

    /// The application took `count` bytes of this stream's data.
    package func consumed(_ count: Int) {
        connection.consumed(count, on: id)
    }

    /// A RST_STREAM status for messages.
    static func describe(rstStatus: UInt32) -> String {
        let names = [
            1: "PROTOCOL_ERROR", 2: "INVALID_STREAM", 3: "REFUSED_STREAM", 4: "UNSUPPORTED_VERSION", 5: "CANCEL",
            6: "INTERNAL_ERROR", 7: "FLOW_CONTROL_ERROR", 8: "STREAM_IN_USE", 9: "STREAM_ALREADY_CLOSED",
            10: "INVALID_CREDENTIALS", 11: "FRAME_TOO_LARGE",
        ]
        return names[Int(rstStatus)] ?? "status \(rstStatus)"
    }
}
