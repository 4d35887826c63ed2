import ArgumentParser
import CRI

/// `cri runp pod-config.yaml`: runs a pod sandbox and prints its ID.
struct RunPodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runp", abstract: "Run a new pod sandbox from a YAML or JSON config.")

    @Option(name: [.customShort("r"), .long], help: "Runtime handler (e.g. runc, kata).")
    var runtime: String = ""

    @Flag(help: "Fail on keys that name no field instead of warning.")
    var strict = false

    @Argument(help: "The pod sandbox config file (YAML or JSON).")
    var podConfig: String

    func run() async throws {
        let config = try ConfigFileLoader.podSandboxConfig(path: podConfig, strict: strict)
        try await withRuntimeClient { client, _ in
            let id = try await client.runPodSandbox(config, runtimeHandler: runtime)
            CLIOutput.line(id)
        }
    }
}
