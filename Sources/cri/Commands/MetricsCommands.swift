import ArgumentParser
import CRI

/// `cri metricsp`: pod sandbox metrics (ListPodSandboxMetrics).
struct PodMetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metricsp", abstract: "List pod metrics (the runtime's cAdvisor-style metrics).")

    @Option(name: .shortAndLong, help: "Output format: json or yaml.") var output: OutputFormat = .json

    func run() async throws {
        try output.require([.json, .yaml])
        try await withRuntimeClient { client, _ in
            printMessage(try await client.listPodSandboxMetrics(), as: output)
        }
    }
}

/// `cri metricdescs`: the descriptors of the metrics `metricsp` returns.
struct MetricDescriptorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metricdescs", abstract: "List metric descriptors.")

    @Option(name: .shortAndLong, help: "Output format: json or yaml.") var output: OutputFormat = .json

    func run() async throws {
        try output.require([.json, .yaml])
        try await withRuntimeClient { client, _ in
            printMessage(try await client.listMetricDescriptors(), as: output)
        }
    }
}
