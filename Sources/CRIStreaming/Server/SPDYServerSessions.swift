import CRITransport
import Synchronization

/// The server side of exec/attach over SPDY, as kubelet's `remotecommand/httpstream.go` does it: the client opens
/// one stream per channel (`streamType` header); each is answered at once, and the command starts once every stream
/// the request needs is there (within `streamCreationTimeout`).
final class SPDYExecServer: Sendable {
    private struct State {
        var error: SPDYStream?
        var stdin: SPDYStream?
        var stdout: SPDYStream?
        var stderr: SPDYStream?
        var resize: SPDYStream?
        var seen: Set<String> = []
        var started = false
    }

    private let connection: SPDYConnection
    private let request: StreamingExecRequest
    private let chosen: StreamProtocolVersion
    private let handler: StreamingServer.ExecHandler
    private let inputs: ExecServerInputs
    private let expected: Set<String>
    private let state = Mutex(State())

    init(
        connection: SPDYConnection, request: StreamingExecRequest, chosen: StreamProtocolVersion,
        handler: @escaping StreamingServer.ExecHandler, maxBufferedBytes: Int
    ) {
        self.connection = connection
        self.request = request
        self.chosen = chosen
        self.handler = handler
        self.inputs = ExecServerInputs(maxBufferedBytes: maxBufferedBytes)
        var expected: Set<String> = ["error"]
        if request.stdin { expected.insert("stdin") }
        if request.stdout { expected.insert("stdout") }
        if request.stderr { expected.insert("stderr") }
        if request.tty, chosen.supportsResize { expected.insert("resize") }
        self.expected = expected
    }

    /// Starts reading; `ended` runs when the connection is over.
    func run(leftover: [UInt8], streamCreationTimeout: Duration, ended: @escaping @Sendable () -> Void) {
        let handlers = SPDYConnection.Handlers(
            newStream: { [self] stream in accept(stream) },
            end: { [self] _ in
                inputs.finish()
                ended()
            })
        guard (try? connection.start(initialBytes: leftover, handlers: handlers)) != nil else {
            connection.abort()
            ended()
            return
        }
        Task { [self] in
            try? await Task.sleep(for: streamCreationTimeout)
            // kubelet: "timed out waiting for client to create streams".
            if !state.withLock({ $0.started }) { connection.abort() }
        }
    }

    private func accept(_ stream: SPDYStream) -> SPDYStream.Handlers? {
        guard let type = stream.streamType, expected.contains(type),
            state.withLock({ $0.seen.insert(type).inserted })
        else {
            // Not a stream this request needs, or a second one of a type: refused.
            return nil
        }
        let ready = state.withLock { state -> SPDYServerChannels? in
            switch type {
            case "error": state.error = stream
            case "stdin": state.stdin = stream
            case "stdout": state.stdout = stream
            case "stderr": state.stderr = stream
            default: state.resize = stream
            }
            guard state.seen == expected, let error = state.error else { return nil }
            state.started = true
            return SPDYServerChannels(
                error: error, stdin: state.stdin, stdout: state.stdout, stderr: state.stderr, resize: state.resize)
        }
        guard (try? stream.reply()) != nil else { return nil }
        let handlers = inputs.spdyHandlers(forStreamType: type, stream: stream)
        if let ready {
            let session = ExecServerSession(
                request: request, negotiatedProtocol: chosen, backend: .spdy(connection, ready), inputs: inputs)
            session.run(handler)
        }
        return handlers
    }
}

/// The server side of port-forward over SPDY (kubelet's `portforward/httpstream.go`): the client opens an `error`
/// and a `data` stream per forwarded connection, paired by `requestID`, the port in the `port` header.
final class SPDYPortForwardServer: Sendable {
    private final class Pair: Sendable {
        let port: String
        let inbound: ChunkBuffer
        let streams = Mutex<(error: SPDYStream?, data: SPDYStream?)>((nil, nil))
        let target = Mutex<(any ByteStream)?>(nil)

        init(port: String, maxBufferedBytes: Int) {
            self.port = port
            self.inbound = ChunkBuffer(limit: maxBufferedBytes)
        }
    }

