import ArgumentParser
import CRI

/// `cri pull IMAGE`: pulls an image, with credentials from flags, the environment or docker's config.json.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Pull an image from a registry.")

    @OptionGroup var pull: PullOptions
    @Option(name: .customLong("pod-config"), help: "A pod sandbox config file to pass with the pull.") var podConfig: String?
    @Option(name: [.customShort("a"), .customLong("annotation")], help: "Annotation key=value for the image (repeatable).") var annotations: [String] = []
    @Argument(help: "The image reference, e.g. busybox or registry.example/app:1.0.") var image: String

    func run() async throws {
        let auth = try pull.authConfig(for: image)
        let sandbox = try podConfig.map { try ConfigFileLoader.podSandboxConfig(path: $0, strict: false) }
        let annotationMap = try ListFilters.labels(annotations)
        try await withRuntimeClient(pullTimeout: try pull.timeout()) { client, _ in
            let reference = try await ImagePulling.pull(
                image, client: client, auth: auth, sandboxConfig: sandbox, annotations: annotationMap)
            CLIOutput.line("Image is up to date for \(reference)")
        }
    }
}
