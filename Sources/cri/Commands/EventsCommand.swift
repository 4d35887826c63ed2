import ArgumentParser
import CRI

/// `cri events`: streams container lifecycle events until interrupted.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Stream container events.", aliases: ["event"])

    @Option(name: .shortAndLong, help: "Output format: json or yaml.") var output: OutputFormat = .json

    func run() async throws {
        try output.require([.json, .yaml])
        try await withRuntimeClient { client, _ in
            try await client.getContainerEvents { events in
                for try await event in events {
                    if output == .yaml { CLIOutput.line("---") }
                    printMessage(event, as: output)
                }
            }
        }
    }
}
