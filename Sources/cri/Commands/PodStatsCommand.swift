import ArgumentParser
import CRI
import Foundation

/// `cri statsp [ID]`: pod resource usage.
struct PodStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "statsp", abstract: "List pod resource usage statistics.")

    @Option(help: "Only the pod with this ID.") var id: String?
    @Option(help: "Only pods with this label (key=value).") var label: [String] = []
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Seconds between refreshes with --watch.") var seconds: Int = 1
    @Flag(name: .shortAndLong, help: "Keep refreshing.") var watch = false
    @Argument(help: "A pod ID.") var podID: String?

    func run() async throws {
        try output.require([.table, .json, .yaml])
        var filter = PodSandboxStatsFilter()
        filter.id = podID ?? id ?? ""
        filter.labelSelector = try ListFilters.labels(label)
        var request = ListPodSandboxStatsRequest()
        request.filter = filter
        try await withRuntimeClient { client, _ in
            repeat {
                let stats = try await client.listPodSandboxStats(request).stats
                switch output {
                case .json, .yaml:
                    var response = ListPodSandboxStatsResponse()
                    response.stats = stats
                    printMessage(response, as: output)
                default:
                    var table = TableWriter(header: ["POD", "POD ID", "CPU %", "MEM"])
                    for stat in stats {
                        table.add([
                            stat.attributes?.metadata?.name ?? "",
                            HumanUnits.truncatedID(stat.attributes?.id ?? "", full: false),
                            String(format: "%.2f", StatsCommand.cpuPercent(stat.linux?.cpu, previous: nil)),
                            HumanUnits.size(stat.linux?.memory?.workingSetBytes?.value ?? 0),
                        ])
                    }
                    table.print()
                }
                if watch { try await Task.sleep(for: .seconds(max(1, seconds))) }
            } while watch
        }
    }
}
