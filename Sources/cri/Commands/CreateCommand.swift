import ArgumentParser
import CRI

/// `cri create POD ctr.yaml pod.yaml`: creates a container in a pod.
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a new container in a pod.")

    @Flag(help: "Do not pull the image (overrides pull-image-on-create).") var noPull = false
    @Flag(help: "Pull the image first (the default when pull-image-on-create is true).") var withPull = false
    @Flag(help: "Fail on keys that name no field instead of warning.") var strict = false
    @OptionGroup var pull: PullOptions
    @Argument(help: "The pod sandbox ID.") var podID: String
    @Argument(help: "The container config file (YAML or JSON).") var containerConfig: String
    @Argument(help: "The pod sandbox config file it was run with.") var podConfig: String

    func run() async throws {
        let container = try ConfigFileLoader.containerConfig(path: containerConfig, strict: strict)
        let pod = try ConfigFileLoader.podSandboxConfig(path: podConfig, strict: strict)
        let pullTimeout = try pull.timeout()
        try await withRuntimeClient(pullTimeout: pullTimeout) { client, settings in
            if !noPull && (withPull || settings.pullImageOnCreate) {
                let image = container.image?.image ?? ""
                _ = try await ImagePulling.pull(image, client: client, auth: try pull.authConfig(for: image), sandboxConfig: pod)
            }
            let id = try await client.createContainer(inPod: podID, config: container, sandboxConfig: pod)
            CLIOutput.line(id)
        }
    }
}
