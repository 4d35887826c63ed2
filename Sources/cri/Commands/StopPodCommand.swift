import ArgumentParser
import CRI

/// `cri stopp ID...`: stops pod sandboxes.
struct StopPodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stopp", abstract: "Stop one or more running pods.")

    @Argument(help: "Pod IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty else { throw CLIFailure("ID cannot be empty: give one or more pod IDs") }
        try await withRuntimeClient { client, _ in
            for id in ids {
                try await client.stopPodSandbox(id: id)
                CLIOutput.line("Stopped sandbox \(id)")
            }
        }
    }
}
