public import CRI

extension FakeRuntime {
    /// CreateContainer: a CREATED container in a READY sandbox, from a pulled image, after the checks
    /// containerd makes (run-as-group, user namespace mappings, recursive read-only mounts).
    public func createContainer(_ request: CreateContainerRequest) throws(CRIError) -> CreateContainerResponse {
        let podID = try sandboxID(request.podSandboxID)
        guard let sandbox = sandboxes[podID] else { throw CRIError(code: .notFound, message: "pod sandbox not found") }
        guard sandbox.status.state == .sandboxReady else {
            throw CRIError(code: .failedPrecondition, message: "pod sandbox \"\(podID)\" is not ready")
        }
        guard var config = request.config else { throw CRIError(code: .invalidArgument, message: "config is required") }
        if !configuration.supportsMountOptions {
            // A runtime older than Kubernetes 1.37 does not know Mount field 11: it decodes it as an unknown field
            // and mounts without the options. That is why the kubelet sends them only when Status advertises it.
            for index in config.mounts.indices { config.mounts[index].mountOptions = [] }
        }
        guard let metadata = config.metadata, !metadata.name.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "config.metadata.name must not be empty")
        }
        guard let imageSpec = config.image, !imageSpec.image.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "config.image.image must not be empty")
        }
        let image = findImage(imageSpec.image)
        if image == nil && configuration.requireImagesPulled {
            throw CRIError(
                code: .notFound, message: "failed to get image \"\(imageSpec.image)\": image not found (pull it first)")
        }
        if let clash = containers.values.first(where: { $0.podSandboxID == podID && $0.status.metadata == metadata }) {
            throw CRIError(
                code: .alreadyExists,
                message: "container name \"\(metadata.name)_\(metadata.attempt)\" is reserved for \(clash.status.id)"
            )
        }
        let id = randomIdentifier()
        try validateContainer(config, id: id)
        var status = ContainerStatus()
        status.id = id
        status.metadata = metadata
        status.state = .containerCreated
        status.createdAt = wallClockNanoseconds()
        var reportedImage = imageSpec
        reportedImage.userSpecifiedImage =
            imageSpec.userSpecifiedImage.isEmpty ? imageSpec.image : imageSpec.userSpecifiedImage
        if let image { reportedImage.image = image.repoTags.first ?? imageSpec.image }
        status.image = reportedImage
        status.imageRef = image?.id ?? "sha256:" + fakeDigest(of: imageSpec.image)
        status.imageID = status.imageRef
        status.labels = config.labels
        status.annotations = config.annotations
        status.mounts = config.mounts
        if !config.logPath.isEmpty, !sandbox.config.logDirectory.isEmpty {
            status.logPath = joinPath(sandbox.config.logDirectory, config.logPath)
        }
        if let resources = config.linux?.resources {
            var containerResources = ContainerResources()
            containerResources.linux = resources
            status.resources = containerResources
        }
        containers[id] = ContainerRecord(status: status, config: config, podSandboxID: podID)
        emitEvent(.containerCreatedEvent, containerID: id)
        var response = CreateContainerResponse()
        response.containerID = id
        return response
    }

    /// StartContainer: CREATED → RUNNING; runs the command through the command handler, writing
    /// its output to the log; a command that finishes makes the container EXITED with its code.
    ///
    /// A command that cannot be started (``FakeShell/Result/startFailure``, e.g. an executable that
    /// does not exist) fails the call itself with UNKNOWN, and leaves the container EXITED with
    /// exit code 128, reason `StartError` and the failure as its message, as containerd does.
    public func startContainer(_ request: StartContainerRequest) async throws(CRIError) -> StartContainerResponse {
        let id = try containerID(request.containerID)
        guard let record = containers[id] else { throw CRIError(code: .notFound, message: "container not found") }
        guard record.status.state == .containerCreated else {
            throw CRIError(
                code: .failedPrecondition,
                message:
                    "container \"\(id)\" is in state \(record.status.state.protoName ?? "?"), not CONTAINER_CREATED"
            )
        }
        // Claimed before the handler runs, so a second StartContainer during it fails as above.
        containers[id]?.status.state = .containerRunning
        containers[id]?.status.startedAt = wallClockNanoseconds()
        let invocation = FakeShell.Invocation(
            containerID: id,
            command: record.config.command + record.config.args,
            hostname: hostname(ofSandbox: record.podSandboxID),
            environment: record.config.envs.map { ($0.key, String(decoding: $0.value, as: UTF8.self)) },
            isContainerProcess: true
        )
        let result = await configuration.commandHandler(invocation)
        // The actor ran other calls during the handler: the container may have been stopped or
        // removed meanwhile, so everything below works from what is there now.
        guard containers[id]?.status.state == .containerRunning else { return StartContainerResponse() }
        if let failure = result.startFailure {
            let message =
                "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                + "runc create failed: unable to start container process: \(failure): unknown"
            // It never ran: containerd reports no start time for it.
            containers[id]?.status.startedAt = 0
            exitContainer(id, exitCode: 128, reason: FakeShell.startErrorReason, message: message)
            throw CRIError(code: .unknown, message: message)
        }
        emitEvent(.containerStartedEvent, containerID: id)
        appendLog(containerID: id, stdout: result.stdout, stderr: result.stderr)
        if !result.keepsRunning {
            exitContainer(id, exitCode: result.exitCode, reason: result.exitCode == 0 ? "Completed" : "Error")
        }
        return StartContainerResponse()
    }

    /// StopContainer: RUNNING → EXITED (143 after a grace period, 137 when killed at once);
    /// idempotent for containers that are not running.
    public func stopContainer(_ request: StopContainerRequest) throws(CRIError) -> StopContainerResponse {
        let id = try containerID(request.containerID)
        if let state = containers[id]?.status.state, state == .containerRunning || state == .containerCreated {
            exitContainer(id, exitCode: request.timeout > 0 ? 143 : 137, reason: "Error")
        }
        return StopContainerResponse()
    }

    /// RemoveContainer: removes the container (forcibly if running); an unknown ID succeeds.
    public func removeContainer(_ request: RemoveContainerRequest) throws(CRIError) -> RemoveContainerResponse {
        let id: String
        do {
            id = try containerID(request.containerID)
        } catch  where error.code == .notFound {
            return RemoveContainerResponse()
        }
        removeContainerRecord(id, running: containers[id]?.status.state == .containerRunning)
        return RemoveContainerResponse()
    }

    /// ListContainers: containers matching the filter (ID prefix, state, pod ID prefix, labels), newest first.
    public func listContainers(_ request: ListContainersRequest) -> ListContainersResponse {
        var response = ListContainersResponse()
        response.containers = filteredContainers(request.filter)
        return response
    }

    func filteredContainers(_ filter: ContainerFilter?) -> [Container] {
        var result: [Container] = []
        result.reserveCapacity(filter == nil ? containers.count : 0)
        for record in containers.values {
            if let filter {
                if !filter.id.isEmpty, !record.status.id.hasPrefix(filter.id) { continue }
                if !filter.podSandboxID.isEmpty, !record.podSandboxID.hasPrefix(filter.podSandboxID) { continue }
                if let state = filter.state, state.state != record.status.state { continue }
                if !matches(filter.labelSelector, record.status.labels) { continue }
            }
            result.append(container(from: record))
        }
        // Sort the results in place: sorting whole records copied each one (and retained
        // every string in it) several times, which dominated listing 10,000 containers.
        result.sort { $0.createdAt > $1.createdAt }
        return result
    }

    func container(from record: ContainerRecord) -> Container {
        var container = Container()
        container.id = record.status.id
        container.podSandboxID = record.podSandboxID
        container.metadata = record.status.metadata
        container.image = record.status.image
        container.imageRef = record.status.imageRef
        container.imageID = record.status.imageID
        container.state = record.status.state
        container.createdAt = record.status.createdAt
        container.labels = record.status.labels
        container.annotations = record.status.annotations
        return container
    }

    /// ContainerStatus: the container's status, plus an `info` entry when verbose.
    public func containerStatus(_ request: ContainerStatusRequest) throws(CRIError) -> ContainerStatusResponse {
        let id = try containerID(request.containerID)
        guard let record = containers[id] else { throw CRIError(code: .notFound, message: "container not found") }
        var response = ContainerStatusResponse()
        response.status = record.status
        if request.verbose {
            var config = record.config
            config.unknownFields = UnknownFields()
            response.info = [
                "info":
                    #"{"sandboxID":"\#(record.podSandboxID)","pid":\#(pid(for: id)),"config":\#(config.jsonString())}"#
            ]
        }
        return response
    }

    /// UpdateContainerResources: records the new resources in the status.
    public func updateContainerResources(
        _ request: UpdateContainerResourcesRequest
    ) throws(CRIError) -> UpdateContainerResourcesResponse {
        let id = try containerID(request.containerID)
        guard let state = containers[id]?.status.state, state == .containerRunning || state == .containerCreated else {
            throw CRIError(code: .failedPrecondition, message: "container \"\(id)\" is not running or created")
        }
        var resources = containers[id]?.status.resources ?? ContainerResources()
        if let linux = request.linux { resources.linux = linux }
        if let windows = request.windows { resources.windows = windows }
        containers[id]?.status.resources = resources
        for (key, value) in request.annotations { containers[id]?.status.annotations[key] = value }
        return UpdateContainerResourcesResponse()
    }

    /// ReopenContainerLog: the container must be running; the log file is (re)created.
    public func reopenContainerLog(_ request: ReopenContainerLogRequest) throws(CRIError) -> ReopenContainerLogResponse
    {
        let id = try containerID(request.containerID)
        guard containers[id]?.status.state == .containerRunning else {
            throw CRIError(code: .failedPrecondition, message: "container \"\(id)\" is not running")
        }
        if let path = containers[id]?.status.logPath, !path.isEmpty { FakeFiles.append(path: path, bytes: []) }
        return ReopenContainerLogResponse()
    }

    /// CheckpointContainer: writes a small JSON description of the container to `location`.
    public func checkpointContainer(_ request: CheckpointContainerRequest) throws(CRIError)
        -> CheckpointContainerResponse
    {
        let id = try containerID(request.containerID)
        guard let record = containers[id] else { throw CRIError(code: .notFound, message: "container not found") }
        guard !request.location.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "location must name the checkpoint archive")
        }
        guard FakeFiles.write(path: request.location, bytes: Array(record.status.jsonString().utf8)) else {
            throw CRIError(code: .internalError, message: "cannot write checkpoint to \(request.location)")
        }
        return CheckpointContainerResponse()
    }

    // MARK: Helpers

    /// Ends the container's process. Every change goes to a local copy that is written back once:
    /// an optional-chained assignment whose right-hand side reads `containers` again (as
    /// `containers[id]?.status.startedAt = containers[id]?.status.finishedAt`) reads the actor's
    /// dictionary during its own write access, which the runtime's exclusivity check traps on.
    func exitContainer(_ id: String, exitCode: Int32, reason: String, message: String = "") {
        guard var record = containers[id] else { return }
        record.status.state = .containerExited
        record.status.exitCode = exitCode
        record.status.reason = reason
        record.status.message = message
        record.status.finishedAt = wallClockNanoseconds()
        // A container stopped before it ever ran reports its end as its start (CRI-O's choice; a
        // container that failed to start keeps 0, as containerd reports it, see startContainer).
        if record.status.startedAt == 0, reason != FakeShell.startErrorReason {
            record.status.startedAt = record.status.finishedAt
        }
        containers[id] = record
        emitEvent(.containerStoppedEvent, containerID: id)
    }

    func removeContainerRecord(_ id: String, running: Bool) {
        if running { exitContainer(id, exitCode: 137, reason: "Error") }
        emitEvent(.containerDeletedEvent, containerID: id)
        containers[id] = nil
    }

    func hostname(ofSandbox id: String) -> String {
        guard let config = sandboxes[id]?.config else { return "fake" }
        return config.hostname.isEmpty ? (config.metadata?.name ?? "fake") : config.hostname
    }

    func appendLog(containerID id: String, stdout: [UInt8], stderr: [UInt8]) {
        guard let path = containers[id]?.status.logPath, !path.isEmpty else { return }
        var bytes: [UInt8] = []
        let now = CRITimestamp(nanosecondsSinceEpoch: wallClockNanoseconds())
        for (stream, output) in [(CRILogLine.Stream.stdout, stdout), (.stderr, stderr)] where !output.isEmpty {
            var lines = output.split(separator: 0x0A, omittingEmptySubsequences: false)
            let endsWithNewline = output.last == 0x0A
            if endsWithNewline { lines.removeLast() }
            for (index, line) in lines.enumerated() {
                let partial = index == lines.count - 1 && !endsWithNewline
                bytes += CRILogLine(timestamp: now, stream: stream, isPartial: partial, content: Array(line)).formatted
            }
        }
        FakeFiles.append(path: path, bytes: bytes)
    }
}

/// Joins a directory and a relative path with one slash.
func joinPath(_ directory: String, _ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return directory.hasSuffix("/") ? directory + path : directory + "/" + path
}
