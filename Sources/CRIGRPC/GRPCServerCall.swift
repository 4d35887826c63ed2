import CRIHPACK
import CRIHTTP2
import Synchronization

/// One call on the server: its stream, its handler task, and exactly-once status.
final class GRPCServerCall: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var cancelled = false
        var headersSent = false
        var finished = false
    }

    let stream: HTTP2Stream
    let configuration: GRPCServerConfiguration
    private let state = Mutex(State())
    private let context = Mutex<GRPCServerContext?>(nil)

    init(stream: HTTP2Stream, configuration: GRPCServerConfiguration) {
        self.stream = stream
        self.configuration = configuration
    }

    /// Records the task running the call so resets and deadlines can cancel it.
    func setTask(_ task: Task<Void, Never>) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }

    /// Cancels the handler (client reset, deadline, connection loss).
    func cancel() {
        let task: Task<Void, Never>? = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }

    func setContext(_ context: GRPCServerContext) { self.context.withLock { $0 = context } }

    private static let responseHeadersBase: [HPACKHeader] = [
        HPACKHeader(name: ":status", value: "200"),
        HPACKHeader(name: "content-type", value: "application/grpc"),
    ]

    private func responseHeaders() -> [HPACKHeader] {
        var headers = Self.responseHeadersBase
        if let metadata = context.withLock({ $0?.initialMetadata }) {
            GRPCHeaders.append(metadata, to: &headers)
        }
        return headers
    }

    private func trailers(code: RPCError.Code, message: String, metadata: GRPCMetadata) -> [HPACKHeader] {
        var trailers = [HPACKHeader(name: "grpc-status", value: String(code.rawValue))]
        if !message.isEmpty {
            trailers.append(HPACKHeader(name: "grpc-message", value: PercentEncoding.encode(message)))
        }
        GRPCHeaders.append(metadata, to: &trailers)
        return trailers
    }

    /// Sends a streamed message, with the headers before the first.
    func sendMessage(_ message: [UInt8]) async throws(RPCError) {
        guard message.count <= configuration.maxSendMessageSize else {
            throw RPCError.resourceExhausted(
                "response message", size: message.count, limit: configuration.maxSendMessageSize, path: "")
        }
        let sendHeaders: Bool? = state.withLock { state in
            guard !state.finished else { return nil }
            defer { state.headersSent = true }
            return !state.headersSent
        }
        guard let sendHeaders else { throw RPCError(code: .cancelled, message: "the call has ended") }
        do {
            try await stream.send(headers: sendHeaders ? responseHeaders() : nil, data: grpcFramed(message))
        } catch {
            throw rpcError(for: error, path: "")
        }
    }

    /// Sends a unary response: headers, message and OK trailers in one write.
    func finish(message: [UInt8]) async {
        guard message.count <= configuration.maxSendMessageSize else {
            await finish(
                error: .resourceExhausted(
                    "response message", size: message.count, limit: configuration.maxSendMessageSize, path: ""))
            return
        }
        let sendHeaders: Bool? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            defer { state.headersSent = true }
            return !state.headersSent
        }
        guard let sendHeaders else { return }
        let metadata = context.withLock { $0?.trailingMetadata } ?? GRPCMetadata()
        try? await stream.send(
            headers: sendHeaders ? responseHeaders() : nil, data: grpcFramed(message),
            trailers: trailers(code: .ok, message: "", metadata: metadata))
        closeStream()
    }

    /// Ends a streaming response with OK.
    func finishStreaming() async {
        await finish(status: .ok, message: "", metadata: context.withLock { $0?.trailingMetadata } ?? GRPCMetadata())
    }

    /// Ends the call with an error status (trailers-only when no headers went out).
    func finish(error: RPCError) async {
        var metadata = context.withLock { $0?.trailingMetadata } ?? GRPCMetadata()
        for entry in error.trailingMetadata {
            switch entry.value {
            case .string(let text): metadata.add(entry.key, text)
            case .binary(let bytes): metadata.add(entry.key, binary: bytes)
            }
        }
        await finish(status: error.code, message: error.message, metadata: metadata)
    }

    private func finish(status: RPCError.Code, message: String, metadata: GRPCMetadata) async {
        let headersSent: Bool? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            return state.headersSent
        }
        guard let headersSent else { return }
        let trailers = trailers(code: status, message: message, metadata: metadata)
        if headersSent {
            try? await stream.send(trailers: trailers)
        } else {
            // PROTOCOL-HTTP2 "Trailers-Only": status in the single header block.
            try? await stream.send(headers: responseHeaders() + trailers, endStream: true)
        }
        closeStream()
    }

    /// Sends a bare HTTP status (non-gRPC requests) and ends the stream.
    func finish(httpStatus: Int) async {
        guard state.withLock({ state in
            defer { state.finished = true }
            return !state.finished
        }) else { return }
        try? await stream.send(headers: [HPACKHeader(name: ":status", value: String(httpStatus))], endStream: true)
        closeStream()
    }

    /// After our END_STREAM: if the client is still sending, stop it (RFC 9113 § 8.1: RST_STREAM(NO_ERROR)).
    private func closeStream() {
        if !stream.isRemoteClosed { stream.reset(.noError) }
    }
}
