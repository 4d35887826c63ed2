import Synchronization

/// One exec or attach session with a runtime's streaming server (the Kubernetes remote-command protocol over
/// WebSocket), alive inside ``withStreamingSession(url:stdin:tty:options:isolation:_:)``.
///
/// Read ``stdout`` and ``stderr`` while the command runs, write stdin with ``writeStdin(_:)``, then await
/// ``exitStatus()``. Everything ends with the session's scope.
public final class StreamingSession: Sendable {
    /// The server's URL.
    public let url: StreamingURL
    /// The subprotocol the server chose.
    public let negotiatedProtocol: StreamProtocolVersion
    /// Whether the session was opened with stdin (otherwise ``writeStdin(_:)`` throws).
    public let hasStdin: Bool
    /// Whether the session is a terminal (stderr is then merged into stdout by the runtime).
    public let tty: Bool
    /// The command's stdout, chunk by chunk. Single consumer.
    public var stdout: StreamingByteSequence { stdoutBuffer.sequence }
    /// The command's stderr, chunk by chunk (empty with a tty). Single consumer.
    public var stderr: StreamingByteSequence { stderrBuffer.sequence }

    private struct State {
        var errorChannel: [UInt8] = []
        var outcome: RemoteCommandStatus.Outcome?
        var result: Result<StreamingExitStatus, StreamingError>?
        var waiters: [CheckedContinuation<Result<StreamingExitStatus, StreamingError>, Never>] = []
        var stdinClosed = false
        var closedLocally = false
    }

    private let connection: WebSocketConnection
    private let stdoutBuffer: ChunkBuffer
    private let stderrBuffer: ChunkBuffer
    private let state = Mutex(State())
    private let maxOutgoingMessageSize: Int

    init(
        url: StreamingURL,
        negotiatedProtocol: StreamProtocolVersion,
        hasStdin: Bool,
        tty: Bool,
        connection: WebSocketConnection,
        options: StreamingOptions
    ) {
        self.url = url
        self.negotiatedProtocol = negotiatedProtocol
        self.hasStdin = hasStdin
        self.tty = tty
        self.connection = connection
        self.stdoutBuffer = ChunkBuffer(limit: options.maxBufferedBytes)
        self.stderrBuffer = ChunkBuffer(limit: options.maxBufferedBytes)
        self.maxOutgoingMessageSize = options.maxOutgoingMessageSize
    }

    var handlers: WebSocketConnection.Handlers {
        WebSocketConnection.Handlers(
            message: { [self] opcode, payload in receive(opcode, payload) },
            end: { [self] ending in finish(ending) }
        )
    }

    // MARK: Writing

    /// Sends bytes to the command's stdin (split into messages of at most `maxOutgoingMessageSize`).
    ///
    /// Blocks the calling task while the server does not read, at most the write timeout.
    /// - Throws: ``StreamingError``: ``StreamingError/Code/unsupported`` without stdin or after ``closeStdin()``,
    ///   ``StreamingError/Code/connectionClosed`` once the session is over, ``StreamingError/Code/timedOut``.
    public func writeStdin(_ bytes: some Collection<UInt8>) async throws {
        guard hasStdin else {
            throw StreamingError(code: .unsupported, message: "\(url): the session was opened without stdin")
        }
        guard !state.withLock({ $0.stdinClosed }) else {
            throw StreamingError(code: .unsupported, message: "\(url): stdin is already closed")
        }
        let all = Array(bytes)
        var start = 0
        while start < all.count {
            let end = min(all.count, start + maxOutgoingMessageSize)
            try connection.sendBinary([RemoteCommandChannel.stdin] + all[start..<end])
            start = end
        }
    }

    /// Tells the command that stdin has ended.
    ///
    /// v5 sends the close signal `[255, 0]`. v4 has no way to end stdin short of closing the whole connection, which
    /// would lose the output and the exit status; then nothing is sent and `false` is returned, so a command that
    /// reads stdin to its end (like `cat`) keeps waiting.
    /// - Returns: whether the protocol could signal the end of stdin.
    @discardableResult
    public func closeStdin() async throws -> Bool {
        guard hasStdin, negotiatedProtocol.supportsStreamClose else { return false }
        let alreadyClosed = state.withLock { state -> Bool in
            defer { state.stdinClosed = true }
            return state.stdinClosed
        }
        if !alreadyClosed {
            try connection.sendBinary([RemoteCommandChannel.closeSignal, RemoteCommandChannel.stdin])
        }
        return true
    }

    /// Sends a terminal size change on the resize channel (used by the runtime only with a tty).
    public func resize(width: UInt16, height: UInt16) async throws {
        try connection.sendBinary([RemoteCommandChannel.resize] + TerminalSize(width: width, height: height).json)
    }

    // MARK: Result

