import CRIHPACK
package import CRIHTTP2
import Synchronization

/// A gRPC server: serves registered unary and server-streaming methods on every connection it is given.
package final class GRPCServer: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: HTTP2Connection] = [:]
        var shuttingDown = false
    }

    /// The server settings.
    package let configuration: GRPCServerConfiguration
    private let handlers: [String: GRPCMethodHandler]
    private let state = Mutex(State())

    /// Creates a server for `handlers`, keyed by method path (`/package.Service/Method`).
    package init(handlers: [String: GRPCMethodHandler], configuration: GRPCServerConfiguration = GRPCServerConfiguration()) {
        self.handlers = handlers
        self.configuration = configuration
    }

    /// Serves one accepted connection until it closes.
    package func serve(_ transport: any HTTP2Transport) {
        let connection = HTTP2Connection(
            transport: transport, role: .server, configuration: configuration.http2,
            onStream: { [self] stream in accept(stream) })
        let admitted = state.withLock { state in
            guard !state.shuttingDown else { return false }
            state.connections[ObjectIdentifier(connection)] = connection
            return true
        }
        guard admitted else {
            transport.close()
            return
        }
        do {
            try connection.start()
        } catch {
            state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
            return
        }
        Task { [self] in
            await connection.waitUntilClosed()
            state.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
        }
    }

    /// Accepts connections on a dedicated thread (accepting blocks) until `accept` returns nil or
    /// throws, or the server shuts down.
    package func serve(acceptingWith accept: @escaping @Sendable () throws -> (any HTTP2Transport)?) {
        _ = spawnDetachedThread(name: "cri-grpc-accept") { [self] in
            while !state.withLock({ $0.shuttingDown }) {
                guard let transport = try? accept() else { return }
                serve(transport)
            }
        }
    }

    /// Graceful shutdown: GOAWAY on every connection, wait for in-flight calls, then close.
    package func shutdownGracefully() async {
        let connections = state.withLock { state in
            state.shuttingDown = true
            return Array(state.connections.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for connection in connections {
                group.addTask { await connection.shutdownGracefully() }
            }
        }
    }

    /// Closes every connection now.
    package func close() {
        let connections = state.withLock { state in
            state.shuttingDown = true
            return Array(state.connections.values)
        }
        for connection in connections { connection.close() }
    }

    /// Starts a task for a new stream; called on the connection's reader thread.
    private func accept(_ stream: HTTP2Stream) {
        let call = GRPCServerCall(stream: stream, configuration: configuration)
        call.setTask(Task { [self] in await handle(call) })
        // Weak: the stream keeps its failure observer after a normal end, and a strong capture
        // would make stream → observer → call → stream a cycle that leaks every call.
        stream.onFailure { [weak call] in call?.cancel() }
    }

    private func handle(_ call: GRPCServerCall) async {
        let stream = call.stream
        guard case .headers(let headers, let endStream)? = try? await stream.nextEvent() else {
            stream.reset(.protocolError)
            return
        }
        // PROTOCOL-HTTP2 "Requests": POST with a gRPC content type; others get a plain HTTP status.
        guard GRPCHeaders.value(":method", in: headers) == "POST" else {
            await call.finish(httpStatus: 405)
            return
        }
        guard GRPCHeaders.isGRPCContentType(GRPCHeaders.value("content-type", in: headers)) else {
            await call.finish(httpStatus: 415)
            return
        }
        let path = GRPCHeaders.value(":path", in: headers) ?? ""
        let deadline = GRPCHeaders.value("grpc-timeout", in: headers).flatMap(GRPCTimeout.decode).map {
            ContinuousClock.now + $0
        }
        let context = GRPCServerContext(
            path: path, metadata: GRPCHeaders.metadata(from: headers), deadline: deadline, connection: stream.connection)
        call.setContext(context)
        guard let handler = handlers[path] else {
            await call.finish(error: RPCError(code: .unimplemented, message: "unknown method \(path)"))
            return
        }
        var timer: Task<Void, Never>?
        if let deadline {
            timer = Task {
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                await call.finish(error: RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
                call.cancel()
            }
        }
        defer { timer?.cancel() }
        let request: [UInt8]
        do throws(RPCError) {
            request = try await readRequest(stream, headersEnded: endStream)
        } catch {
            await call.finish(error: error)
            return
        }
        do {
            switch handler {
            case .unary(let body):
                let response = try await body(request, context)
                await call.finish(message: response)
            case .serverStreaming(let body):
                try await body(request, GRPCServerStreamWriter(call: call), context)
                await call.finishStreaming()
            }
        } catch let error as RPCError {
            await call.finish(error: error)
        } catch is CancellationError {
            await call.finish(error: RPCError(code: .cancelled, message: "the call was cancelled"))
        } catch {
            await call.finish(error: RPCError(code: .unknown, message: "\(error)"))
        }
    }

    /// Reads the single request message (PROTOCOL-HTTP2 "Length-Prefixed-Message").
    private func readRequest(_ stream: HTTP2Stream, headersEnded: Bool) async throws(RPCError) -> [UInt8] {
        var deframer = GRPCMessageDeframer(maxMessageSize: configuration.maxReceiveMessageSize)
        var messages: [[UInt8]] = []
        var ended = headersEnded
        while !ended {
            let event: HTTP2StreamEvent?
            do {
                event = try await stream.nextEvent()
            } catch {
                throw rpcError(for: error, path: "")
            }
            switch event {
            case nil:
                ended = true
            case .headers(_, let endStream)?:
                // Request trailers carry nothing gRPC uses.
                ended = endStream
            case .data(let bytes, let endStream)?:
                do {
                    try deframer.append(bytes)
                } catch {
                    switch error {
                    case .tooLarge(let size):
                        throw RPCError.resourceExhausted(
                            "request message", size: size, limit: deframer.maxMessageSize, path: "")
                    case .compressed:
                        throw RPCError(code: .unimplemented, message: "compressed messages are not supported")
                    case .badFlag(let flag):
                        throw RPCError.internalError("invalid compressed flag \(flag)")
                    }
                }
                messages += deframer.takeMessages()
                ended = endStream
            }
        }
        guard messages.count == 1, !deframer.hasPartialMessage else {
            throw RPCError(code: .internalError, message: "expected one request message, got \(messages.count)")
        }
        return messages[0]
    }
}
