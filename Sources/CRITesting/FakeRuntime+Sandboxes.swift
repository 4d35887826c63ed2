public import CRI

extension FakeRuntime {
    /// RunPodSandbox: creates a READY sandbox with a pod IP (none for host-network pods), after the
    /// checks containerd makes (runtime handler, run-as-group, user namespace mappings).
    public func runPodSandbox(_ request: RunPodSandboxRequest) throws(CRIError) -> RunPodSandboxResponse {
        guard let config = request.config else {
            throw CRIError(code: .invalidArgument, message: "config is required")
        }
        guard let metadata = config.metadata else {
            throw CRIError(code: .invalidArgument, message: "config.metadata is required")
        }
        guard !metadata.name.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "config.metadata.name must not be empty")
        }
        guard !metadata.namespace.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "config.metadata.namespace must not be empty")
        }
        if let clash = sandboxes.values.first(where: { $0.status.metadata == metadata }) {
            throw CRIError(
                code: .alreadyExists,
                message:
                    "pod sandbox name \"\(metadata.name)_\(metadata.namespace)_\(metadata.uid)_\(metadata.attempt)\" is reserved for \(clash.status.id)"
            )
        }
        try validateSandbox(config, runtimeHandler: request.runtimeHandler)
        let id = randomIdentifier()
        var status = PodSandboxStatus()
        status.id = id
        status.metadata = metadata
        status.state = .sandboxReady
        status.createdAt = wallClockNanoseconds()
        status.labels = config.labels
        status.annotations = config.annotations
        status.runtimeHandler = request.runtimeHandler
        let namespaceOptions = config.linux?.securityContext?.namespaceOptions ?? NamespaceOption()
        var network = PodSandboxNetworkStatus()
        if namespaceOptions.network != .node {
            network.ip = "\(configuration.podSubnetPrefix)\(nextPodAddress)"
            nextPodAddress += 1
        }
        status.network = network
        var linux = LinuxPodSandboxStatus()
        var namespace = Namespace()
        namespace.options = namespaceOptions
        linux.namespaces = namespace
        status.linux = linux
        sandboxes[id] = SandboxRecord(status: status, config: config)
        var response = RunPodSandboxResponse()
        response.podSandboxID = id
        return response
    }

    /// StopPodSandbox: stops every container in the sandbox and marks it NOTREADY; idempotent.
    public func stopPodSandbox(_ request: StopPodSandboxRequest) throws(CRIError) -> StopPodSandboxResponse {
        let id = try sandboxID(request.podSandboxID)
        for (containerID, record) in containers where record.podSandboxID == id {
            if record.status.state == .containerRunning || record.status.state == .containerCreated {
                exitContainer(containerID, exitCode: 137, reason: "Error")
            }
        }
        sandboxes[id]?.status.state = .sandboxNotready
        return StopPodSandboxResponse()
    }

    /// RemovePodSandbox: removes the sandbox and its containers (forcibly); removing an unknown
    /// sandbox succeeds, since the call is idempotent.
    public func removePodSandbox(_ request: RemovePodSandboxRequest) throws(CRIError) -> RemovePodSandboxResponse {
        let id: String
        do {
            id = try sandboxID(request.podSandboxID)
        } catch  where error.code == .notFound {
            return RemovePodSandboxResponse()
        }
        for (containerID, record) in containers where record.podSandboxID == id {
            removeContainerRecord(containerID, running: record.status.state == .containerRunning)
        }
        sandboxes[id] = nil
        return RemovePodSandboxResponse()
    }

    /// PodSandboxStatus: the sandbox's status, plus an `info` entry when verbose.
    public func podSandboxStatus(_ request: PodSandboxStatusRequest) throws(CRIError) -> PodSandboxStatusResponse {
        let id = try sandboxID(request.podSandboxID)
        guard let record = sandboxes[id] else {
            throw CRIError(code: .notFound, message: "pod sandbox \"\(id)\" not found")
        }
        var response = PodSandboxStatusResponse()
        response.status = record.status
        response.timestamp = wallClockNanoseconds()
        if request.verbose {
            var info = record.config
            info.unknownFields = UnknownFields()
            response.info = [
                "info":
                    #"{"pid":\#(pid(for: id)),"runtimeHandler":"\#(record.status.runtimeHandler)","config":\#(info.jsonString())}"#
            ]
        }
        return response
    }

    /// ListPodSandbox: sandboxes matching the filter (ID prefix, state, label selector).
    public func listPodSandbox(_ request: ListPodSandboxRequest) -> ListPodSandboxResponse {
        var response = ListPodSandboxResponse()
        response.items = filteredSandboxes(request.filter)
        return response
    }

    func filteredSandboxes(_ filter: PodSandboxFilter?) -> [PodSandbox] {
        sandboxes.values
            .filter { record in
                guard let filter else { return true }
                if !filter.id.isEmpty, !record.status.id.hasPrefix(filter.id) { return false }
                if let state = filter.state, state.state != record.status.state { return false }
                return matches(filter.labelSelector, record.status.labels)
            }
            .sorted { $0.status.createdAt > $1.status.createdAt }
            .map { record in
                var sandbox = PodSandbox()
                sandbox.id = record.status.id
                sandbox.metadata = record.status.metadata
                sandbox.state = record.status.state
                sandbox.createdAt = record.status.createdAt
                sandbox.labels = record.status.labels
                sandbox.annotations = record.status.annotations
                sandbox.runtimeHandler = record.status.runtimeHandler
                return sandbox
            }
    }

    /// UpdatePodSandboxResources: records the resources on the sandbox.
    public func updatePodSandboxResources(
        _ request: UpdatePodSandboxResourcesRequest
    ) throws(CRIError) -> UpdatePodSandboxResourcesResponse {
        let id = try sandboxID(request.podSandboxID)
        if request.overhead != nil { sandboxes[id]?.config.linux?.overhead = request.overhead }
        if request.resources != nil { sandboxes[id]?.config.linux?.resources = request.resources }
        return UpdatePodSandboxResourcesResponse()
    }

    /// A stable fake process ID for a sandbox or container.
    func pid(for id: String) -> Int {
        1000 + Int(id.utf8.reduce(UInt32(0)) { ($0 &* 31) &+ UInt32($1) } % 30000)
    }
}
