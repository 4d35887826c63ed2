import ArgumentParser
import CRI

/// `cri update ID...`: changes containers' CPU and memory limits.
struct UpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Update one or more running containers.")

    @Option(help: "CPU CFS period (µs).") var cpuPeriod: Int64 = 0
    @Option(help: "CPU CFS quota (µs).") var cpuQuota: Int64 = 0
    @Option(help: "CPU shares (relative weight).") var cpuShare: Int64 = 0
    @Option(help: "Memory limit in bytes.") var memory: Int64 = 0
    @Option(help: "CPUs allowed (0-3, 0,1).") var cpusetCpus: String = ""
    @Option(help: "Memory nodes allowed (0-3, 0,1).") var cpusetMems: String = ""
    @Option(help: "OOM score adjustment.") var oomScoreAdj: Int64 = 0
    @Argument(help: "Container IDs.") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty else { throw CLIFailure("ID cannot be empty: give one or more container IDs") }
        var resources = LinuxContainerResources()
        resources.cpuPeriod = cpuPeriod
        resources.cpuQuota = cpuQuota
        resources.cpuShares = cpuShare
        resources.memoryLimitInBytes = memory
        resources.cpusetCpus = cpusetCpus
        resources.cpusetMems = cpusetMems
        resources.oomScoreAdj = oomScoreAdj
        try await withRuntimeClient { client, _ in
            for id in ids {
                var request = UpdateContainerResourcesRequest()
                request.containerID = id
                request.linux = resources
                _ = try await client.updateContainerResources(request)
                CLIOutput.line(id)
            }
        }
    }
}
