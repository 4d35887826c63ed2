import Synchronization

/// The server's side of one exec or attach session, handed to the handler registered with
/// ``StreamingServer/registerExec(_:handler:)``.
///
/// The handler reads ``stdin`` (which ends when the client closes it — SPDY FIN, the WebSocket v5 close signal — or
/// when the connection ends), writes output with ``writeStdout(_:)``/``writeStderr(_:)`` and returns the exit code;
/// the server then sends the status and closes.
public final class ExecServerSession: Sendable {
    /// What the registration asked for.
    public let request: StreamingExecRequest
    /// The subprotocol chosen for this connection.
    public let negotiatedProtocol: StreamProtocolVersion
    /// The transport the client came over.
    public let transport: StreamingTransport
    /// The client's stdin, chunk by chunk; ends when the client closes stdin or the connection ends.
    public var stdin: StreamingByteSequence { stdinBuffer.sequence }
    /// Terminal size changes sent by the client.
    public let resizeEvents: AsyncStream<TerminalSize>

    /// The command (shorthand for `request.command`).
    public var command: [String] { request.command }

    /// The connection underneath; over SPDY the channel streams the client opened.
    enum Backend: Sendable {
        case webSocket(WebSocketConnection)
        case spdy(SPDYConnection, SPDYServerChannels)
    }

    private let inputs: ExecServerInputs
    private var stdinBuffer: ChunkBuffer { inputs.stdin }
    private var resizeContinuation: AsyncStream<TerminalSize>.Continuation { inputs.resizeContinuation }
    private let backend: Backend
    private let maxOutgoingMessageSize = 32 * 1024

    init(
        request: StreamingExecRequest, negotiatedProtocol: StreamProtocolVersion, backend: Backend,
        inputs: ExecServerInputs
    ) {
        self.request = request
        self.negotiatedProtocol = negotiatedProtocol
        self.backend = backend
        switch backend {
        case .webSocket: transport = .webSocket
        case .spdy: transport = .spdy
        }
        self.inputs = inputs
        self.resizeEvents = inputs.resizeEvents
        if !request.stdin { inputs.stdin.finish() }
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
        switch backend {
        case .webSocket(let connection): connection.abort()
        case .spdy(let connection, _): connection.abort()
        }
    }

    private func write(channel: UInt8, _ bytes: [UInt8]) throws(StreamingError) {
        switch backend {
        case .webSocket(let connection):
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + maxOutgoingMessageSize)
                try connection.sendBinary([channel] + bytes[start..<end])
                start = end
            }
        case .spdy(_, let channels):
            // Like spdystream, the server writes without waiting for the client's window.
            try channels.stream(for: channel)?.writeIgnoringWindow(bytes, frameSize: maxOutgoingMessageSize)
        }
    }

    var webSocketHandlers: WebSocketConnection.Handlers {
        WebSocketConnection.Handlers(
            message: { [self] opcode, payload in receive(opcode, payload) },
            end: { [self] _ in connectionEnded() }
        )
    }

    func connectionEnded() {
        inputs.finish()
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
            if case .webSocket(let connection) = backend {
                // kubelet (WebSocket only): "Send an empty message to the lowest writable channel to notify the
                // client the connection is established".
                let notice =
                    request.stdout
                    ? RemoteCommandChannel.stdout
                    : request.stderr ? RemoteCommandChannel.stderr : RemoteCommandChannel.error
                try? connection.sendBinary([notice])
            }
            let status: [UInt8]
            do {
                let code = try await handler(self)
                status = Self.status(exitCode: code, documented: negotiatedProtocol.hasStatusDocument)
            } catch {
                let message = "error executing command in container: \(error)"
                status =
                    negotiatedProtocol.hasStatusDocument
                    ? RemoteCommandStatus.internalError(message) : Array(message.utf8)
            }
            finish(status: status)
        }
    }

    /// v4/v5: a `metav1.Status`; before v4 plain text, nothing on success (kubelet's `writeStatus` per version).
    private static func status(exitCode: Int32, documented: Bool) -> [UInt8] {
        if documented { return exitCode == 0 ? RemoteCommandStatus.success() : RemoteCommandStatus.exitCode(exitCode) }
        return exitCode == 0 ? [] : Array("command terminated with non-zero exit code: exit status \(exitCode)".utf8)
    }

    private func finish(status: [UInt8]) {
        switch backend {
        case .webSocket(let connection):
            try? connection.sendBinary([RemoteCommandChannel.error] + status)
            connection.close()
        case .spdy(let connection, let channels):
            try? channels.error.writeIgnoringWindow(status, frameSize: maxOutgoingMessageSize)
            for stream in [channels.error, channels.stdout, channels.stderr].compactMap({ $0 }) {
                try? stream.finish()
            }
            connection.close()
        }
    }
}

/// The streams a SPDY exec client opened, by `streamType`.
struct SPDYServerChannels: Sendable {
    var error: SPDYStream
    var stdin: SPDYStream?
    var stdout: SPDYStream?
    var stderr: SPDYStream?
    var resize: SPDYStream?

    func stream(for channel: UInt8) -> SPDYStream? {
        switch channel {
        case RemoteCommandChannel.stdout: stdout
        case RemoteCommandChannel.stderr: stderr
        case RemoteCommandChannel.error: error
        default: nil
        }
    }
}

/// Where a session's client input goes (stdin, resize), made before the session so that SPDY streams arriving one
/// by one have somewhere to deliver to.
struct ExecServerInputs: Sendable {
    let stdin: ChunkBuffer
    let resizeEvents: AsyncStream<TerminalSize>
    let resizeContinuation: AsyncStream<TerminalSize>.Continuation

    init(maxBufferedBytes: Int) {
        stdin = ChunkBuffer(limit: maxBufferedBytes)
        (resizeEvents, resizeContinuation) = AsyncStream.makeStream(
            of: TerminalSize.self, bufferingPolicy: .bufferingNewest(16))
    }

    func finish() {
        stdin.finish()
        resizeContinuation.finish()
    }

    /// Over SPDY: what the client sends on a stream of this type (only stdin and resize carry anything).
    func spdyHandlers(forStreamType type: String, stream: SPDYStream) -> SPDYStream.Handlers {
        switch type {
        case "stdin":
            stdin.onConsume { stream.consumed($0) }
            // FIN is how client-go closes stdin; a reset ends it too.
            return SPDYStream.Handlers(data: { [stdin] in stdin.push($0) }, end: { [stdin] _ in stdin.finish() })
        case "resize":
            return SPDYStream.Handlers(
                data: { [resizeContinuation] data in
                    stream.consumed(data.count)
                    if let size = TerminalSize(json: data) { resizeContinuation.yield(size) }
                },
                end: { _ in })
        default:
            return SPDYStream.Handlers(data: { stream.consumed($0.count) }, end: { _ in })
        }
    }
}
