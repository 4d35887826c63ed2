import Synchronization

/// The server's side of one exec or attach session, handed to the handler registered with
/// ``StreamingServer/registerExec(_:handler:)``.
///
/// The handler reads ``stdin`` (which ends on the v5 close signal or when the connection ends), writes output with
/// ``writeStdout(_:)``/``writeStderr(_:)`` and returns the exit code; the server then sends the status and closes.
public final class ExecServerSession: Sendable {
    /// What the registration asked for.
    public let request: StreamingExecRequest
    /// The subprotocol chosen for this connection.
    public let negotiatedProtocol: StreamProtocolVersion
    /// The client's stdin, chunk by chunk; ends at the v5 close signal or the end of the connection.
    public var stdin: StreamingByteSequence { stdinBuffer.sequence }
    /// Terminal size changes sent by the client.
    public let resizeEvents: AsyncStream<TerminalSize>

    /// The command (shorthand for `request.command`).
    public var command: [String] { request.command }

    private let stdinBuffer: ChunkBuffer
    private let resizeContinuation: AsyncStream<TerminalSize>.Continuation
    let connection: WebSocketConnection
    private let maxOutgoingMessageSize = 32 * 1024

    init(
        request: StreamingExecRequest, negotiatedProtocol: StreamProtocolVersion, connection: WebSocketConnection,
        maxBufferedBytes: Int
    ) {
        self.request = request
        self.negotiatedProtocol = negotiatedProtocol
        self.connection = connection
        self.stdinBuffer = ChunkBuffer(limit: maxBufferedBytes)
        (self.resizeEvents, self.resizeContinuation) = AsyncStream.makeStream(
            of: TerminalSize.self, bufferingPolicy: .bufferingNewest(16))
        if !request.stdin { stdinBuffer.finish() }
    }

    /// Writes to the client's stdout (dropped if the request did not ask for stdout).
    ///
    /// - Throws: ``StreamingError`` once the connection is gone.
    public func writeStdout(_ bytes: some Collection<UInt8>) throws {
        guard request.stdout else { return }
        try write(channel: RemoteCommandChannel.stdout, Array(bytes))
    }

    /// Writes to the client's stderr (dropped if the request did not ask for stderr).
    ///
    /// - Throws: ``StreamingError`` once the connection is gone.
    public func writeStderr(_ bytes: some Collection<UInt8>) throws {
        guard request.stderr else { return }
        try write(channel: RemoteCommandChannel.stderr, Array(bytes))
    }

    /// Drops the connection at once, without a status or close frame (fault injection: a runtime that dies).
    public func abortConnection() {
        connection.abort()
    }

    private func write(channel: UInt8, _ bytes: [UInt8]) throws(StreamingError) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + maxOutgoingMessageSize)
            try connection.sendBinary([channel] + bytes[start..<end])
            start = end
        }
    }

    var handlers: WebSocketConnection.Handlers {
        WebSocketConnection.Handlers(
            message: { [self] opcode, payload in receive(opcode, payload) },
            end: { [self] _ in
                stdinBuffer.finish()
                resizeContinuation.finish()
            }
        )
    }

    private func receive(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        guard opcode == .binary, let channel = payload.first else { return }
        switch channel {
        case RemoteCommandChannel.stdin where request.stdin:
            stdinBuffer.push(Array(payload.dropFirst()))
        case RemoteCommandChannel.resize:
            if let size = TerminalSize(json: Array(payload.dropFirst())) { resizeContinuation.yield(size) }
        case RemoteCommandChannel.closeSignal where negotiatedProtocol.supportsStreamClose:
            if payload.count >= 2, payload[1] == RemoteCommandChannel.stdin { stdinBuffer.finish() }
        default:
            break
        }
    }

    /// Runs `handler`, then sends the status the way kubelet does and closes the connection.
    func run(_ handler: @escaping StreamingServer.ExecHandler) {
        Task {
            // kubelet: "Send an empty message to the lowest writable channel to notify the client the connection
            // is established".
            let notice =
                request.stdout
                ? RemoteCommandChannel.stdout
                : request.stderr ? RemoteCommandChannel.stderr : RemoteCommandChannel.error
            try? connection.sendBinary([notice])
            let status: [UInt8]
            do {
                let code = try await handler(self)
                status = code == 0 ? RemoteCommandStatus.success() : RemoteCommandStatus.exitCode(code)
            } catch {
                status = RemoteCommandStatus.internalError("error executing command in container: \(error)")
            }
            try? connection.sendBinary([RemoteCommandChannel.error] + status)
            connection.close()
        }
    }
}
