import ArgumentParser
import CRI

/// `cri update-runtime-config -p CIDR`: tells the runtime the node's pod CIDR.
struct UpdateRuntimeConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update-runtime-config", abstract: "Update the runtime configuration (pod CIDR).")

    @Option(name: [.customShort("p"), .long], help: "The pod CIDR, e.g. 10.88.0.0/16.") var podCidr: String

    func run() async throws {
        var network = NetworkConfig()
        network.podCidr = podCidr
        var runtimeConfig = RuntimeConfig()
        runtimeConfig.networkConfig = network
        var request = UpdateRuntimeConfigRequest()
        request.runtimeConfig = runtimeConfig
        try await withRuntimeClient { client, _ in
            _ = try await client.updateRuntimeConfig(request)
            CLIOutput.line("Runtime config updated (pod CIDR \(podCidr))")
        }
    }
}
