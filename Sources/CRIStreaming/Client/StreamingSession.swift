import Synchronization

/// One exec or attach session with a runtime's streaming server (the Kubernetes remote-command protocol over
/// SPDY/3.1 or WebSocket), alive inside ``withStreamingSession(url:stdin:tty:options:isolation:_:)``.
///
/// Read ``stdout`` and ``stderr`` while the command runs, write stdin with ``writeStdin(_:)``, then await
/// ``exitStatus()``. Everything ends with the session's scope.
public final class StreamingSession: Sendable {
    /// The server's URL.
    public let url: StreamingURL
    /// The subprotocol the server chose.
    public let negotiatedProtocol: StreamProtocolVersion
    /// The transport the session runs over.
    public let transport: StreamingTransport
    /// Whether the session was opened with stdin (otherwise ``writeStdin(_:)`` throws).
    public let hasStdin: Bool
    /// Whether the session is a terminal (stderr is then merged into stdout by the runtime).
    public let tty: Bool
    /// Whether ``closeStdin()`` can really end the command's stdin: always over SPDY (the stdin stream is
    /// half-closed), over WebSocket only with v5. False without stdin. A caller piping stdin into a session where
    /// this is false should warn: a command that reads to EOF (`cat`, `wc`) will not end.
    public var canCloseStdin: Bool {
        hasStdin && (transport == .spdy || negotiatedProtocol.supportsStreamClose)
    }
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

    /// The connection underneath, and over SPDY the channel streams once opened.
    enum Backend: Sendable {
        case webSocket(WebSocketConnection)
        case spdy(SPDYConnection)
    }

    /// The SPDY streams of the channels (client-go opens error first, then stdin, stdout, stderr, resize).
    struct SPDYChannels: Sendable {
        var error: SPDYStream?
        var stdin: SPDYStream?
        var stdout: SPDYStream?
        var stderr: SPDYStream?
        var resize: SPDYStream?

        var all: [SPDYStream] { [error, stdin, stdout, stderr, resize].compactMap { $0 } }
    }

    private let backend: Backend
    private let channels = Mutex(SPDYChannels())
    private let writeTimeout: Duration
    private let stdoutBuffer: ChunkBuffer
    private let stderrBuffer: ChunkBuffer
    private let state = Mutex(State())
    private let maxOutgoingMessageSize: Int

    init(
        url: StreamingURL,
        negotiatedProtocol: StreamProtocolVersion,
        hasStdin: Bool,
        tty: Bool,
        backend: Backend,
        options: StreamingOptions
    ) {
        self.url = url
        self.negotiatedProtocol = negotiatedProtocol
        self.hasStdin = hasStdin
        self.tty = tty
        self.backend = backend
        switch backend {
        case .webSocket: self.transport = .webSocket
        case .spdy: self.transport = .spdy
        }
        self.stdoutBuffer = ChunkBuffer(limit: options.maxBufferedBytes)
        self.stderrBuffer = ChunkBuffer(limit: options.maxBufferedBytes)
        self.maxOutgoingMessageSize = options.maxOutgoingMessageSize
        self.writeTimeout = options.writeTimeout
    }

    var webSocketHandlers: WebSocketConnection.Handlers {
        WebSocketConnection.Handlers(
            message: { [self] opcode, payload in receive(opcode, payload) },
            end: { [self] ending in finish { url, partial in Self.endingError(ending, url: url, partialStatus: partial) } }
        )
    }

    var spdyHandlers: SPDYConnection.Handlers {
        SPDYConnection.Handlers(end: { [self] ending in
            // A clean end settles a plain-text status; a broken connection does not pass for success.
            if case .endOfStream = ending, !negotiatedProtocol.hasStatusDocument { settlePlainTextStatus() }
            finish { url, partial in Self.endingError(ending, url: url, partialStatus: partial) }
        })
    }

