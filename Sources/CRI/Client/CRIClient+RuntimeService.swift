// The RuntimeService RPCs (unary); the server-streaming ones are in CRIClient+Streaming.swift.

extension CRIClient {
    /// Version: The runtime's name and version and the CRI API version it serves.
    ///
    /// - Throws: ``CRIError``.
    public func version(
        _ request: VersionRequest = VersionRequest.v1, options callOptions: CRICallOptions? = nil
    ) async throws -> VersionResponse {
        do throws(CRIError) {
            return try await unary(
                RuntimeService.version, request, options: callOptions, validate: CRIResponseValidation.version)
        } catch {
            guard error.code == .unimplemented else { throw error }
            throw CRIError(
                code: .unimplemented,
                message: "the runtime at \(runtimeEndpoint) does not serve CRI v1 (runtime.v1.RuntimeService): "
                    + error.message,
                method: "Version", endpoint: runtimeEndpoint, cause: error)
        }
    }

    /// RunPodSandbox: Creates and starts a pod sandbox; the runtime must leave it READY. Deadline: twice the client
    /// timeout.
    ///
    /// - Throws: ``CRIError``.
    public func runPodSandbox(
        _ request: RunPodSandboxRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> RunPodSandboxResponse {
        try await unary(
            RuntimeService.runPodSandbox, request, deadline: .scaled(2), options: callOptions,
            validate: CRIResponseValidation.runPodSandbox)
    }

    /// StopPodSandbox: Stops a pod sandbox and its containers and releases its network; idempotent.
    ///
    /// - Throws: ``CRIError``.
    public func stopPodSandbox(
        _ request: StopPodSandboxRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> StopPodSandboxResponse {
        try await unary(RuntimeService.stopPodSandbox, request, deadline: .standard, options: callOptions)
    }

    /// RemovePodSandbox: Removes a pod sandbox (forcibly removing its containers); idempotent.
    ///
    /// - Throws: ``CRIError``.
    public func removePodSandbox(
        _ request: RemovePodSandboxRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> RemovePodSandboxResponse {
        try await unary(RuntimeService.removePodSandbox, request, deadline: .standard, options: callOptions)
    }

    /// PodSandboxStatus: The status of one pod sandbox; `verbose` adds the runtime's `info` map.
    ///
    /// - Throws: ``CRIError``.
    public func podSandboxStatus(
        _ request: PodSandboxStatusRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> PodSandboxStatusResponse {
        try await unary(
            RuntimeService.podSandboxStatus, request, deadline: .standard, options: callOptions,
            validate: CRIResponseValidation.podSandboxStatus)
    }

    /// ListPodSandbox: Lists pod sandboxes, optionally filtered by ID, state and labels.
    ///
    /// - Throws: ``CRIError``.
    public func listPodSandbox(
        _ request: ListPodSandboxRequest = ListPodSandboxRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> ListPodSandboxResponse {
        try await unary(RuntimeService.listPodSandbox, request, deadline: .standard, options: callOptions)
    }

    /// CreateContainer: Creates a container in a pod sandbox (state CREATED).
    ///
    /// - Throws: ``CRIError``.
    public func createContainer(
        _ request: CreateContainerRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> CreateContainerResponse {
        try await unary(
            RuntimeService.createContainer, request, deadline: .standard, options: callOptions,
            validate: CRIResponseValidation.createContainer)
    }

    /// StartContainer: Starts a created container.
    ///
    /// - Throws: ``CRIError``.
    public func startContainer(
        _ request: StartContainerRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> StartContainerResponse {
        try await unary(RuntimeService.startContainer, request, deadline: .standard, options: callOptions)
    }

    /// StopContainer: Stops a running container, killing it after `timeout` seconds; idempotent. Deadline: client
    /// timeout plus that grace period.
    ///
    /// - Throws: ``CRIError``.
    public func stopContainer(
        _ request: StopContainerRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> StopContainerResponse {
        try await unary(
            RuntimeService.stopContainer, request, deadline: .extended(.seconds(request.timeout)),
            options: callOptions)
    }

    /// RemoveContainer: Removes a container (forcibly if running); idempotent.
    ///
    /// - Throws: ``CRIError``.
    public func removeContainer(
        _ request: RemoveContainerRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> RemoveContainerResponse {
        try await unary(RuntimeService.removeContainer, request, deadline: .standard, options: callOptions)
    }

    /// ListContainers: Lists containers, optionally filtered by ID, state, pod and labels.
    ///
    /// - Throws: ``CRIError``.
    public func listContainers(
        _ request: ListContainersRequest = ListContainersRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> ListContainersResponse {
        try await unary(RuntimeService.listContainers, request, deadline: .standard, options: callOptions)
    }

    /// ContainerStatus: The status of one container; `verbose` adds the runtime's `info` map.
    ///
    /// - Throws: ``CRIError``.
    public func containerStatus(
        _ request: ContainerStatusRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> ContainerStatusResponse {
        try await unary(
            RuntimeService.containerStatus, request, deadline: .standard, options: callOptions,
            validate: CRIResponseValidation.containerStatus)
    }

    /// UpdateContainerResources: Changes a container's resource limits.
    ///
    /// - Throws: ``CRIError``.
    public func updateContainerResources(
        _ request: UpdateContainerResourcesRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> UpdateContainerResourcesResponse {
        try await unary(RuntimeService.updateContainerResources, request, deadline: .standard, options: callOptions)
    }

    /// ReopenContainerLog: Asks the runtime to reopen a container's log file (after rotation).
    ///
    /// - Throws: ``CRIError``.
    public func reopenContainerLog(
        _ request: ReopenContainerLogRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> ReopenContainerLogResponse {
        try await unary(RuntimeService.reopenContainerLog, request, deadline: .standard, options: callOptions)
    }

    /// ExecSync: Runs a command in a container and returns its output and exit code (a non-zero exit is not an error).
    /// Deadline: client timeout plus the request's `timeout`, or none when that is 0.
    ///
    /// - Throws: ``CRIError``.
    public func execSync(
        _ request: ExecSyncRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> ExecSyncResponse {
        try await unary(
            RuntimeService.execSync, request,
            deadline: request.timeout == 0 ? .fixed(nil) : .extended(.seconds(request.timeout)), options: callOptions)
    }

    /// Exec: Prepares an interactive command; the response's URL is the streaming endpoint, good for one session.
    /// ``withExecSession(_:options:callOptions:isolation:_:)`` makes this call and opens the session.
    ///
    /// - Throws: ``CRIError``.
    public func exec(_ request: ExecRequest, options callOptions: CRICallOptions? = nil) async throws -> ExecResponse {
        try await unary(
            RuntimeService.exec, request, deadline: .standard, options: callOptions,
            validate: { CRIResponseValidation.url($0.url, "ExecResponse") })
    }

    /// Attach: Prepares an attach to a container's process; the response's URL is the streaming endpoint.
    /// ``withAttachSession(containerID:stdin:tty:options:callOptions:isolation:_:)`` makes this call and opens the
    /// session.
    ///
    /// - Throws: ``CRIError``.
    public func attach(
        _ request: AttachRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> AttachResponse {
        try await unary(
            RuntimeService.attach, request, deadline: .standard, options: callOptions,
            validate: { CRIResponseValidation.url($0.url, "AttachResponse") })
    }

    /// PortForward: Prepares port forwarding into a pod sandbox; the response's URL is the streaming endpoint.
    /// ``withPortForward(podSandboxID:port:options:callOptions:isolation:_:)`` makes this call and opens a
    /// connection.
    ///
    /// - Throws: ``CRIError``.
    public func portForward(
        _ request: PortForwardRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> PortForwardResponse {
        try await unary(
            RuntimeService.portForward, request, deadline: .standard, options: callOptions,
            validate: { CRIResponseValidation.url($0.url, "PortForwardResponse") })
    }

    /// ContainerStats: Resource usage of one container.
    ///
    /// - Throws: ``CRIError``.
    public func containerStats(
        _ request: ContainerStatsRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> ContainerStatsResponse {
        try await unary(RuntimeService.containerStats, request, deadline: .standard, options: callOptions)
    }

    /// ListContainerStats: Resource usage of the containers matching a filter.
    ///
    /// - Throws: ``CRIError``.
    public func listContainerStats(
        _ request: ListContainerStatsRequest = ListContainerStatsRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> ListContainerStatsResponse {
        try await unary(RuntimeService.listContainerStats, request, deadline: .standard, options: callOptions)
    }

    /// PodSandboxStats: Resource usage of one pod sandbox.
    ///
    /// - Throws: ``CRIError``.
    public func podSandboxStats(
        _ request: PodSandboxStatsRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> PodSandboxStatsResponse {
        try await unary(RuntimeService.podSandboxStats, request, deadline: .standard, options: callOptions)
    }

    /// ListPodSandboxStats: Resource usage of the pod sandboxes matching a filter.
    ///
    /// - Throws: ``CRIError``.
    public func listPodSandboxStats(
        _ request: ListPodSandboxStatsRequest = ListPodSandboxStatsRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> ListPodSandboxStatsResponse {
        try await unary(RuntimeService.listPodSandboxStats, request, deadline: .standard, options: callOptions)
    }

    /// UpdateRuntimeConfig: Updates the runtime's configuration (the pod CIDR).
    ///
    /// - Throws: ``CRIError``.
    public func updateRuntimeConfig(
        _ request: UpdateRuntimeConfigRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> UpdateRuntimeConfigResponse {
        try await unary(RuntimeService.updateRuntimeConfig, request, deadline: .standard, options: callOptions)
    }

    /// Status: The runtime's conditions (RuntimeReady, NetworkReady), handlers and features; `verbose` adds its `info`
    /// map.
    ///
    /// - Throws: ``CRIError``.
    public func status(
        _ request: StatusRequest = StatusRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> StatusResponse {
        try await unary(
            RuntimeService.status, request, deadline: .standard, options: callOptions,
            validate: CRIResponseValidation.status)
    }

    /// CheckpointContainer: Checkpoints a container to an archive. Deadline: the larger of the client timeout and the
    /// request's `timeout`.
    ///
    /// - Throws: ``CRIError``.
    public func checkpointContainer(
        _ request: CheckpointContainerRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> CheckpointContainerResponse {
        try await unary(
            RuntimeService.checkpointContainer, request,
            deadline: .fixed(
                max(
                    .seconds(request.timeout),
                    options.timeout)), options: callOptions)
    }

    /// ListMetricDescriptors: Describes the metrics ``listPodSandboxMetrics(_:options:)`` returns.
    ///
    /// - Throws: ``CRIError``.
    public func listMetricDescriptors(
        _ request: ListMetricDescriptorsRequest = ListMetricDescriptorsRequest(),
        options callOptions: CRICallOptions? = nil
    ) async throws -> ListMetricDescriptorsResponse {
        try await unary(RuntimeService.listMetricDescriptors, request, deadline: .standard, options: callOptions)
    }

    /// ListPodSandboxMetrics: Metrics of every pod sandbox and its containers.
    ///
    /// - Throws: ``CRIError``.
    public func listPodSandboxMetrics(
        _ request: ListPodSandboxMetricsRequest = ListPodSandboxMetricsRequest(),
        options callOptions: CRICallOptions? = nil
    ) async throws -> ListPodSandboxMetricsResponse {
        try await unary(RuntimeService.listPodSandboxMetrics, request, deadline: .standard, options: callOptions)
    }

    /// RuntimeConfig: The runtime's configuration the kubelet must match (the cgroup driver).
    ///
    /// - Throws: ``CRIError``.
    public func runtimeConfig(
        _ request: RuntimeConfigRequest = RuntimeConfigRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> RuntimeConfigResponse {
        try await unary(RuntimeService.runtimeConfig, request, deadline: .standard, options: callOptions)
    }

    /// UpdatePodSandboxResources: Changes a pod sandbox's resources (overhead and limits).
    ///
    /// - Throws: ``CRIError``.
    public func updatePodSandboxResources(
        _ request: UpdatePodSandboxResourcesRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> UpdatePodSandboxResourcesResponse {
        try await unary(RuntimeService.updatePodSandboxResources, request, deadline: .standard, options: callOptions)
    }
}

extension VersionRequest {
    /// The request the kubelet sends: the CRI API version it speaks, `v1`.
    public static var v1: VersionRequest {
        var request = VersionRequest()
        request.version = "v1"
        return request
    }
}
