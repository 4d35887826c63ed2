import ArgumentParser
import CRI

/// `cri inspectp ID...`: pod sandbox status plus the runtime's verbose info.
struct InspectPodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspectp", abstract: "Display the status of one or more pods.")

    @Option(name: .shortAndLong, help: "Output format: json, yaml or table.") var output: OutputFormat = .json
    @Flag(name: .shortAndLong, help: "Do not ask for the runtime's verbose info.") var quiet = false
    @Argument(help: "Pod IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        try output.require([.json, .yaml, .table])
        guard !ids.isEmpty else { throw CLIFailure("ID cannot be empty: give one or more pod IDs") }
        try await withRuntimeClient { client, _ in
            var results: [JSONValue] = []
            var table = TableWriter(header: ["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT"])
            for id in ids {
                let response = try await client.podSandboxStatus(id: id, verbose: !quiet)
                let status = response.status ?? PodSandboxStatus()
                table.add([
                    HumanUnits.truncatedID(status.id, full: false), HumanUnits.ago(status.createdAt),
                    ListFilters.podState(status.state), status.metadata?.name ?? "", status.metadata?.namespace ?? "",
                    String(status.metadata?.attempt ?? 0),
                ])
                results.append(JSONTree.merged(status: JSONTree.withReadableTimestamps(JSONTree.tree(of: status)), info: response.info))
            }
            if output == .table {
                table.print()
            } else {
                printTree(results.count == 1 ? results[0] : .array(results), as: output)
            }
        }
    }
}