    /// Waits for the command to end and returns its exit status (a non-zero exit code is a normal return).
    ///
    /// - Throws: ``StreamingError``: ``StreamingError/Code/remoteFailure`` when the runtime reports a failure that is
    ///   not an exit code; ``StreamingError/Code/connectionClosed`` when the connection ends without a status;
    ///   ``StreamingError/Code/cancelled`` when the session's scope ended first.
    ///
    /// Cancelling the waiting task ends the session (the connection is dropped) and throws
    /// ``StreamingError/Code/cancelled``.
    public func exitStatus() async throws -> StreamingExitStatus {
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<StreamingExitStatus, StreamingError>, Never>) in
                let ready = state.withLock { state -> Result<StreamingExitStatus, StreamingError>? in
                    if let result = state.result { return result }
                    state.waiters.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            shutDown()
        }
        return try result.get()
    }

    /// Ends the session now (the scope's end does this): closes the connection and ends the output sequences.
    func shutDown() {
        let running = state.withLock { state -> Bool in
            if state.result == nil { state.closedLocally = true }
            return state.result == nil
        }
        if running { connection.abort() }
        stdoutBuffer.finish()
        stderrBuffer.finish()
    }

    // MARK: Reader thread

    private func receive(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        guard opcode == .binary else {
            // The base64 (text) variants are never offered.
            fail(.channelProtocol("\(url)", "unexpected \(opcode) message"))
            return
        }
        guard let channel = payload.first else { return }
        let data = Array(payload.dropFirst())
        switch channel {
        case RemoteCommandChannel.stdout: stdoutBuffer.push(data)
        case RemoteCommandChannel.stderr: stderrBuffer.push(data)
        case RemoteCommandChannel.error: receiveStatus(data)
        case RemoteCommandChannel.closeSignal where negotiatedProtocol.supportsStreamClose:
            switch data.first {
            case RemoteCommandChannel.stdout: stdoutBuffer.finish()
            case RemoteCommandChannel.stderr: stderrBuffer.finish()
            default: break
            }
        default:
            // kubelet sends nothing else; ignore unknown channels for forward compatibility.
            break
        }
    }

    private func receiveStatus(_ data: [UInt8]) {
        // The first message on the error channel may be kubelet's empty "connection established" notice.
        guard !data.isEmpty else { return }
        let (outcome, tooLong) = state.withLock { state -> (RemoteCommandStatus.Outcome?, Bool) in
            guard state.outcome == nil else { return (nil, false) }
            state.errorChannel += data
            if state.errorChannel.count > 64 * 1024 { return (nil, true) }
            state.outcome = RemoteCommandStatus.decode(state.errorChannel)
            return (state.outcome, false)
        }
        if tooLong {
            fail(.channelProtocol("\(url)", "error channel message longer than 64 KiB without a valid status"))
        } else if outcome != nil {
            // The command is over: close now instead of waiting for the server to.
            connection.close()
        }
    }

    private func fail(_ error: StreamingError) {
        let waiters = state.withLock {
            state -> [CheckedContinuation<Result<StreamingExitStatus, StreamingError>, Never>] in
            guard state.result == nil else { return [] }
            state.result = .failure(error)
            defer { state.waiters = [] }
            return state.waiters
        }
        connection.abort()
        for waiter in waiters { waiter.resume(returning: .failure(error)) }
    }

    private func finish(_ ending: WebSocketConnection.Ending) {
        stdoutBuffer.finish()
        stderrBuffer.finish()
        let url = "\(self.url)"
        let (result, waiters) = state.withLock { state in
            if state.result == nil {
                switch state.outcome {
                case .exited(let code, let message)?:
                    state.result = .success(StreamingExitStatus(exitCode: code, message: message))
                case .failed(let message, _)?:
                    state.result = .failure(StreamingError(code: .remoteFailure, message: "\(url): \(message)"))
                case nil where state.closedLocally:
                    state.result = .failure(
                        StreamingError(
                            code: .cancelled, message: "\(url): the session was closed before the command ended"))
                case nil:
                    state.result = .failure(Self.endingError(ending, url: url, partialStatus: state.errorChannel))
                }
            }
            defer { state.waiters = [] }
            return (state.result!, state.waiters)  // Set just above when it was nil.
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    private static func endingError(_ ending: WebSocketConnection.Ending, url: String, partialStatus: [UInt8])
        -> StreamingError
    {
        var detail: String
        var underlying: (any Error & Sendable)?
        switch ending {
        case .closeFrame(let code, let reason):
            detail =
                "close frame" + (code.map { " \($0.rawValue)" } ?? "") + (reason.isEmpty ? "" : " \(quotedURL(reason))")
        case .endOfStream:
            detail = "end of stream"
        case .failed(let error):
            if error.code == .protocolViolation || error.code == .messageTooLarge { return error }
            detail = error.message
            underlying = error
        }
        if !partialStatus.isEmpty {
            let text = String(decoding: partialStatus.prefix(200), as: UTF8.self)
            detail += "; error channel said \(quotedURL(text))"
        }
        var error = StreamingError.closedWithoutStatus(url, detail)
        error.underlying = underlying
        return error
    }
}