    private let connection: SPDYConnection
    private let targetHost: String
    private let connectTimeout: Duration
    private let writeTimeout: Duration
    private let maxBufferedBytes: Int
    private let pairs = Mutex<[String: Pair]>([:])

    init(
        connection: SPDYConnection, targetHost: String, connectTimeout: Duration, writeTimeout: Duration,
        maxBufferedBytes: Int
    ) {
        self.connection = connection
        self.targetHost = targetHost
        self.connectTimeout = connectTimeout
        self.writeTimeout = writeTimeout
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// Starts reading; `ended` runs when the connection is over (then every target is closed).
    func run(leftover: [UInt8], ended: @escaping @Sendable () -> Void) {
        let handlers = SPDYConnection.Handlers(
            newStream: { [self] stream in accept(stream) },
            end: { [self] _ in
                let all = pairs.withLock { pairs -> [Pair] in
                    defer { pairs = [:] }
                    return Array(pairs.values)
                }
                for pair in all {
                    pair.inbound.finish()
                    pair.target.withLock { $0 }?.close()
                }
                ended()
            })
        guard (try? connection.start(initialBytes: leftover, handlers: handlers)) != nil else {
            connection.abort()
            ended()
            return
        }
    }

    private func accept(_ stream: SPDYStream) -> SPDYStream.Handlers? {
        guard let type = stream.streamType, type == "error" || type == "data",
            let requestID = stream.headers["requestid"], let port = stream.headers["port"]
        else { return nil }
        let maxBufferedBytes = self.maxBufferedBytes
        let pair = pairs.withLock { pairs -> Pair in
            if let pair = pairs[requestID] { return pair }
            let pair = Pair(port: port, maxBufferedBytes: maxBufferedBytes)
            pairs[requestID] = pair
            return pair
        }
        let complete = pair.streams.withLock { streams -> (SPDYStream, SPDYStream)? in
            if type == "error" { streams.error = stream } else { streams.data = stream }
            guard let error = streams.error, let data = streams.data else { return nil }
            return (error, data)
        }
        guard (try? stream.reply()) != nil else { return nil }
        if let (error, data) = complete {
            pair.inbound.onConsume { data.consumed($0) }
            do throws(TransportError) {
                try startIOThread(name: "cri-portfwd-spdy") { [self] in forward(pair, errorStream: error, data: data) }
            } catch {
                data.reset(.internalError)
            }
        }
        if type == "error" { return SPDYStream.Handlers(data: { stream.consumed($0.count) }, end: { _ in }) }
        return SPDYStream.Handlers(
            data: { [inbound = pair.inbound] in inbound.push($0) },
            end: { [inbound = pair.inbound] _ in inbound.finish() })
    }

    /// Connects the pair's target, then copies both ways (on this I/O thread and one task).
    private func forward(_ pair: Pair, errorStream: SPDYStream, data: SPDYStream) {
        let target: any ByteStream
        do throws(TransportError) {
            guard let port = UInt16(pair.port), port > 0 else {
                throw TransportError.closed("invalid port \(quotedURL(pair.port))")
            }
            target = try connect(to: .tcp(host: targetHost, port: port), deadline: .now.advanced(by: connectTimeout))
        } catch {
            let message = "error forwarding port \(pair.port) to pod: \(error.message)"
            try? errorStream.writeIgnoringWindow(Array(message.utf8), frameSize: 32 * 1024)
            try? errorStream.finish()
            try? data.finish()
            return
        }
        pair.target.withLock { $0 = target }
        let writeTimeout = self.writeTimeout
        Task {
            for await chunk in pair.inbound.sequence {
                guard (try? target.write(chunk, deadline: .now.advanced(by: writeTimeout))) != nil else { break }
            }
            target.shutdownWrite()
        }
        var chunk = [UInt8](repeating: 0, count: 32 * 1024)
        while let count = try? target.read(into: &chunk), count > 0 {
            guard (try? data.writeIgnoringWindow(Array(chunk[..<count]), frameSize: 32 * 1024)) != nil else { break }
        }
        try? data.finish()
        try? errorStream.finish()
    }
}
