import CRIHTTP2
import Dispatch

extension GRPCClient {
    /// Makes a unary call and returns the response message.
    /// - Throws: ``RPCError`` with the server's status or the local reason.
    package func unary(
        path: String, request: [UInt8], options: GRPCCallOptions = .defaults
    ) async throws(RPCError) -> [UInt8] {
        try await unaryResponse(path: path, request: request, options: options).message
    }

    /// Makes a unary call and returns the response with its metadata.
    ///
    /// The call ends with DEADLINE_EXCEEDED at `options.timeout` and with CANCELLED when the task is
    /// cancelled; in both cases the stream is reset with CANCEL.
    /// - Throws: ``RPCError`` with the server's status or the local reason.
    package func unaryResponse(
        path: String, request: [UInt8], options: GRPCCallOptions = .defaults
    ) async throws(RPCError) -> GRPCUnaryResponse {
        let maxSend = options.maxSendMessageSize ?? configuration.maxSendMessageSize
        guard request.count <= maxSend else {
            throw RPCError.resourceExhausted("request message", size: request.count, limit: maxSend, path: path)
        }
        if let timeout = options.timeout, timeout <= .zero {
            throw RPCError(code: .deadlineExceeded, message: "the deadline had passed before the call started", path: path)
        }
        let callGuard = GRPCCallGuard(timeout: options.timeout)
        let timer = options.timeout.map { callGuard.startTimer(timeout: $0) }
        defer { timer?.cancel() }
        let result = await withTaskCancellationHandler {
            await performUnary(path: path, request: request, options: options, callGuard: callGuard)
        } onCancel: {
            callGuard.fire(.cancelled)
        }
        return try result.get()
    }

    private func performUnary(
        path: String, request: [UInt8], options: GRPCCallOptions, callGuard: GRPCCallGuard
    ) async -> Result<GRPCUnaryResponse, RPCError> {
        let headers = requestHeaders(path: path, options: options, timeout: options.timeout)
        let body = grpcFramed(request)
        let maxReceive = options.maxReceiveMessageSize ?? configuration.maxReceiveMessageSize
        var attempt = 0
        while true {
            do throws(RPCError) {
                let stream = try await openRequestStream(
                    path: path, headers: headers, body: body, callGuard: callGuard, attempt: &attempt)
                var reader = GRPCResponseReader(path: path, maxMessageSize: maxReceive)
                reader.readsInline = true
                guard let message = try await reader.next(from: stream, guard: callGuard) else {
                    return .failure(RPCError.internalError("the response has no message", path: path))
                }
                if try await reader.next(from: stream, guard: callGuard) != nil {
                    stream.reset(.cancel)
                    return .failure(RPCError.internalError("a unary response with more than one message", path: path))
                }
                return .success(
                    GRPCUnaryResponse(
                        message: message, initialMetadata: reader.initialMetadata,
                        trailingMetadata: reader.trailingMetadata))
            } catch {
                // A stream the server never processed (GOAWAY above it, REFUSED_STREAM) is retried.
                if let failure = error.cause as? HTTP2StreamFailure, failure.isRetryable,
                    callGuard.fired == nil, attempt < configuration.transparentRetries
                {
                    attempt += 1
                    continue
                }
                return .failure(error)
            }
        }
    }
}
