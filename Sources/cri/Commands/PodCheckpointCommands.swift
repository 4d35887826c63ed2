import ArgumentParser
import CRI
import Foundation

/// `cri checkpointp --export DIR POD [CONTAINER...]`: checkpoints a pod (CheckpointPod, Kubernetes 1.37).
///
/// Named as in crictl's draft. The checkpoint is a directory the runtime fills; it must be empty, and is created
/// when missing. Without container IDs, every running container of the pod is included (what the kubelet sends).
struct CheckpointPodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpointp", abstract: "Checkpoint a running pod and its containers into a directory.")

    @Option(name: [.customShort("e"), .customLong("export")], help: "The empty directory to write the checkpoint into.")
    var export: String
    @Option(name: .customLong("option"), help: "A runtime-specific checkpoint option key=value (repeatable).")
    var options: [String] = []
    @Argument(help: "The pod sandbox ID (or a unique prefix), then the container IDs to include (default: all running).")
    var ids: [String] = []

    func run() async throws {
        guard let podID = ids.first else { throw CLIFailure("ID cannot be empty: give the pod sandbox ID") }
        var request = CheckpointPodRequest()
        request.outputPath = try PodCheckpointPaths.directory(export, create: true)
        request.options = try ListFilters.keyValues(options, flag: "--option")
        try await withRuntimeClient { client, _ in
            let pod = try await client.podSandboxStatus(id: podID)
            request.podSandboxID = pod.status?.id ?? podID
            if ids.count > 1 {
                request.containerIds = Array(ids.dropFirst())
            } else {
                var filter = ContainerFilter()
                filter.podSandboxID = request.podSandboxID
                filter.state = ContainerStateValue { $0.state = .containerRunning }
                request.containerIds = try await client.listContainers(filter: filter).map(\.id)
                guard !request.containerIds.isEmpty else {
                    throw CLIFailure("pod sandbox \(request.podSandboxID) has no running containers to checkpoint")
                }
            }
            _ = try await client.checkpointPod(request)
            CLIOutput.line(request.podSandboxID)
        }
    }
}

/// `cri restorep --config POD --container-config CTR... DIR`: restores a pod (RestorePod, Kubernetes 1.37).
///
/// Prints the new pod sandbox ID, then one `ID NAME` line per restored container; they are CREATED, start them
/// with `cri start`.
struct RestorePodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restorep", abstract: "Restore a pod from a checkpoint directory (containers are left created).")

    @Option(name: [.customShort("c"), .customLong("config")], help: "The restored pod's sandbox config file (YAML or JSON).")
    var podConfig: String
    @Option(name: .customLong("container-config"), help: "A restored container's config file; one per checkpointed container.")
    var containerConfigs: [String] = []
    @Option(name: [.customShort("r"), .long], help: "Runtime handler (e.g. runc, kata).")
    var runtime: String = ""
    @Option(name: .customLong("option"), help: "A runtime-specific restore option key=value (repeatable).")
    var options: [String] = []
    @Flag(help: "Fail on keys that name no field instead of warning.")
    var strict = false
    @Argument(help: "The checkpoint directory (written by checkpointp).")
    var checkpoint: String

    func run() async throws {
        guard !containerConfigs.isEmpty else {
            throw CLIFailure("give each checkpointed container's config with --container-config")
        }
        var request = RestorePodRequest()
        request.checkpointPath = try PodCheckpointPaths.directory(checkpoint, create: false)
        request.config = try ConfigFileLoader.podSandboxConfig(path: podConfig, strict: strict)
        request.containerConfigs = try containerConfigs.map { try ConfigFileLoader.containerConfig(path: $0, strict: strict) }
        request.runtimeHandler = runtime
        request.options = try ListFilters.keyValues(options, flag: "--option")
        try await withRuntimeClient { client, _ in
            let restored = try await client.restorePod(request)
            CLIOutput.line(restored.podSandboxID)
            for container in restored.restoredContainers {
                CLIOutput.line("\(container.containerID) \(container.name)")
            }
        }
    }
}

/// The checkpoint directory argument of both pod checkpoint commands.
enum PodCheckpointPaths {
    /// `path` made absolute (the runtime resolves nothing relative to the CLI's working directory); with `create`,
    /// a missing directory is made so the runtime finds it existing and empty.
    static func directory(_ path: String, create: Bool) throws -> String {
        guard !path.isEmpty else { throw CLIFailure("the checkpoint directory cannot be empty") }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if create, !FileManager.default.fileExists(atPath: absolute) {
            do {
                try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
            } catch {
                throw CLIFailure("cannot create \(absolute): \(error.localizedDescription)")
            }
        }
        return absolute
    }
}
