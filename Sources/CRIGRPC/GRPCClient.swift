import CRIHPACK
package import CRIHTTP2
import Synchronization

/// A gRPC client over one multiplexed HTTP/2 connection, opened lazily through a connector and
/// reopened when it is gone or after the server's GOAWAY.
///
/// Messages are serialized bytes; typed clients sit above.
package final class GRPCClient: Sendable {
    /// Opens a new transport to the server.
    package typealias Connector = @Sendable () async throws -> any HTTP2Transport

    private struct State {
        var current: HTTP2Connection?
        var connecting: Task<Result<HTTP2Connection, RPCError>, Never>?
        var closed = false
    }

    /// The client settings.
    package let configuration: GRPCClientConfiguration
    private let connector: Connector
    private let state = Mutex(State())

    /// Creates a client; nothing is opened until the first call.
    package init(configuration: GRPCClientConfiguration = GRPCClientConfiguration(), connector: @escaping Connector) {
        self.configuration = configuration
        self.connector = connector
    }

    /// A client dropped without ``close()`` still closes its connection (and so its reader thread).
    deinit {
        state.withLock { $0.current }?.close()
    }

    /// Closes the connection; later calls fail with UNAVAILABLE.
    package func close() {
        let connection = state.withLock { state in
            state.closed = true
            defer { state.current = nil }
            return state.current
        }
        connection?.close()
    }

    /// The current connection, opening one if there is none or the old one takes no new streams.
    func connection() async throws(RPCError) -> HTTP2Connection {
        enum Step {
            case ready(HTTP2Connection)
            case wait(Task<Result<HTTP2Connection, RPCError>, Never>)
            case closed
        }
        let step: Step = state.withLock { state in
            if state.closed { return .closed }
            if let current = state.current, current.isAcceptingStreams { return .ready(current) }
            if let connecting = state.connecting { return .wait(connecting) }
            let connecting = Task { await self.establish() }
            state.connecting = connecting
            return .wait(connecting)
        }
        switch step {
        case .ready(let connection):
            return connection
        case .closed:
            throw RPCError(code: .unavailable, message: "the client is closed")
        case .wait(let task):
            let result = await task.value
            state.withLock { state in
                if state.connecting == task {
                    state.connecting = nil
                    if case .success(let connection) = result, !state.closed { state.current = connection }
                }
            }
            return try result.get()
        }
    }

    private func establish() async -> Result<HTTP2Connection, RPCError> {
        let transport: any HTTP2Transport
        do {
            transport = try await connector()
        } catch {
            return .failure(RPCError(code: .unavailable, message: "cannot connect: \(error)", cause: error))
        }
        let connection = HTTP2Connection(transport: transport, role: .client, configuration: configuration.http2)
        do {
            try connection.start()
        } catch {
            return .failure(RPCError(code: .unavailable, message: "cannot start HTTP/2: \(error)", cause: error))
        }
        return .success(connection)
    }

    /// The request header block (PROTOCOL-HTTP2 "Requests").
    func requestHeaders(path: String, options: GRPCCallOptions, timeout: Duration?) -> [HPACKHeader] {
        var headers: [HPACKHeader] = [
            HPACKHeader(name: ":method", value: "POST"),
            HPACKHeader(name: ":scheme", value: "http"),
            HPACKHeader(name: ":path", value: path),
            HPACKHeader(name: ":authority", value: configuration.authority),
            HPACKHeader(name: "content-type", value: "application/grpc"),
            HPACKHeader(name: "te", value: "trailers"),
        ]
        if let timeout {
            // Changes on every call: keep it out of the HPACK dynamic table.
            headers.append(HPACKHeader(name: "grpc-timeout", value: GRPCTimeout.encode(timeout), indexing: .notIndexed))
        }
        headers.append(HPACKHeader(name: "user-agent", value: configuration.userAgent))
        GRPCHeaders.append(options.metadata, to: &headers)
        return headers
    }

    /// Opens a stream carrying the whole request, retrying on a new connection when the old one takes
    /// no new streams; sends the part of the body the windows do not allow yet.
    func openRequestStream(
        path: String, headers: [HPACKHeader], body: [UInt8], callGuard: GRPCCallGuard, attempt: inout Int
    ) async throws(RPCError) -> HTTP2Stream {
        while true {
            if let error = callGuard.error(path: path) { throw error }
            let connection = try await connection()
            let opened: (stream: HTTP2Stream, sent: Int)
            do {
                opened = try await connection.openStream(
                    headers: headers, data: body, endStream: true, canceller: callGuard.openCanceller)
            } catch {
                if let guardError = callGuard.error(path: path) { throw guardError }
                if error.isRetryable && attempt < configuration.transparentRetries {
                    attempt += 1
                    continue
                }
                throw rpcError(for: error, path: path)
            }
            guard callGuard.attach(opened.stream) else {
                throw callGuard.error(path: path) ?? RPCError(code: .cancelled, message: "cancelled", path: path)
            }
            if opened.sent < body.count {
                do {
                    try await opened.stream.sendData(body, from: opened.sent, trailers: nil, endStream: true)
                } catch {
                    if let guardError = callGuard.error(path: path) { throw guardError }
                    // A server may answer before reading the whole request (e.g. RESOURCE_EXHAUSTED from
                    // the length prefix) and then stop us with RST_STREAM(NO_ERROR) (RFC 9113 § 8.1):
                    // the complete response is queued, so read it.
                    guard opened.stream.isRemoteClosed else { throw rpcError(for: error, path: path) }
                }
            }
            return opened.stream
        }
    }
}
