import CRI
import CRIGRPC

/// How the fake server turns a gRPC call into a ``FakeRuntime`` call: decode, record, inject a pending fault, run,
/// map errors to gRPC statuses. The per-method table is generated (FakeRuntimeServing.swift).
enum FakeCRIHandlers {
    /// The gRPC method table that puts `runtime` behind every CRI v1 method path (generated: ``table(_:serving:)``).
    static func all(for runtime: FakeRuntime) -> [String: GRPCMethodHandler] {
        table(runtime, serving: runtime)
    }

    /// Decodes the request, records it, applies a pending fault, runs the RPC, encodes the answer.
    static func unary<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ runtime: FakeRuntime,
        _ body: @escaping @Sendable (Request) async throws -> Response
    ) -> (String, GRPCMethodHandler) {
        (
            method.path,
            .unary { bytes, context in
                let request = try await prepare(method, bytes, runtime, context)
                return try await run { try await body(request) }.serializedBytes()
            }
        )
    }

    /// A unary RPC whose body also sees the call's deadline (the client's `grpc-timeout`), for RPCs
    /// that take time and must give up when the caller does.
    static func unary<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ runtime: FakeRuntime,
        _ body: @escaping @Sendable (Request, ContinuousClock.Instant?) async throws -> Response
    ) -> (String, GRPCMethodHandler) {
        (
            method.path,
            .unary { bytes, context in
                let request = try await prepare(method, bytes, runtime, context)
                return try await run { try await body(request, context.deadline) }.serializedBytes()
            }
        )
    }

    /// A `Stream*` list: one message per batch.
    static func batches<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ runtime: FakeRuntime,
        _ body: @escaping @Sendable (Request) async throws -> [Response]
    ) -> (String, GRPCMethodHandler) {
        (
            method.path,
            .serverStreaming { bytes, writer, context in
                let request = try await prepare(method, bytes, runtime, context)
                for batch in try await run({ try await body(request) }) {
                    try await writer.write(batch.serializedBytes())
                }
            }
        )
    }

    /// GetContainerEvents: forwards the runtime's events until the client goes away.
    static func events(_ runtime: FakeRuntime) -> (String, GRPCMethodHandler) {
        let method = RuntimeService.getContainerEvents
        return (
            method.path,
            .serverStreaming { bytes, writer, context in
                _ = try await prepare(method, bytes, runtime, context)
                for await event in await runtime.containerEvents() {
                    try await writer.write(event.serializedBytes())
                }
            }
        )
    }

    private static func prepare<Request, Response>(
        _ method: ProtoMethod<Request, Response>, _ bytes: [UInt8], _ runtime: FakeRuntime, _ context: GRPCServerContext
    ) async throws -> Request {
        let request: Request
        do {
            request = try Request(serializedBytes: bytes)
        } catch {
            throw RPCError(code: .internalError, message: "cannot decode \(Request.protoMessageName): \(error)")
        }
        await runtime.record(method.methodName, request)
        if let fault = await runtime.takeFault(for: method.methodName) {
            switch fault.kind {
            case .error(let code, let message):
                throw RPCError(code: RPCError.Code(rawValue: code.rawValue), message: message)
            case .delay(let duration):
                try await Task.sleep(for: duration)
            case .dropConnection:
                context.closeConnection()
                throw RPCError(code: .unavailable, message: "connection dropped (injected)")
            case .goAway:
                context.goAway()
            }
        }
        return request
    }

    /// Runs the RPC body, turning the runtime's ``CRIError`` into the gRPC status it stands for.
    private static func run<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as CRIError {
            throw RPCError(code: RPCError.Code(rawValue: error.code.rawValue), message: error.message)
        }
    }
}
