import ArgumentParser
import CRI

/// `cri start ID...`: starts created containers.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start one or more created containers.")

    @Argument(help: "Container IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty else { throw CLIFailure("ID cannot be empty: give one or more container IDs") }
        try await withRuntimeClient { client, _ in
            for id in ids {
                try await client.startContainer(id: id)
                CLIOutput.line(id)
            }
        }
    }
}
