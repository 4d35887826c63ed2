import ArgumentParser
import CRI

/// `cri version`: the runtime's name and versions.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Display runtime version information.")

    func run() async throws {
        try await withRuntimeClient { client, _ in
            let version = try await client.version()
            CLIOutput.line("Version:  \(version.version)")
            CLIOutput.line("RuntimeName:  \(version.runtimeName)")
            CLIOutput.line("RuntimeVersion:  \(version.runtimeVersion)")
            CLIOutput.line("RuntimeApiVersion:  \(version.runtimeApiVersion)")
        }
    }
}
