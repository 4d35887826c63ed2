import ArgumentParser
import CRI

/// `cri runtime-config`: the runtime's configuration the kubelet reads (the cgroup driver).
struct RuntimeConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime-config", abstract: "Retrieve the container runtime configuration.")

    func run() async throws {
        try await withRuntimeClient { client, _ in
            let response = try await client.runtimeConfig()
            let driver = response.linux?.cgroupDriver ?? .systemd
            let name = (driver.protoName ?? "\(driver.protoValue)")
            CLIOutput.line("cgroup driver: \(name)")
        }
    }
}