    /// Opens the channel streams the request asked for, as client-go does (error first), and waits for the
    /// server's replies until `deadline`.
    func openSPDYChannels(stdout: Bool, stderr: Bool, deadline: ContinuousClock.Instant) async throws(StreamingError)
    {
        guard case .spdy(let connection) = backend else { return }
        func open(_ type: String, _ handlers: SPDYStream.Handlers) throws(StreamingError) -> SPDYStream {
            try connection.openStream(headers: SPDYHeaders([("streamtype", type)]), handlers: handlers)
        }
        let ignore = SPDYStream.Handlers(data: { _ in }, end: { _ in })
        var opened = SPDYChannels()
        let error = try open(
            "error",
            SPDYStream.Handlers(
                data: { [self] data in receiveStatus(data) },
                end: { [self] end in
                    if case .connectionEnded = end { return }
                    if negotiatedProtocol.hasStatusDocument {
                        errorStreamEndedWithoutStatus(end)
                    } else {
                        settlePlainTextStatus()
                    }
                }))
        opened.error = error
        if hasStdin { opened.stdin = try open("stdin", ignore) }
        if stdout { opened.stdout = try open("stdout", output(stdoutBuffer)) }
        if stderr { opened.stderr = try open("stderr", output(stderrBuffer)) }
        if tty, negotiatedProtocol.supportsResize { opened.resize = try open("resize", ignore) }
        if let stream = opened.stdout { stdoutBuffer.onConsume { stream.consumed($0) } }
        if let stream = opened.stderr { stderrBuffer.onConsume { stream.consumed($0) } }
        let all = opened
        channels.withLock { $0 = all }
        if !stdout { stdoutBuffer.finish() }
        if !stderr { stderrBuffer.finish() }
        do throws(StreamingError) {
            for stream in all.all { try await connection.waitForReply(stream, deadline: deadline) }
        } catch {
            // The reader may settle the session first: a reset error stream fails it and aborts the connection, so
            // a wait that starts after that sees only "closed locally". The session's own verdict says more.
            if case .failure(let settled)? = state.withLock({ $0.result }) { throw settled }
            throw error
        }
    }

    private func output(_ buffer: ChunkBuffer) -> SPDYStream.Handlers {
        SPDYStream.Handlers(data: { buffer.push($0) }, end: { _ in buffer.finish() })
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
        switch backend {
        case .webSocket(let connection):
            var start = 0
            while start < all.count {
                let end = min(all.count, start + maxOutgoingMessageSize)
                try connection.sendBinary([RemoteCommandChannel.stdin] + all[start..<end])
                start = end
            }
        case .spdy:
            guard let stdin = channels.withLock({ $0.stdin }) else { return }
            try await stdin.write(
                all, frameSize: maxOutgoingMessageSize, deadline: .now.advanced(by: writeTimeout))
        }
    }

    /// Tells the command that stdin has ended.
    ///
    /// Over SPDY the stdin stream is half-closed (FIN), as client-go does. Over WebSocket, v5 sends the close signal
    /// `[255, 0]`; v4 has no way to end stdin short of closing the whole connection, which would lose the output and
    /// the exit status; then nothing is sent and `false` is returned, so a command that reads stdin to its end (like
    /// `cat`) keeps waiting. See ``canCloseStdin``.
    /// - Returns: whether the protocol could signal the end of stdin.
    @discardableResult
    public func closeStdin() async throws -> Bool {
        guard canCloseStdin else { return false }
        let alreadyClosed = state.withLock { state -> Bool in
            defer { state.stdinClosed = true }
            return state.stdinClosed
        }
        guard !alreadyClosed else { return true }
        switch backend {
        case .webSocket(let connection):
            try connection.sendBinary([RemoteCommandChannel.closeSignal, RemoteCommandChannel.stdin])
        case .spdy:
            try channels.withLock({ $0.stdin })?.finish()
        }
        return true
    }

    /// Sends a terminal size change on the resize channel (used by the runtime only with a tty).
    ///
    /// - Throws: ``StreamingError/Code/unsupported`` over SPDY when the session has no resize stream (no tty, or a
    ///   server older than v3).
    public func resize(width: UInt16, height: UInt16) async throws {
        let json = TerminalSize(width: width, height: height).json
        switch backend {
        case .webSocket(let connection):
            try connection.sendBinary([RemoteCommandChannel.resize] + json)
        case .spdy:
            guard let resize = channels.withLock({ $0.resize }) else {
                throw StreamingError(
                    code: .unsupported,
                    message: "\(url): no resize stream (it needs a tty and v3 or later; \(negotiatedProtocol) was chosen)")
            }
            try await resize.write(json, frameSize: maxOutgoingMessageSize, deadline: .now.advanced(by: writeTimeout))
        }
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
        if running { abortConnection() }
        stdoutBuffer.finish()
        stderrBuffer.finish()
    }

