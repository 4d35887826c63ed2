import ArgumentParser
import CRI

/// `cri checkpoint --export PATH ID...`: checkpoints containers (CRIU).
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Checkpoint one or more running containers.")

    @Option(name: [.customShort("e"), .customLong("export")], help: "The checkpoint archive to write (e.g. /tmp/ctr.tar).") var export: String
    @Argument(help: "Container IDs.") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty else { throw CLIFailure("ID cannot be empty: give one or more container IDs") }
        try await withRuntimeClient { client, _ in
            for id in ids {
                var request = CheckpointContainerRequest()
                request.containerID = id
                request.location = export
                _ = try await client.checkpointContainer(request)
                CLIOutput.line(id)
            }
        }
    }
}
