import ArgumentParser
import CRI

/// `cri stop ID...`: stops running containers.
struct StopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop one or more running containers.")

    @Option(name: .shortAndLong, help: "Seconds to wait before killing the container.") var timeout: Int64 = 0
    @Flag(name: .shortAndLong, help: "Stop all running containers.") var all = false
    @Argument(help: "Container IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty || all else { throw CLIFailure("ID cannot be empty: give container IDs or --all") }
        try await withRuntimeClient { client, _ in
            var targets = ids
            if all {
                var filter = ContainerFilter()
                filter.state = try ListFilters.containerStateFilter("running")
                targets = try await client.listContainers(filter: filter).map(\.id)
            }
            for id in targets {
                try await client.stopContainer(id: id, timeout: timeout)
                CLIOutput.line(id)
            }
        }
    }
}
