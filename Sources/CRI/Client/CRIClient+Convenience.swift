// Shorthands for the calls people start with; each builds the request and returns the one value
// that matters. The full request/response forms stay available for everything else.

extension CRIClient {
    /// Runs a pod sandbox and returns its ID.
    /// - Throws: ``CRIError``.
    public func runPodSandbox(_ config: PodSandboxConfig, runtimeHandler: String = "") async throws -> String {
        var request = RunPodSandboxRequest()
        request.config = config
        request.runtimeHandler = runtimeHandler
        return try await runPodSandbox(request).podSandboxID
    }

    /// Stops a pod sandbox.
    /// - Throws: ``CRIError``.
    public func stopPodSandbox(id: String) async throws {
        var request = StopPodSandboxRequest()
        request.podSandboxID = id
        _ = try await stopPodSandbox(request)
    }

    /// Removes a pod sandbox.
    /// - Throws: ``CRIError``.
    public func removePodSandbox(id: String) async throws {
        var request = RemovePodSandboxRequest()
        request.podSandboxID = id
        _ = try await removePodSandbox(request)
    }

    /// The status of a pod sandbox.
    /// - Throws: ``CRIError``.
    public func podSandboxStatus(id: String, verbose: Bool = false) async throws -> PodSandboxStatusResponse {
        var request = PodSandboxStatusRequest()
        request.podSandboxID = id
        request.verbose = verbose
        return try await podSandboxStatus(request)
    }

    /// Pod sandboxes matching `filter` (all when nil).
    /// - Throws: ``CRIError``.
    public func listPodSandbox(filter: PodSandboxFilter?) async throws -> [PodSandbox] {
        var request = ListPodSandboxRequest()
        request.filter = filter
        return try await listPodSandbox(request).items
    }

    /// Creates a container in a pod sandbox and returns its ID.
    /// - Parameters:
    ///   - podSandboxID: the pod the container joins.
    ///   - config: the container.
    ///   - sandboxConfig: the pod's configuration, as it was passed to RunPodSandbox.
    /// - Throws: ``CRIError``.
    public func createContainer(
        inPod podSandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig
    ) async throws -> String {
        var request = CreateContainerRequest()
        request.podSandboxID = podSandboxID
        request.config = config
        request.sandboxConfig = sandboxConfig
        return try await createContainer(request).containerID
    }

    /// Starts a container.
    /// - Throws: ``CRIError``.
    public func startContainer(id: String) async throws {
        var request = StartContainerRequest()
        request.containerID = id
        _ = try await startContainer(request)
    }

    /// Stops a container, killing it after `timeout` seconds.
    /// - Throws: ``CRIError``.
    public func stopContainer(id: String, timeout: Int64 = 0) async throws {
        var request = StopContainerRequest()
        request.containerID = id
        request.timeout = timeout
        _ = try await stopContainer(request)
    }

    /// Removes a container.
    /// - Throws: ``CRIError``.
    public func removeContainer(id: String) async throws {
        var request = RemoveContainerRequest()
        request.containerID = id
        _ = try await removeContainer(request)
    }

    /// The status of a container.
    /// - Throws: ``CRIError``.
    public func containerStatus(id: String, verbose: Bool = false) async throws -> ContainerStatusResponse {
        var request = ContainerStatusRequest()
        request.containerID = id
        request.verbose = verbose
        return try await containerStatus(request)
    }

    /// Containers matching `filter` (all when nil).
    /// - Throws: ``CRIError``.
    public func listContainers(filter: ContainerFilter?) async throws -> [Container] {
        var request = ListContainersRequest()
        request.filter = filter
        return try await listContainers(request).containers
    }

    /// Runs `command` in a container and returns its output and exit code.
    /// - Parameter timeout: seconds the command may run; 0 for no limit.
    /// - Throws: ``CRIError`` (a non-zero exit code is not an error: check ``ExecSyncResponse/exitCode``).
    public func execSync(containerID: String, command: [String], timeout: Int64 = 0) async throws -> ExecSyncResponse {
        var request = ExecSyncRequest()
        request.containerID = containerID
        request.cmd = command
        request.timeout = timeout
        return try await execSync(request)
    }

    /// Prepares an interactive exec and returns the streaming URL to connect to (a secret: whoever holds it can run
    /// the command). ``withExecSession(containerID:command:stdin:tty:options:callOptions:isolation:_:)`` does this and
    /// connects; ``runExec(containerID:command:stdin:tty:options:callOptions:)`` runs the command to its end.
    /// - Throws: ``CRIError``.
    public func exec(
        containerID: String, command: [String], tty: Bool = false, stdin: Bool = false
    ) async throws -> String {
        try await exec(ExecRequest(containerID: containerID, command: command, stdin: stdin, tty: tty)).url
    }

    /// Pulls an image and returns the runtime's reference for it (the image ID or digest).
    /// - Throws: ``CRIError``.
    public func pullImage(
        _ image: String, auth: AuthConfig? = nil, sandboxConfig: PodSandboxConfig? = nil
    ) async throws -> String {
        var spec = ImageSpec()
        spec.image = image
        var request = PullImageRequest()
        request.image = spec
        request.auth = auth
        request.sandboxConfig = sandboxConfig
        return try await pullImage(request).imageRef
    }

    /// The status of an image, or nil when the runtime does not have it.
    /// - Throws: ``CRIError``.
    public func imageStatus(_ image: String, verbose: Bool = false) async throws -> Image? {
        var spec = ImageSpec()
        spec.image = image
        var request = ImageStatusRequest()
        request.image = spec
        request.verbose = verbose
        return try await imageStatus(request).image
    }

    /// Images, optionally only those matching `image`.
    /// - Throws: ``CRIError``.
    public func listImages(matching image: String? = nil) async throws -> [Image] {
        var request = ListImagesRequest()
        if let image {
            var spec = ImageSpec()
            spec.image = image
            var filter = ImageFilter()
            filter.image = spec
            request.filter = filter
        }
        return try await listImages(request).images
    }

    /// Removes an image by name or ID.
    /// - Throws: ``CRIError``.
    public func removeImage(_ image: String) async throws {
        var spec = ImageSpec()
        spec.image = image
        var request = RemoveImageRequest()
        request.image = spec
        _ = try await removeImage(request)
    }
}
