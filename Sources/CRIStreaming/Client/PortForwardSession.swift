import Synchronization

/// One forwarded port inside a ``PortForwardSession``: a byte stream to the port in the pod.
public final class PortForwardStream: Sendable {
    /// The port in the pod.
    public let port: UInt16
    /// Bytes from the port, chunk by chunk; ends when the session ends. Single consumer.
    public var received: StreamingByteSequence { buffer.sequence }
    /// What the runtime reported on this port's error channel so far (e.g. "connection refused"), or nil.
    public var errorMessage: String? {
        state.withLock { $0.errorText.isEmpty ? nil : String(decoding: $0.errorText, as: UTF8.self) }
    }

    private struct State {
        var dataPrefixSeen = false
        var errorPrefixSeen = false
        var errorText: [UInt8] = []
    }

    let index: Int
    let buffer: ChunkBuffer
    private let state = Mutex(State())
    private let backend: PortForwardSession.Backend
    /// Over SPDY, this port's data stream, once opened.
    let dataStream = Mutex<SPDYStream?>(nil)
    private let maxOutgoingMessageSize: Int
    private let writeTimeout: Duration

    init(port: UInt16, index: Int, backend: PortForwardSession.Backend, options: StreamingOptions) {
        self.port = port
        self.index = index
        self.backend = backend
        self.buffer = ChunkBuffer(limit: options.maxBufferedBytes)
        self.maxOutgoingMessageSize = options.maxOutgoingMessageSize
        self.writeTimeout = options.writeTimeout
    }

    /// Sends bytes to the port.
    ///
    /// - Throws: ``StreamingError`` once the session is over or a write times out.
    public func write(_ bytes: some Collection<UInt8>) async throws {
        let all = Array(bytes)
        switch backend {
        case .webSocket(let connection):
            let channel = UInt8(truncatingIfNeeded: 2 * index)
            var start = 0
            while start < all.count {
                let end = min(all.count, start + maxOutgoingMessageSize)
                try connection.sendBinary([channel] + all[start..<end])
                start = end
            }
        case .spdy:
            guard let stream = dataStream.withLock({ $0 }) else { return }
            try await stream.write(all, frameSize: maxOutgoingMessageSize, deadline: .now.advanced(by: writeTimeout))
        }
    }

    /// Ends what we send to the port (the pod's side reads end of stream) while its answer can still arrive.
    ///
    /// Over SPDY the data stream is half-closed, as client-go does when the local connection ends. WebSocket
    /// port-forward has no half-close: nothing is sent and `false` is returned; end the session instead.
    @discardableResult
    public func finishWriting() async throws -> Bool {
        guard case .spdy = backend, let stream = dataStream.withLock({ $0 }) else { return false }
        try stream.finish()
        return true
    }

    /// Over SPDY: the handlers of this port's error stream (its text is the runtime's complaint) and data stream.
    var spdyErrorHandlers: SPDYStream.Handlers {
        SPDYStream.Handlers(
            data: { [self] data in
                state.withLock { state in
                    if state.errorText.count < 64 * 1024 { state.errorText += data.prefix(64 * 1024 - state.errorText.count) }
                }
            },
            end: { _ in })
    }

    var spdyDataHandlers: SPDYStream.Handlers {
        SPDYStream.Handlers(data: { [buffer] in buffer.push($0) }, end: { [buffer] _ in buffer.finish() })
    }

    /// Takes one message of this port's data (`isError` false) or error channel; returns a complaint if the
    /// mandatory port prefix is wrong.
    func receive(_ data: ArraySlice<UInt8>, isError: Bool) -> String? {
        enum Action {
            case data(ArraySlice<UInt8>)
            case none
            case violation(String)
        }
        let port = self.port
        let action = state.withLock { state -> Action in
            var body = data
            let seen = isError ? state.errorPrefixSeen : state.dataPrefixSeen
            if !seen {
                // kubelet writes the port (uint16, little-endian) first on both channels of the pair.
                guard body.count >= 2 else {
                    return .violation("first message on a port channel is shorter than the port prefix")
                }
                let announced = UInt16(body[body.startIndex]) | UInt16(body[body.startIndex + 1]) << 8
                guard announced == port else {
                    return .violation("channel for port \(port) announced port \(announced)")
                }
                body = body.dropFirst(2)
                if isError { state.errorPrefixSeen = true } else { state.dataPrefixSeen = true }
            }
            if isError {
                if state.errorText.count < 64 * 1024 {
                    state.errorText += body.prefix(64 * 1024 - state.errorText.count)
                }
                return .none
            }
            return .data(body)
        }
        switch action {
        case .data(let body): buffer.push(Array(body))
        case .none: break
        case .violation(let reason): return reason
        }
        return nil
    }
}

/// A port-forward session (`PortForwardResponse.url`): one connection carrying a data and an error channel per port
/// (SPDY streams, or WebSocket channels), alive inside ``withPortForwardSession(url:ports:options:isolation:_:)``.
public final class PortForwardSession: Sendable {
    /// The connection underneath.
    enum Backend: Sendable {
        case webSocket(WebSocketConnection)
        case spdy(SPDYConnection)
    }

    /// The server's URL, with the `port` query parameters added.
    public let url: StreamingURL
    /// One stream per requested port, in request order.
    public let streams: [PortForwardStream]

    /// The transport the session runs over.
    public let transport: StreamingTransport
    private let backend: Backend
    private let failure = Mutex<StreamingError?>(nil)

    init(url: StreamingURL, ports: [UInt16], backend: Backend, options: StreamingOptions) {
        self.url = url
        self.backend = backend
        switch backend {
        case .webSocket: transport = .webSocket
        case .spdy: transport = .spdy
        }
        self.streams = ports.enumerated().map {
            PortForwardStream(port: $1, index: $0, backend: backend, options: options)
        }
    }

