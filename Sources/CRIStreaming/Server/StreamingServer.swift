import CRITransport
import Synchronization

/// A runtime's streaming server for tests and the fake runtime: serves exec, attach and port-forward over SPDY/3.1
/// and WebSocket on a loopback TCP port, for one-shot tokens handed out as URLs
/// (`http://127.0.0.1:<port>/exec/<token>`), as containerd's CRI plugin does.
///
/// Each URL works once. Unknown or used tokens get `404`, a request without an upgrade `400`, and a client that
/// offers no accepted subprotocol `403`: over SPDY with the kubelet's text "unable to negotiate protocol: …", over
/// WebSocket bare (the answer containerd 1.6–2.4 give crictl's v5-only WebSocket offer). By default it accepts what
/// containerd accepts (see ``StreamingServerConfiguration/defaults``).
public final class StreamingServer: Sendable {
    /// Runs one exec or attach session and returns the command's exit code; a thrown error becomes an
    /// `InternalError` status.
    public typealias ExecHandler = @Sendable (ExecServerSession) async throws -> Int32

    private enum Registration: Sendable {
        case exec(kind: String, StreamingExecRequest, ExecHandler)
        case portForward(ports: [UInt16], targetHost: String)
    }

    private struct Connections {
        var open: [ObjectIdentifier: any ByteStream] = [:]
        var shutDown = false
    }

    /// The server's settings.
    public let configuration: StreamingServerConfiguration
    /// The TCP port the server listens on (chosen by the system).
    public let port: UInt16
    private let listener: any Listener
    private let registrations = Mutex<[String: Registration]>([:])
    private let connections = Mutex(Connections())

