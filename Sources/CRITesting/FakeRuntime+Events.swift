public import CRI

extension FakeRuntime {
    /// GetContainerEvents: an unbounded stream with one event per container lifecycle change,
    /// carrying the pod's status and the container's status, as containerd sends them.
    public func containerEvents() -> AsyncStream<ContainerEventResponse> {
        let (stream, continuation) = AsyncStream<ContainerEventResponse>.makeStream(
            bufferingPolicy: .bufferingNewest(10_000))
        let subscriber = nextSubscriberID
        nextSubscriberID += 1
        eventSubscribers[subscriber] = continuation
        resumeSubscriberWaiters()
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(subscriber) }
        }
        return stream
    }

    /// Returns once at least `count` `GetContainerEvents` streams are open: a client's stream is
    /// only subscribed when its request has reached the runtime, so tests that trigger an event
    /// right after opening the stream wait for this first.
    public func waitForEventSubscribers(count: Int = 1) async {
        if eventSubscribers.count >= count { return }
        await withCheckedContinuation { continuation in
            subscriberWaiters.append((count, continuation))
        }
    }

    func resumeSubscriberWaiters() {
        let ready = subscriberWaiters.filter { $0.count <= eventSubscribers.count }
        subscriberWaiters.removeAll { $0.count <= eventSubscribers.count }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// The number of open `GetContainerEvents` streams.
    public var eventSubscriberCount: Int { eventSubscribers.count }

    /// Ends every open `GetContainerEvents` stream (the server does this when it shuts down).
    public func finishEventStreams() {
        for continuation in eventSubscribers.values { continuation.finish() }
        eventSubscribers.removeAll()
    }

    func unsubscribe(_ subscriber: Int) {
        eventSubscribers[subscriber] = nil
    }

    func emitEvent(_ type: ContainerEventType, containerID id: String) {
        guard !eventSubscribers.isEmpty, let record = containers[id] else { return }
        var event = ContainerEventResponse()
        event.containerID = id
        event.containerEventType = type
        event.createdAt = wallClockNanoseconds()
        event.podSandboxStatus = sandboxes[record.podSandboxID]?.status
        event.containersStatuses = [record.status]
        for continuation in eventSubscribers.values { continuation.yield(event) }
    }
}

extension FakeRuntime {
    /// The batches a `Stream*` RPC sends: every item exactly once, at most
    /// ``Configuration/streamBatchSize`` per message. Throws UNIMPLEMENTED when the configuration
    /// emulates a runtime without streaming lists.
    func batches<Item>(_ items: [Item]) throws(CRIError) -> [[Item]] {
        guard configuration.supportsStreamingLists else {
            throw CRIError(code: .unimplemented, message: "unknown method for service runtime.v1.RuntimeService")
        }
        let size = max(1, configuration.streamBatchSize)
        return stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    /// StreamPodSandboxes: the ListPodSandbox result in batches.
    public func streamPodSandboxes(_ request: StreamPodSandboxesRequest) throws(CRIError)
        -> [StreamPodSandboxesResponse]
    {
        try batches(filteredSandboxes(request.filter)).map {
            var response = StreamPodSandboxesResponse()
            response.podSandboxes = $0
            return response
        }
    }

    /// StreamContainers: the ListContainers result in batches.
    public func streamContainers(_ request: StreamContainersRequest) throws(CRIError) -> [StreamContainersResponse] {
        try batches(filteredContainers(request.filter)).map {
            var response = StreamContainersResponse()
            response.containers = $0
            return response
        }
    }

    /// StreamContainerStats: the ListContainerStats result in batches.
    public func streamContainerStats(_ request: StreamContainerStatsRequest) throws(CRIError)
        -> [StreamContainerStatsResponse]
    {
        try batches(filteredContainerStats(request.filter)).map {
            var response = StreamContainerStatsResponse()
            response.containerStats = $0
            return response
        }
    }

    /// StreamPodSandboxStats: the ListPodSandboxStats result in batches.
    public func streamPodSandboxStats(_ request: StreamPodSandboxStatsRequest) throws(CRIError)
        -> [StreamPodSandboxStatsResponse]
    {
        try batches(filteredSandboxStats(request.filter)).map {
            var response = StreamPodSandboxStatsResponse()
            response.podSandboxStats = $0
            return response
        }
    }

    /// StreamPodSandboxMetrics: the ListPodSandboxMetrics result in batches.
    public func streamPodSandboxMetrics(_ request: StreamPodSandboxMetricsRequest) throws(CRIError)
        -> [StreamPodSandboxMetricsResponse]
    {
        try batches(allSandboxMetrics()).map {
            var response = StreamPodSandboxMetricsResponse()
            response.podSandboxMetrics = $0
            return response
        }
    }

    /// StreamImages: the ListImages result in batches.
    public func streamImages(_ request: StreamImagesRequest) throws(CRIError) -> [StreamImagesResponse] {
        guard configuration.supportsStreamingLists else {
            throw CRIError(
                code: .unimplemented, message: "unknown method StreamImages for service runtime.v1.ImageService")
        }
        return try batches(filteredImages(request.filter)).map {
            var response = StreamImagesResponse()
            response.images = $0
            return response
        }
    }
}
