/// Opens an exec or attach session to `url` (from `ExecResponse.url` / `AttachResponse.url`), runs `body`, and
/// closes the session when `body` returns or throws.
///
/// Speaks SPDY/3.1 by default, offering v5 down to `channel.k8s.io` like crictl, which every containerd accepts and
/// where stdin can always be closed; ``StreamingOptions/transport`` selects WebSocket (v5 then v4; containerd
/// 1.6–2.4 accept only v4 there, which cannot close stdin).
///
/// ```swift
/// let status = try await withStreamingSession(url: response.url, stdin: true) { session in
///     async let output = session.stdout.collect()
///     try await session.writeStdin(Array("hello".utf8))
///     try await session.closeStdin()
///     print(await output)
///     return try await session.exitStatus()
/// }
/// ```
///
/// - Parameters:
///   - url: the streaming URL; a relative one is resolved against ``StreamingOptions/baseURL``.
///   - stdin: whether the exec/attach request asked for stdin (enables ``StreamingSession/writeStdin(_:)``).
///   - tty: whether it asked for a terminal.
/// - Throws: ``StreamingError`` from the connection or upgrade (naming the URL, with the HTTP status and body start
///   on refusal), or whatever `body` throws.
public func withStreamingSession<Result>(
    url: String,
    stdin: Bool = false,
    tty: Bool = false,
    options: StreamingOptions = .defaults,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (StreamingSession) async throws -> Result
) async throws -> Result {
    let parsed = try StreamingURL(parsing: url, relativeTo: options.baseURL)
    let offered = options.protocols.map(\.rawValue)
    let session: StreamingSession
    switch options.transport {
    case .webSocket:
        let dialed = try await StreamingDialer.dialWebSocket(url: parsed, protocols: offered, options: options)
        session = StreamingSession(
            url: parsed, negotiatedProtocol: StreamProtocolVersion(rawValue: dialed.chosen), hasStdin: stdin,
            tty: tty, backend: .webSocket(dialed.connection), options: options)
        try dialed.connection.start(initialBytes: dialed.leftover, handlers: session.webSocketHandlers)
    case .spdy:
        let deadline = ContinuousClock.now.advanced(by: options.handshakeTimeout)
        let dialed = try await StreamingDialer.dialSPDY(url: parsed, protocols: offered, options: options)
        session = StreamingSession(
            url: parsed, negotiatedProtocol: StreamProtocolVersion(rawValue: dialed.chosen), hasStdin: stdin,
            tty: tty, backend: .spdy(dialed.connection), options: options)
        try dialed.connection.start(initialBytes: dialed.leftover, handlers: session.spdyHandlers)
        do {
            // crictl asks for stdout always and stderr without a tty; the server expects exactly those streams.
            try await session.openSPDYChannels(stdout: true, stderr: !tty, deadline: deadline)
        } catch {
            session.shutDown()
            throw error
        }
    }
    defer { session.shutDown() }
    return try await body(session)
}

/// What ``runStreamingCommand(url:stdin:tty:options:)`` collected.
public struct StreamingCommandOutput: Hashable, Sendable {
    /// Everything the command wrote to stdout.
    public var stdout: [UInt8]
    /// Everything it wrote to stderr.
    public var stderr: [UInt8]
    /// How it ended.
    public var exitStatus: StreamingExitStatus
    /// The subprotocol used.
    public var negotiatedProtocol: StreamProtocolVersion
    /// The transport used.
    public var transport: StreamingTransport
    /// Whether stdin could be closed after `stdin` was written (false on WebSocket v4).
    public var stdinClosed: Bool
}

/// Runs a whole non-interactive exec: writes `stdin` (if given) and closes it where the protocol allows, collects
/// stdout and stderr, and returns them with the exit status.
///
/// - Important: over WebSocket, v4 servers (containerd 1.6–2.4) cannot be told that stdin ended, so a command that
///   reads stdin to its end (`cat`) never exits there; ``StreamingCommandOutput/stdinClosed`` is false in that case.
///   Cancel the calling task to end such a session (it throws ``StreamingError/Code/cancelled``), or use the default
///   SPDY transport, which always closes stdin.
///
/// - Throws: ``StreamingError``, as ``withStreamingSession(url:stdin:tty:options:isolation:_:)`` and
///   ``StreamingSession/exitStatus()`` do.
public func runStreamingCommand(
    url: String,
    stdin: [UInt8]? = nil,
    tty: Bool = false,
    options: StreamingOptions = .defaults
) async throws -> StreamingCommandOutput {
    try await withStreamingSession(url: url, stdin: stdin != nil, tty: tty, options: options) { session in
        async let stdout = session.stdout.collect()
        async let stderr = session.stderr.collect()
        var closed = false
        if let stdin {
            do {
                if !stdin.isEmpty { try await session.writeStdin(stdin) }
                closed = try await session.closeStdin()
            } catch let error as StreamingError where error.code != .timedOut {
                // A command may end without reading all its stdin (`true`, `head -c 5`); then writing fails while
                // the exit status is on its way. Like client-go, the status decides: it throws if the session
                // failed. (A timeout is different: the command is alive but does not read, so it is the error.)
                closed = session.canCloseStdin
            }
        }
        let status = try await session.exitStatus()
        return StreamingCommandOutput(
            stdout: await stdout,
            stderr: await stderr,
            exitStatus: status,
            negotiatedProtocol: session.negotiatedProtocol,
            transport: session.transport,
            stdinClosed: closed
        )
    }
}