    /// Starts listening on 127.0.0.1 with a system-chosen port.
    ///
    /// - Throws: ``StreamingError`` if the socket or its accept thread cannot be set up.
    public init(configuration: StreamingServerConfiguration = .defaults) throws {
        self.configuration = configuration
        do throws(TransportError) {
            listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        } catch {
            throw StreamingError.transport(error, "streaming server: listen on 127.0.0.1")
        }
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            listener.close()
            throw StreamingError(code: .connectionFailed, message: "streaming server: listener has no TCP port")
        }
        self.port = port
        do throws(TransportError) {
            // Weak: dropping the last reference to the server shuts it down (deinit closes the listener).
            try startIOThread(name: "cri-stream-accept") { [weak self, listener] in
                try? listener.acceptConnections { stream in
                    guard let server = self else {
                        stream.close()
                        return
                    }
                    do throws(TransportError) {
                        try startIOThread(name: "cri-stream-conn") { server.serve(stream) }
                    } catch {
                        stream.close()
                    }
                }
            }
        } catch {
            listener.close()
            throw StreamingError.transport(error, "streaming server: start accept thread")
        }
    }

    deinit {
        shutDown()
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Registers a one-shot exec session and returns its URL.
    public func registerExec(_ request: StreamingExecRequest, handler: @escaping ExecHandler) -> String {
        register("exec", .exec(kind: "exec", request, handler))
    }

    /// Registers a one-shot attach session (same protocol as exec, path `/attach/`) and returns its URL.
    public func registerAttach(_ request: StreamingExecRequest, handler: @escaping ExecHandler) -> String {
        register("attach", .exec(kind: "attach", request, handler))
    }

    /// Registers a one-shot port-forward session and returns its URL; each forwarded stream is connected to
    /// `targetHost` at its port.
    ///
    /// - Parameter ports: the `PortForwardRequest.port` list of the RPC. When non-empty these are the ports, as in
    ///   containerd (kubelet's CRI streaming library), and the URL's query is ignored; when empty the client names
    ///   the ports in the query (`?port=8080`), as with kubelet's own endpoint.
    public func registerPortForward(ports: [UInt16] = [], targetHost: String = "127.0.0.1") -> String {
        register("portforward", .portForward(ports: ports, targetHost: targetHost))
    }

    /// Stops accepting, closes every open connection and forgets unused tokens. Idempotent.
    public func shutDown() {
        listener.close()
        let open = connections.withLock { state -> [any ByteStream] in
            state.shutDown = true
            defer { state.open = [:] }
            return Array(state.open.values)
        }
        for stream in open { stream.close() }
        registrations.withLock { $0 = [:] }
    }

    private func register(_ kind: String, _ registration: Registration) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<2).map { _ in
            let text = String(generator.next() as UInt64, radix: 36)
            return String(repeating: "0", count: max(0, 13 - text.count)) + text
        }.joined()
        registrations.withLock { $0[token] = registration }
        return "\(baseURL)/\(kind)/\(token)"
    }

    // MARK: Connections (on their own I/O threads)

    private func track(_ stream: any ByteStream) -> Bool {
        connections.withLock { state in
            guard !state.shutDown else { return false }
            state.open[ObjectIdentifier(stream)] = stream
            return true
        }
    }

    private func untrack(_ stream: any ByteStream) {
        _ = connections.withLock { $0.open.removeValue(forKey: ObjectIdentifier(stream)) }
    }

    private func serve(_ stream: any ByteStream) {
        guard track(stream) else {
            stream.close()
            return
        }
        var handedOff = false
        defer {
            if !handedOff {
                stream.close()
                untrack(stream)
            }
        }
        guard let (head, leftover) = try? HTTPHead.read(from: stream, what: "streaming request") else { return }
        if SPDYHandshake.isUpgradeRequest(head) {
            handedOff = serveSPDY(stream, head: head, leftover: leftover)
            return
        }
        let request: WebSocketHandshake.UpgradeRequest
        do throws(WebSocketHandshake.Refusal) {
            request = try WebSocketHandshake.parseRequest(head)
        } catch {
            refuse(stream, error)
            return
        }
        guard let (url, registration) = takeRegistration(target: request.target) else {
            refuse(stream, Self.notFound)
            return
        }
        let label = "\(url)"
        switch registration {
        case .exec(_, let execRequest, let handler):
            guard
                let chosen = configuration.acceptedProtocols.first(where: {
                    request.offeredProtocols.contains($0.rawValue)
                })
            else {
                refuseBare403(stream)
                return
            }
            guard accept(stream, key: request.key, protocol: chosen.rawValue) else { return }
            let connection = makeConnection(stream, label: label)
            let session = ExecServerSession(
                request: execRequest,
                negotiatedProtocol: chosen,
                backend: .webSocket(connection),
                inputs: ExecServerInputs(maxBufferedBytes: configuration.maxBufferedBytes)
            )
            var handlers = session.webSocketHandlers
            let sessionEnd = handlers.end
            handlers.end = { [self] ending in
                untrack(stream)
                sessionEnd(ending)
            }
            guard (try? connection.start(initialBytes: leftover, handlers: handlers)) != nil else { return }
            handedOff = true
            session.run(handler)
        case .portForward(let registeredPorts, let targetHost):
            let portForward = StreamProtocolVersion.v4.rawValue
            guard request.offeredProtocols.contains(portForward) else {
                refuseBare403(stream)
                return
            }
            var ports: [UInt16] = registeredPorts
            for value in registeredPorts.isEmpty ? url.queryValues(named: "port") : [] {
                for text in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let port = UInt16(text), port > 0 else {
                        refuse(
                            stream,
                            .init(
                                status: 400, reason: "Bad Request",
                                body: "unable to parse \(quotedURL(String(text))) as a port"))
                        return
                    }
                    ports.append(port)
                }
            }
            guard !ports.isEmpty else {
                refuse(stream, .init(status: 400, reason: "Bad Request", body: "query parameter \"port\" is required"))
                return
            }
            guard accept(stream, key: request.key, protocol: portForward) else { return }
            let connection = makeConnection(stream, label: label)
            let forwarder = PortForwardServerSession(
                connection: connection,
                ports: ports,
                targetHost: targetHost,
                connectTimeout: configuration.portForwardConnectTimeout,
                writeTimeout: configuration.writeTimeout
            )
            handedOff = true
            forwarder.run(leftover: leftover) { [self] in untrack(stream) }
        }
    }

    private func makeConnection(_ stream: any ByteStream, label: String) -> WebSocketConnection {
        WebSocketConnection(
            stream: stream,
            role: .server,
            label: label,
            maxMessageSize: configuration.maxMessageSize,
            writeTimeout: configuration.writeTimeout
        )
    }

    private func accept(_ stream: any ByteStream, key: String, protocol chosen: String) -> Bool {
        let response = WebSocketHandshake.acceptResponse(key: key, protocol: chosen)
        return (try? stream.write(response, deadline: .now.advanced(by: configuration.writeTimeout))) != nil
    }

    private func refuse(_ stream: any ByteStream, _ refusal: WebSocketHandshake.Refusal) {
        try? stream.write(
            WebSocketHandshake.refusalResponse(refusal), deadline: .now.advanced(by: configuration.writeTimeout))
        stream.shutdownWrite()
    }

    private func refuseBare403(_ stream: any ByteStream) {
        // x/net/websocket's answer to a failed handshake: a status line and nothing else.
        try? stream.write(
            Array("HTTP/1.1 403 Forbidden\r\n\r\n".utf8), deadline: .now.advanced(by: configuration.writeTimeout))
        stream.shutdownWrite()
    }

    /// Go's http.NotFound body, which kubelet's streaming server sends for an unknown token.
    private static let notFound = WebSocketHandshake.Refusal(status: 404, reason: "Not Found", body: "404 page not found")

    /// Finds and consumes the one-shot registration for `target` (`/<kind>/<token>`).
    private func takeRegistration(target: String) -> (StreamingURL, Registration)? {
        let url = StreamingURL(host: "127.0.0.1", port: port, pathAndQuery: target)
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segments.count == 2 else { return nil }
        let registration = registrations.withLock { registrations -> Registration? in
            guard let found = registrations[segments[1]] else { return nil }
            switch found {
            case .exec(let kind, _, _) where kind != segments[0]: return nil
            case .portForward where segments[0] != "portforward": return nil
            default: break
            }
            registrations[segments[1]] = nil
            return found
        }
        return registration.map { (url, $0) }
    }

    /// The SPDY/3.1 upgrade (kubelet's `httpstream.Handshake` and SPDY upgrader): token first, then the
    /// subprotocol, then the upgrade headers. Returns whether the stream was handed to a session.
    private func serveSPDY(_ stream: any ByteStream, head: HTTPHead, leftover: [UInt8]) -> Bool {
        guard head.startLine.count == 3, head.startLine[0] == "POST" || head.startLine[0] == "GET" else {
            refuse(stream, .init(status: 405, reason: "Method Not Allowed", body: "405 method not allowed"))
            return false
        }
        guard let (url, registration) = takeRegistration(target: head.startLine[1]) else {
            refuse(stream, Self.notFound)
            return false
        }
        let accepted: [String]
        switch registration {
        case .exec: accepted = configuration.spdyProtocols.map(\.rawValue)
        case .portForward: accepted = [SPDYHandshake.portForwardProtocol]
        }
        let chosen: String
        do throws(WebSocketHandshake.Refusal) {
            chosen = try SPDYHandshake.negotiate(offered: SPDYHandshake.offeredProtocols(head), accepted: accepted)
        } catch {
            refuse(stream, error)
            return false
        }
        guard head.hasToken("Connection", "upgrade") else {
            refuse(
                stream,
                .init(status: 400, reason: "Bad Request", body: "unable to upgrade: missing upgrade headers in request"))
            return false
        }
        let response = SPDYHandshake.acceptResponse(protocol: chosen)
        guard (try? stream.write(response, deadline: .now.advanced(by: configuration.writeTimeout))) != nil else {
            return false
        }
        let connection = SPDYConnection(
            stream: stream, role: .server, label: "\(url)", maxFrameLength: configuration.maxMessageSize,
            writeTimeout: configuration.writeTimeout, windowUpdates: configuration.spdyFlowControl ? .always : .never)
        switch registration {
        case .exec(_, let request, let handler):
            let server = SPDYExecServer(
                connection: connection, request: request, chosen: StreamProtocolVersion(rawValue: chosen),
                handler: handler, maxBufferedBytes: configuration.maxBufferedBytes)
            server.run(leftover: leftover, streamCreationTimeout: configuration.streamCreationTimeout) { [self] in
                untrack(stream)
            }
        case .portForward(_, let targetHost):
            let server = SPDYPortForwardServer(
                connection: connection, targetHost: targetHost, connectTimeout: configuration.portForwardConnectTimeout,
                writeTimeout: configuration.writeTimeout, maxBufferedBytes: configuration.maxBufferedBytes)
            server.run(leftover: leftover) { [self] in untrack(stream) }
        }
        return true
    }
}