    /// The stream for `port` (the first, if it was requested twice).
    public func stream(forPort port: UInt16) -> PortForwardStream? {
        streams.first { $0.port == port }
    }

    /// Why the session failed, once it has (a protocol violation by the server); nil while healthy or after a clean
    /// close.
    public var protocolFailure: StreamingError? { failure.withLock { $0 } }

    var spdyHandlers: SPDYConnection.Handlers {
        SPDYConnection.Handlers(end: { [self] ending in
            if case .failed(let error) = ending, error.code == .protocolViolation || error.code == .messageTooLarge {
                failure.withLock { $0 = $0 ?? error }
            }
            for stream in streams { stream.buffer.finish() }
        })
    }

    /// Over SPDY: per port an error stream then a data stream, with the headers the kubelet's server pairs them by
    /// (`streamType`, `port`, `requestID`), as client-go opens them; waits for the replies until `deadline`.
    func openSPDYStreams(deadline: ContinuousClock.Instant) async throws(StreamingError) {
        guard case .spdy(let connection) = backend else { return }
        var opened: [SPDYStream] = []
        for stream in streams {
            func headers(_ type: String) -> SPDYHeaders {
                SPDYHeaders([("streamtype", type), ("port", String(stream.port)), ("requestid", String(stream.index))])
            }
            let error = try connection.openStream(headers: headers("error"), handlers: stream.spdyErrorHandlers)
            // client-go never writes to the error stream and half-closes it at once.
            try error.finish()
            let data = try connection.openStream(headers: headers("data"), handlers: stream.spdyDataHandlers)
            stream.buffer.onConsume { data.consumed($0) }
            stream.dataStream.withLock { $0 = data }
            opened += [error, data]
        }
        for stream in opened { try await connection.waitForReply(stream, deadline: deadline) }
    }

    var webSocketHandlers: WebSocketConnection.Handlers {
        WebSocketConnection.Handlers(
            message: { [self] opcode, payload in receive(opcode, payload) },
            end: { [self] ending in
                if case .failed(let error) = ending, error.code == .protocolViolation || error.code == .messageTooLarge
                {
                    failure.withLock { $0 = $0 ?? error }
                }
                for stream in streams { stream.buffer.finish() }
            }
        )
    }

    func shutDown() {
        abortConnection()
        for stream in streams { stream.buffer.finish() }
    }

    private func abortConnection() {
        switch backend {
        case .webSocket(let connection): connection.abort()
        case .spdy(let connection): connection.abort()
        }
    }

    private func receive(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        guard opcode == .binary, let channel = payload.first else { return }
        let index = Int(channel / 2)
        guard index < streams.count else {
            violation("message on channel \(channel), but only \(streams.count) port(s) were requested")
            return
        }
        if let reason = streams[index].receive(payload.dropFirst(), isError: channel % 2 == 1) {
            violation(reason)
        }
    }

    private func violation(_ reason: String) {
        failure.withLock { $0 = $0 ?? .channelProtocol("\(url)", reason) }
        abortConnection()
    }
}

/// Opens a port-forward session to `url` (from `PortForwardResponse.url`) for `ports`, runs `body`, and closes the
/// session when `body` returns or throws.
///
/// Speaks SPDY/3.1 (`portforward.k8s.io`, ports in per-stream headers) by default, like crictl, or kubelet's
/// WebSocket port-forward protocol (`v4.channel.k8s.io`, ports in the `port` query parameter, no half-close) with
/// ``StreamingOptions/transport`` `.webSocket`. Each port carries one TCP connection in the pod for the life of the
/// session.
///
/// - Important: containerd's streaming server (kubelet's CRI streaming library) takes the ports from the
///   `PortForwardRequest.port` list of the RPC, not from the URL; pass the same ports, in the same order, to the RPC.
///   With no ports in the RPC it closes the session at once. The query parameter is still sent for servers that read
///   it (kubelet's own `/portForward` endpoint, ``StreamingServer``).
///
/// - Throws: ``StreamingError`` from the connection or the upgrade (naming the URL), or whatever `body` throws.
public func withPortForwardSession<Result>(
    url: String,
    ports: [UInt16],
    options: StreamingOptions = .defaults,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PortForwardSession) async throws -> Result
) async throws -> Result {
    guard !ports.isEmpty, ports.count <= 127, !ports.contains(0) else {
        throw StreamingError(
            code: .invalidURL, message: "port-forward to \(quotedURL(url)): need 1…127 ports, none of them 0")
    }
    let parsed = try StreamingURL(parsing: url, relativeTo: options.baseURL)
        .appendingQuery(ports.map { (name: "port", value: String($0)) })
    let session: PortForwardSession
    switch options.transport {
    case .webSocket:
        let dialed = try await StreamingDialer.dialWebSocket(
            url: parsed, protocols: [StreamProtocolVersion.v4.rawValue], options: options)
        session = PortForwardSession(url: parsed, ports: ports, backend: .webSocket(dialed.connection), options: options)
        try dialed.connection.start(initialBytes: dialed.leftover, handlers: session.webSocketHandlers)
    case .spdy:
        let deadline = ContinuousClock.now.advanced(by: options.handshakeTimeout)
        let dialed = try await StreamingDialer.dialSPDY(
            url: parsed, protocols: [SPDYHandshake.portForwardProtocol], options: options)
        session = PortForwardSession(url: parsed, ports: ports, backend: .spdy(dialed.connection), options: options)
        try dialed.connection.start(initialBytes: dialed.leftover, handlers: session.spdyHandlers)
        do {
            try await session.openSPDYStreams(deadline: deadline)
        } catch {
            session.shutDown()
            throw error
        }
    }
    defer { session.shutDown() }
    return try await body(session)
}
