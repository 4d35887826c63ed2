import ArgumentParser
import CRI

/// `cri run ctr.yaml pod.yaml`: runs a pod, pulls the image, creates and starts the container.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a new container inside a new pod sandbox.")

    @Option(name: [.customShort("r"), .long], help: "Runtime handler (e.g. runc, kata).") var runtime: String = ""
    @Flag(help: "Do not pull the image.") var noPull = false
    @Flag(help: "Fail on keys that name no field instead of warning.") var strict = false
    @OptionGroup var pull: PullOptions
    @Argument(help: "The container config file (YAML or JSON).") var containerConfig: String
    @Argument(help: "The pod sandbox config file (YAML or JSON).") var podConfig: String

    func run() async throws {
        let container = try ConfigFileLoader.containerConfig(path: containerConfig, strict: strict)
        let pod = try ConfigFileLoader.podSandboxConfig(path: podConfig, strict: strict)
        let pullTimeout = try pull.timeout()
        try await withRuntimeClient(pullTimeout: pullTimeout) { client, settings in
            let podID = try await client.runPodSandbox(pod, runtimeHandler: runtime)
            if !noPull && !settings.disablePullOnRun {
                let image = container.image?.image ?? ""
                _ = try await ImagePulling.pull(image, client: client, auth: try pull.authConfig(for: image), sandboxConfig: pod)
            }
            let id = try await client.createContainer(inPod: podID, config: container, sandboxConfig: pod)
            try await client.startContainer(id: id)
            CLIOutput.line(id)
        }
    }
}