    private func abortConnection() {
        switch backend {
        case .webSocket(let connection): connection.abort()
        case .spdy(let connection): connection.abort()
        }
    }

    private func closeConnection() {
        switch backend {
        case .webSocket(let connection): connection.close()
        case .spdy(let connection): connection.close()
        }
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
        channels.withLock { $0.error }?.consumed(data.count)
        let documented = negotiatedProtocol.hasStatusDocument
        let (outcome, tooLong) = state.withLock { state -> (RemoteCommandStatus.Outcome?, Bool) in
            guard state.outcome == nil else { return (nil, false) }
            state.errorChannel += data
            if state.errorChannel.count > 64 * 1024 { return (nil, true) }
            // Before v4 the text is only complete when the stream ends.
            if documented { state.outcome = RemoteCommandStatus.decode(state.errorChannel) }
            return (state.outcome, false)
        }
        if tooLong {
            fail(.channelProtocol("\(url)", "error channel message longer than 64 KiB without a valid status"))
        } else if outcome != nil {
            // The command is over: close now instead of waiting for the server to.
            closeConnection()
        }
    }

    /// v4/v5 over SPDY: the error stream ended; without a status by then none will come.
    private func errorStreamEndedWithoutStatus(_ end: SPDYStream.End) {
        let (missing, partial) = state.withLock { ($0.outcome == nil && $0.result == nil, $0.errorChannel) }
        guard missing else { return }
        let how: String
        switch end {
        case .reset(let status): how = "the server reset the error stream (\(SPDYStream.describe(rstStatus: status)))"
        default: how = "the error stream ended"
        }
        fail(Self.closedWithoutStatus(url: "\(url)", detail: how, underlying: nil, partialStatus: partial))
    }

    /// v1–v3 over SPDY: the error stream ended (or the connection did), so its text is the whole verdict: empty is
    /// success, anything else the runtime's error message (client-go reads it the same way).
    private func settlePlainTextStatus() {
        let settled = state.withLock { state -> Bool in
            guard state.outcome == nil, !state.closedLocally else { return false }
            let text = String(decoding: state.errorChannel, as: UTF8.self).trimmingASCIIWhitespace()
            state.outcome = text.isEmpty ? .exited(code: 0, message: nil) : .failed(message: text, reason: nil)
            return true
        }
        if settled { closeConnection() }
    }

    private func fail(_ error: StreamingError) {
        let waiters = state.withLock {
            state -> [CheckedContinuation<Result<StreamingExitStatus, StreamingError>, Never>] in
            guard state.result == nil else { return [] }
            state.result = .failure(error)
            defer { state.waiters = [] }
            return state.waiters
        }
        abortConnection()
        for waiter in waiters { waiter.resume(returning: .failure(error)) }
    }

    private func finish(_ endingError: (_ url: String, _ partialStatus: [UInt8]) -> StreamingError) {
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
                    state.result = .failure(endingError(url, state.errorChannel))
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
        return closedWithoutStatus(url: url, detail: detail, underlying: underlying, partialStatus: partialStatus)
    }

    private static func endingError(_ ending: SPDYConnection.Ending, url: String, partialStatus: [UInt8])
        -> StreamingError
    {
        switch ending {
        case .endOfStream(let goAway):
            return closedWithoutStatus(
                url: url, detail: goAway ? "GOAWAY, then end of stream" : "end of stream", underlying: nil,
                partialStatus: partialStatus)
        case .failed(let error):
            if error.code == .protocolViolation || error.code == .messageTooLarge { return error }
            return closedWithoutStatus(url: url, detail: error.message, underlying: error, partialStatus: partialStatus)
        }
    }

    private static func closedWithoutStatus(
        url: String, detail: String, underlying: (any Error & Sendable)?, partialStatus: [UInt8]
    ) -> StreamingError {
        var detail = detail
        if !partialStatus.isEmpty {
            let text = String(decoding: partialStatus.prefix(200), as: UTF8.self)
            detail += "; error channel said \(quotedURL(text))"
        }
        var error = StreamingError.closedWithoutStatus(url, detail)
        error.underlying = underlying
        return error
    }
}
