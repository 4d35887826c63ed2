import ArgumentParser
import CRI

/// `cri inspect ID...`: container status plus the runtime's verbose info.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display the status of one or more containers.")

    @Option(name: .shortAndLong, help: "Output format: json, yaml or table.") var output: OutputFormat = .json
    @Flag(name: .shortAndLong, help: "Do not ask for the runtime's verbose info.") var quiet = false
    @Option(help: "Select containers whose name matches this regular expression.") var name: String?
    @Option(name: .shortAndLong, help: "Select containers of this pod.") var pod: String?
    @Option(name: .shortAndLong, help: "Select containers in this state.") var state: String?
    @Option(help: "Select containers with this label (key=value).") var label: [String] = []
    @Flag(name: .shortAndLong, help: "Select the most recently created container.") var latest = false
    @Option(name: [.customShort("n"), .customLong("last")], help: "Select the N most recently created containers.") var last = 0
    @Flag(name: .shortAndLong, help: "Select among all containers, not only running ones.") var all = false
    @Argument(help: "Container IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        try output.require([.json, .yaml, .table])
        try await withRuntimeClient { client, _ in
            var targets = ids
            let filtering = name != nil || pod != nil || state != nil || !label.isEmpty || latest || last > 0
            if filtering {
                let query = ContainerQuery(name: name, pod: pod, state: state, labels: label, all: all, latest: latest, last: last)
                targets += try await query.run(client).map(\.container.id)
            }
            guard !targets.isEmpty else {
                throw CLIFailure(filtering ? "no containers match the filters" : "ID cannot be empty: give one or more container IDs")
            }
            var results: [JSONValue] = []
            var table = TableWriter(header: ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT"])
            for id in targets {
                let response = try await client.containerStatus(id: id, verbose: !quiet)
                let status = response.status ?? ContainerStatus()
                table.add([
                    HumanUnits.truncatedID(status.id, full: false), status.image?.image ?? status.imageRef,
                    HumanUnits.ago(status.createdAt), ListFilters.containerState(status.state),
                    status.metadata?.name ?? "", String(status.metadata?.attempt ?? 0),
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
