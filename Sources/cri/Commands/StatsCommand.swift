import ArgumentParser
import CRI
import Foundation

/// `cri stats [ID]`: container resource usage.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "List container resource usage statistics.")

    @Flag(name: .shortAndLong, help: "Show all containers (default: running only).") var all = false
    @Option(help: "Only the container with this ID.") var id: String?
    @Option(name: .shortAndLong, help: "Only containers of this pod.") var pod: String?
    @Option(help: "Only containers with this label (key=value).") var label: [String] = []
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: OutputFormat = .table
    @Option(name: .shortAndLong, help: "Seconds between the two samples used for CPU %.") var seconds: Int = 1
    @Flag(name: .shortAndLong, help: "Keep refreshing.") var watch = false
    @Argument(help: "A container ID.") var containerID: String?

    func run() async throws {
        try output.require([.table, .json, .yaml])
        var filter = ContainerStatsFilter()
        filter.id = containerID ?? id ?? ""
        filter.podSandboxID = pod ?? ""
        filter.labelSelector = try ListFilters.labels(label)
        var request = ListContainerStatsRequest()
        request.filter = filter
        try await withRuntimeClient { client, _ in
            repeat {
                var running: Set<String>?
                if !all {
                    var containerFilter = ContainerFilter()
                    containerFilter.state = try ListFilters.containerStateFilter("running")
                    running = Set(try await client.listContainers(filter: containerFilter).map(\.id))
                }
                let first = try await client.listContainerStats(request).stats
                var stats = first
                if output == .table && first.contains(where: { $0.cpu?.usageNanoCores == nil }) {
                    try await Task.sleep(for: .seconds(max(1, seconds)))
                    stats = try await client.listContainerStats(request).stats
                }
                if let running { stats = stats.filter { running.contains($0.attributes?.id ?? "") } }
                switch output {
                case .json, .yaml:
                    var response = ListContainerStatsResponse()
                    response.stats = stats
                    printMessage(response, as: output)
                default:
                    var table = TableWriter(header: ["CONTAINER", "NAME", "CPU %", "MEM", "DISK", "INODES", "SWAP"])
                    for stat in stats {
                        let previous = first.first { $0.attributes?.id == stat.attributes?.id }
                        table.add([
                            HumanUnits.truncatedID(stat.attributes?.id ?? "", full: false),
                            stat.attributes?.metadata?.name ?? "",
                            String(format: "%.2f", Self.cpuPercent(stat.cpu, previous: previous?.cpu)),
                            HumanUnits.size(stat.memory?.workingSetBytes?.value ?? 0),
                            HumanUnits.size(stat.writableLayer?.usedBytes?.value ?? 0),
                            String(stat.writableLayer?.inodesUsed?.value ?? 0),
                            HumanUnits.size(stat.swap?.swapUsageBytes?.value ?? 0),
                        ])
                    }
                    table.print()
                }
                if watch { try await Task.sleep(for: .seconds(max(1, seconds))) }
            } while watch
        }
    }

    /// CPU % from `usage_nano_cores`, or from two cumulative samples.
    static func cpuPercent(_ cpu: CpuUsage?, previous: CpuUsage?) -> Double {
        guard let cpu else { return 0 }
        if let nanoCores = cpu.usageNanoCores?.value { return Double(nanoCores) / 1e7 }
        guard let previous, let now = cpu.usageCoreNanoSeconds?.value, let then = previous.usageCoreNanoSeconds?.value,
            cpu.timestamp > previous.timestamp, now >= then
        else { return 0 }
        return Double(now - then) / Double(cpu.timestamp - previous.timestamp) * 100
    }
}
