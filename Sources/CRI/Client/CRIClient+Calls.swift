import CRIGRPC

/// Which deadline a call gets when the caller does not override it.
enum DefaultDeadline {
    /// The client's ordinary timeout.
    case standard
    /// The ordinary timeout times `factor` (RunPodSandbox: 2).
    case scaled(Int)
    /// The ordinary timeout plus this much (StopContainer's grace, ExecSync's own timeout).
    case extended(Duration)
    /// Exactly this, or none.
    case fixed(Duration?)
}

extension CRIClient {
    func channel<Request, Response>(for method: ProtoMethod<Request, Response>) -> CRIChannel {
        method.serviceName == ImageService.serviceName ? imageChannel : runtimeChannel
    }

    func timeout(_ deadline: DefaultDeadline, options callOptions: CRICallOptions?) -> Duration? {
        switch callOptions?.timeout {
        case .none?: return nil
        case .after(let duration)?: return duration
        case nil: break
        }
        switch deadline {
        case .standard: return options.timeout
        case .scaled(let factor): return options.timeout * factor
        case .extended(let extra): return options.timeout + extra
        case .fixed(let duration): return duration
        }
    }

    func grpcOptions(_ deadline: DefaultDeadline, _ callOptions: CRICallOptions?) -> GRPCCallOptions {
        var grpc = GRPCCallOptions(timeout: timeout(deadline, options: callOptions))
        if let callOptions, !callOptions.metadata.isEmpty {
            grpc.metadata = GRPCMetadata(callOptions.metadata.map { ($0.key, $0.value) })
        }
        return grpc
    }

    /// Makes a unary call: encode, send, decode, validate, log; every failure becomes a ``CRIError``
    /// naming the method and the endpoint.
    func unary<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ request: Request,
        deadline: DefaultDeadline = .standard,
        options callOptions: CRICallOptions?,
        validate: (Response) -> String? = { _ in nil }
    ) async throws(CRIError) -> Response {
        let channel = channel(for: method)
        let start = ContinuousClock.now
        var result: Result<Response, CRIError>
        do throws(RPCError) {
            let bytes = try await channel.grpc.unary(
                path: method.path, request: request.serializedBytes(), options: grpcOptions(deadline, callOptions))
            do throws(ProtoDecodingError) {
                let response = try Response(serializedBytes: bytes)
                if let problem = validate(response) {
                    result = .failure(
                        CRIError(
                            code: .invalidResponse, message: problem, method: method.methodName,
                            endpoint: channel.endpointText))
                } else {
                    result = .success(response)
                }
            } catch {
                // A response we cannot parse is INTERNAL on the client side (gRPC status-code table).
                result = .failure(
                    CRIError(
                        code: .internalError, message: "cannot decode \(Response.protoMessageName): \(error)",
                        method: method.methodName, endpoint: channel.endpointText, cause: error))
            }
        } catch {
            result = .failure(criError(error, method: method.methodName, endpoint: channel.endpointText))
        }
        // Before the logger or the caller sees it: a runtime that echoes the request's credentials.
        if case .failure(let error) = result { result = .failure(error.redacting(secretValues(of: request))) }
        log(method.methodName, channel, start, request, result)
        return try result.get()
    }

    func log<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: String, _ channel: CRIChannel, _ start: ContinuousClock.Instant,
        _ request: Request, _ result: Result<Response, CRIError>
    ) {
        guard let logger = options.logger else { return }
        var record = CRICallRecord(
            method: method, endpoint: channel.endpointText, duration: ContinuousClock.now - start,
            error: nil, request: request.description, response: nil)
        switch result {
        case .success(let response): record.response = redact(response.description, streamingURLSecrets(of: response))
        case .failure(let error): record.error = error
        }
        logger(record)
    }
}

/// Maps a gRPC failure to the public error, keeping the original as the cause.
func criError(_ error: RPCError, method: String, endpoint: String) -> CRIError {
    if let transport = error.cause as? CRIError {
        // The connector's own error (e.g. reconnect backoff) already says what happened.
        return CRIError(
            code: transport.code, message: transport.message, method: method, endpoint: endpoint, cause: error)
    }
    return CRIError(
        code: CRIError.Code(rawValue: error.code.rawValue), message: error.message,
        method: method, endpoint: endpoint, cause: error)
}
