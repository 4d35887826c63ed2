public import CRI

/// CheckpointPod and RestorePod (Kubernetes 1.37), as a runtime would do them with the fake's state.
///
/// The checkpoint is one file, ``FakeRuntime/podCheckpointFile``, in the caller's directory: the pod's sandbox
/// configuration, runtime handler and the selected containers' configurations, written as the JSON of a
/// `RestorePodRequest` (the message that already has exactly that shape). No containerd release implements either
/// RPC yet (they answer UNIMPLEMENTED "unknown method"); a fake built with `supportsPodCheckpoints = false` does the same.
extension FakeRuntime {
    /// The file CheckpointPod writes into `output_path` and RestorePod reads from `checkpoint_path`.
    public static let podCheckpointFile = "fake-pod-checkpoint.json"

    /// CheckpointPod: validates the selection (every listed container running in this pod, no duplicates), then
    /// writes the checkpoint into the existing, empty `output_path` directory.
    public func checkpointPod(_ request: CheckpointPodRequest) throws(CRIError) -> CheckpointPodResponse {
        try requirePodCheckpoints("CheckpointPod")
        let podID = try sandboxID(request.podSandboxID)
        guard let sandbox = sandboxes[podID] else { throw CRIError(code: .notFound, message: "pod sandbox not found") }
        guard sandbox.status.state == .sandboxReady else {
            throw CRIError(code: .failedPrecondition, message: "pod sandbox \(podID) is not ready")
        }
        try rejectOptions(request.options)
        let directory = try emptyDirectory(request.outputPath, field: "output_path")
        guard !request.containerIds.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "container_ids must name at least one container")
        }
        var selected: [ContainerRecord] = []
        var seen: Set<String> = []
        for given in request.containerIds {
            let id = try containerID(given)
            guard seen.insert(id).inserted else {
                throw CRIError(code: .invalidArgument, message: "container \(id) is listed twice in container_ids")
            }
            guard let record = containers[id], record.podSandboxID == podID else {
                throw CRIError(code: .invalidArgument, message: "container \(id) does not belong to pod sandbox \(podID)")
            }
            guard record.status.state == .containerRunning else {
                throw CRIError(code: .failedPrecondition, message: "container \(id) is not running")
            }
            selected.append(record)
        }
        var checkpoint = RestorePodRequest()
        checkpoint.config = sandbox.config
        checkpoint.runtimeHandler = sandbox.status.runtimeHandler
        checkpoint.containerConfigs = selected.map(\.config)
        let path = directory + "/" + Self.podCheckpointFile
        guard FakeFiles.write(path: path, bytes: Array(checkpoint.jsonString().utf8)) else {
            throw CRIError(code: .internalError, message: "cannot write the pod checkpoint to \(path)")
        }
        return CheckpointPodResponse()
    }

    /// RestorePod: reads the checkpoint, checks the restore-time configurations against it (same container names,
    /// same images), then creates the sandbox and every container, CREATED and not started. On any failure nothing
    /// it created is left behind.
    public func restorePod(_ request: RestorePodRequest) async throws(CRIError) -> RestorePodResponse {
        try requirePodCheckpoints("RestorePod")
        try rejectOptions(request.options)
        let checkpoint = try readPodCheckpoint(request.checkpointPath)
        guard let config = request.config else {
            throw CRIError(code: .invalidArgument, message: "config must carry the restored pod sandbox's configuration")
        }
        guard request.runtimeHandler == checkpoint.runtimeHandler else {
            throw CRIError(
                code: .failedPrecondition,
                message: "the checkpoint was taken with runtime handler \"\(checkpoint.runtimeHandler)\", "
                    + "not \"\(request.runtimeHandler)\"")
        }
        let checkpointed = Dictionary(
            checkpoint.containerConfigs.map { ($0.metadata?.name ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        guard !request.containerConfigs.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "container_configs must not be empty")
        }
        var names: Set<String> = []
        for container in request.containerConfigs {
            let name = container.metadata?.name ?? ""
            guard !name.isEmpty, names.insert(name).inserted else {
                throw CRIError(
                    code: .invalidArgument, message: "container_configs needs a distinct, non-empty metadata name each")
            }
            guard let original = checkpointed[name] else {
                throw CRIError(code: .invalidArgument, message: "container \"\(name)\" is not in the checkpoint")
            }
            guard container.image?.image == original.image?.image else {
                throw CRIError(
                    code: .failedPrecondition,
                    message: "container \"\(name)\" was checkpointed from image \"\(original.image?.image ?? "")\"")
            }
        }
        guard names == Set(checkpointed.keys) else {
            let missing = Set(checkpointed.keys).subtracting(names).sorted().joined(separator: ", ")
            throw CRIError(code: .invalidArgument, message: "container_configs lacks checkpointed containers: \(missing)")
        }

        var run = RunPodSandboxRequest()
        run.config = config
        run.runtimeHandler = request.runtimeHandler
        let podID = try runPodSandbox(run).podSandboxID
        var response = RestorePodResponse()
        response.podSandboxID = podID
        do throws(CRIError) {
            for container in request.containerConfigs {
                var create = CreateContainerRequest()
                create.podSandboxID = podID
                create.config = container
                create.sandboxConfig = config
                let id = try createContainer(create).containerID
                response.restoredContainers.append(RestoredContainer { $0.name = container.metadata?.name ?? ""; $0.containerID = id })
            }
        } catch {
            var remove = RemovePodSandboxRequest()
            remove.podSandboxID = podID
            _ = try? removePodSandbox(remove)
            throw error
        }
        return response
    }

    // MARK: Helpers

    private func requirePodCheckpoints(_ method: String) throws(CRIError) {
        guard configuration.supportsPodCheckpoints else {
            throw CRIError(code: .unimplemented, message: "unknown method \(method) for service runtime.v1.RuntimeService")
        }
    }

    /// The fake knows no checkpoint or restore options, and the schema says unknown ones must be rejected.
    private func rejectOptions(_ options: StringMap) throws(CRIError) {
        if let key = options.keys.sorted().first {
            throw CRIError(code: .invalidArgument, message: "unsupported option \"\(key)\"")
        }
    }

    private func emptyDirectory(_ path: String, field: String) throws(CRIError) -> String {
        guard path.hasPrefix("/") else {
            throw CRIError(code: .invalidArgument, message: "\(field) must be an absolute path, got \"\(path)\"")
        }
        guard let entries = FakeFiles.entries(ofDirectory: path) else {
            throw CRIError(code: .failedPrecondition, message: "\(field) \(path) is not an existing directory")
        }
        guard entries.isEmpty else {
            throw CRIError(code: .failedPrecondition, message: "\(field) \(path) is not empty")
        }
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    private func readPodCheckpoint(_ directory: String) throws(CRIError) -> RestorePodRequest {
        guard directory.hasPrefix("/") else {
            throw CRIError(code: .invalidArgument, message: "checkpoint_path must be an absolute path, got \"\(directory)\"")
        }
        let path = directory + "/" + Self.podCheckpointFile
        guard let bytes = FakeFiles.read(path: path) else {
            throw CRIError(code: .notFound, message: "no pod checkpoint at \(directory) (\(Self.podCheckpointFile) missing)")
        }
        do throws(ProtoDecodingError) {
            return try RestorePodRequest(jsonString: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw CRIError(code: .invalidArgument, message: "the pod checkpoint at \(path) is corrupt: \(error)")
        }
    }
}
