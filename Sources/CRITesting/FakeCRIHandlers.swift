import CRI
import CRIGRPC

/// The gRPC method table that puts a ``FakeRuntime`` behind every CRI v1 method path.
enum FakeCRIHandlers {
    static func all(for runtime: FakeRuntime) -> [String: GRPCMethodHandler] {
        Dictionary(uniqueKeysWithValues: [
            unary(RuntimeService.version, runtime) { runtime, request in await runtime.version(request) },
            unary(RuntimeService.runPodSandbox, runtime) { runtime, request in try await runtime.runPodSandbox(request)
            },
            unary(RuntimeService.stopPodSandbox, runtime) { runtime, request in
                try await runtime.stopPodSandbox(request)
            },
            unary(RuntimeService.removePodSandbox, runtime) { runtime, request in
                try await runtime.removePodSandbox(request)
            },
            unary(RuntimeService.podSandboxStatus, runtime) { runtime, request in
                try await runtime.podSandboxStatus(request)
            },
            unary(RuntimeService.listPodSandbox, runtime) { runtime, request in await runtime.listPodSandbox(request) },
            unary(RuntimeService.createContainer, runtime) { runtime, request in
                try await runtime.createContainer(request)
            },
            unary(RuntimeService.startContainer, runtime) { runtime, request in
                try await runtime.startContainer(request)
            },
            unary(RuntimeService.stopContainer, runtime) { runtime, request in try await runtime.stopContainer(request)
            },
            unary(RuntimeService.removeContainer, runtime) { runtime, request in
                try await runtime.removeContainer(request)
            },
            unary(RuntimeService.listContainers, runtime) { runtime, request in await runtime.listContainers(request) },
            unary(RuntimeService.containerStatus, runtime) { runtime, request in
                try await runtime.containerStatus(request)
            },
            unary(RuntimeService.updateContainerResources, runtime) { runtime, request in
                try await runtime.updateContainerResources(request)
            },
            unary(RuntimeService.reopenContainerLog, runtime) { runtime, request in
                try await runtime.reopenContainerLog(request)
            },
            unary(RuntimeService.execSync, runtime) { runtime, request in try await runtime.execSync(request) },
            unary(RuntimeService.exec, runtime) { runtime, request in try await runtime.exec(request) },
            unary(RuntimeService.attach, runtime) { runtime, request in try await runtime.attach(request) },
            unary(RuntimeService.portForward, runtime) { runtime, request in try await runtime.portForward(request) },
            unary(RuntimeService.containerStats, runtime) { runtime, request in
                try await runtime.containerStats(request)
            },
            unary(RuntimeService.listContainerStats, runtime) { runtime, request in
                await runtime.listContainerStats(request)
            },
            unary(RuntimeService.podSandboxStats, runtime) { runtime, request in
                try await runtime.podSandboxStats(request)
            },
            unary(RuntimeService.listPodSandboxStats, runtime) { runtime, request in
                await runtime.listPodSandboxStats(request)
            },
            unary(RuntimeService.updateRuntimeConfig, runtime) { runtime, request in
                await runtime.updateRuntimeConfig(request)
            },
            unary(RuntimeService.status, runtime) { runtime, request in await runtime.status(request) },
            unary(RuntimeService.checkpointContainer, runtime) { runtime, request in
                try await runtime.checkpointContainer(request)
            },
            unary(RuntimeService.listMetricDescriptors, runtime) { runtime, request in
                await runtime.listMetricDescriptors(request)
            },
            unary(RuntimeService.listPodSandboxMetrics, runtime) { runtime, request in
                await runtime.listPodSandboxMetrics(request)
            },
            unary(RuntimeService.runtimeConfig, runtime) { runtime, request in await runtime.runtimeConfig(request) },
            unary(RuntimeService.updatePodSandboxResources, runtime) { runtime, request in
                try await runtime.updatePodSandboxResources(request)
            },
            batches(RuntimeService.streamPodSandboxes, runtime) { runtime, request in
                try await runtime.streamPodSandboxes(request)
            },
            batches(RuntimeService.streamContainers, runtime) { runtime, request in
                try await runtime.streamContainers(request)
            },
            batches(RuntimeService.streamContainerStats, runtime) { runtime, request in
                try await runtime.streamContainerStats(request)
            },
            batches(RuntimeService.streamPodSandboxStats, runtime) { runtime, request in
                try await runtime.streamPodSandboxStats(request)
            },
            batches(RuntimeService.streamPodSandboxMetrics, runtime) { runtime, request in
                try await runtime.streamPodSandboxMetrics(request)
            },
            events(runtime),
            batches(ImageService.streamImages, runtime) { runtime, request in try await runtime.streamImages(request) },
            unary(ImageService.listImages, runtime) { runtime, request in await runtime.listImages(request) },
            unary(ImageService.imageStatus, runtime) { runtime, request in await runtime.imageStatus(request) },
            unary(ImageService.pullImage, runtime) { runtime, request, deadline in
                try await runtime.pullImage(request, deadline: deadline)
            },
            unary(ImageService.removeImage, runtime) { runtime, request in await runtime.removeImage(request) },
            unary(ImageService.imageFsInfo, runtime) { runtime, request in await runtime.imageFsInfo(request) },
        ])
    }

    /// Decodes the request, records it, applies a pending fault, runs the RPC, encodes the answer.
    static func unary<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ runtime: FakeRuntime,
        _ body: @escaping @Sendable (FakeRuntime, Request) async throws -> Response
    ) -> (String, GRPCMethodHandler) {
        (
            method.path,
            .unary { bytes, context in
                let request = try await prepare(method, bytes, runtime, context)
                return try await run { try await body(runtime, request) }.serializedBytes()
            }
        )
    }

    /// A unary RPC whose body also sees the call's deadline (the client's `grpc-timeout`), for RPCs
    /// that take time and must give up when the caller does.
    static func unary<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ runtime: FakeRuntime,
        _ body: @escaping @Sendable (FakeRuntime, Request, ContinuousClock.Instant?) async throws -> Response
    ) -> (String, GRPCMethodHandler) {
        (
            method.path,
            .unary { bytes, context in
                let request = try await prepare(method, bytes, runtime, context)
                return try await run { try await body(runtime, request, context.deadline) }.serializedBytes()
            }
        )
    }

    /// A `Stream*` list: one message per batch.
    static func batches<Request, Response>(
        _ method: ProtoMethod<Request, Response>,
        _ runtime: FakeRuntime,
        _ body: @escaping @Sendable (FakeRuntime, Request) async throws -> [Response]
    ) -> (String, GRPCMethodHandler) {
        (
            method.path,
            .serverStreaming { bytes, writer, context in
                let request = try await prepare(method, bytes, runtime, context)
                for batch in try await run({ try await body(runtime, request) }) {
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
