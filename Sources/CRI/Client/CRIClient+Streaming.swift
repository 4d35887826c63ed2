import CRIGRPC
import Synchronization

extension CRIClient {
    /// Opens a server-streaming call and hands its decoded responses to `body`; the call ends when
    /// `body` returns.
    func serverStreaming<Request, Response, Result>(
        _ method: ProtoMethod<Request, Response>,
        _ request: Request,
        deadline: DefaultDeadline,
        options callOptions: CRICallOptions?,
        _ body: (CRIResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let channel = channel(for: method)
        do {
            return try await channel.grpc.serverStreaming(
                path: method.path, request: request.serializedBytes(), options: grpcOptions(deadline, callOptions)
            ) { responses in
                try await body(
                    CRIResponseStream(base: responses, method: method.methodName, endpoint: channel.endpointText))
            }
        } catch let error as RPCError {
            throw criError(error, method: method.methodName, endpoint: channel.endpointText)
        }
    }

    /// GetContainerEvents: container lifecycle events as they happen, for as long as `body` reads
    /// them (no deadline unless the options set one).
    ///
    /// ```swift
    /// try await cri.getContainerEvents { events in
    ///     for try await event in events { print(event.containerID, event.containerEventType) }
    /// }
    /// ```
    /// - Throws: ``CRIError``, or what `body` throws.
    public func getContainerEvents<Result>(
        _ request: GetEventsRequest = GetEventsRequest(),
        options callOptions: CRICallOptions? = nil,
        _ body: (CRIResponseStream<ContainerEventResponse>) async throws -> Result
    ) async throws -> Result {
        try await serverStreaming(
            RuntimeService.getContainerEvents, request, deadline: .fixed(nil), options: callOptions, body)
    }

    /// Runs a `Stream*` list RPC and collects every item under one deadline, as the kubelet does (the typed
    /// `stream*` methods are generated, in CRIClient+RPCs.swift);
    /// a runtime that answers UNIMPLEMENTED (containerd 1.6/1.7) is remembered and served by the
    /// unary `List*` RPC from then on.
    func collect<Request, Response, Item>(
        _ method: ProtoMethod<Request, Response>,
        _ request: Request,
        options callOptions: CRICallOptions?,
        items: @escaping (Response) -> [Item],
        fallback: () async throws -> [Item]
    ) async throws -> [Item] {
        if unsupportedStreamingMethods.withLock({ $0.contains(method.methodName) }) { return try await fallback() }
        do {
            return try await serverStreaming(method, request, deadline: .standard, options: callOptions) { responses in
                var collected: [Item] = []
                for try await response in responses { collected += items(response) }
                return collected
            }
        } catch let error as CRIError where error.code == .unimplemented {
            unsupportedStreamingMethods.withLock { _ = $0.insert(method.methodName) }
            return try await fallback()
        }
    }

    /// The `Stream*` RPCs this client has found unimplemented by the runtime (served by `List*`).
    public var streamingListsFallingBack: Set<String> {
        unsupportedStreamingMethods.withLock { $0 }
    }
}
