import ArgumentParser
import CRI

/// `cri ps`: lists containers (running ones unless `-a`).
struct PsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List containers.")

    @Flag(name: .shortAndLong, help: "Show all containers, not only running ones.") var all = false
    @Option(help: "Only the container with this ID (or prefix).") var id: String?
    @Option(help: "Only containers whose name matches this regular expression.") var name: String?
    @Option(help: "Only containers whose pod namespace matches this regular expression.") var namespace: String?
    @Option(name: .shortAndLong, help: "Only containers in this pod (ID or prefix).") var pod: String?
    @Option(help: "Only containers of this image (name or ID).") var image: String?
    @Option(name: .shortAndLong, help: "Only containers in this state: created, running, exited, unknown.") var state: String?
    @Option(help: "Only containers with this label (key=value; repeatable).") var label: [String] = []
    @Flag(name: .shortAndLong, help: "Only print container IDs.") var quiet = false
    @Flag(name: .shortAndLong, help: "Show details.") var verbose = false
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: OutputFormat = .table
    @Flag(name: .shortAndLong, help: "Only the most recently created container.") var latest = false
    @Option(name: [.customShort("n"), .customLong("last")], help: "Only the N most recently created containers.") var last = 0
    @Flag(help: "Show full IDs.") var noTrunc = false

    func run() async throws {
        try output.require([.table, .json, .yaml])
        let query = ContainerQuery(
            id: id, name: name, namespace: namespace, pod: pod, image: image, state: state, labels: label,
            all: all, latest: latest, last: last)
        try await withRuntimeClient { client, _ in
            let found = try await query.run(client)
            if quiet {
                for entry in found { CLIOutput.line(entry.container.id) }
                return
            }
            switch output {
            case .json, .yaml:
                var response = ListContainersResponse()
                response.containers = found.map(\.container)
                printMessage(response, as: output)
            default:
                if verbose {
                    for entry in found { Self.printVerbose(entry.container) }
                    return
                }
                var table = TableWriter(header: ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"])
                for (container, pod) in found {
                    table.add([
                        HumanUnits.truncatedID(container.id, full: noTrunc),
                        Self.imageName(container, full: noTrunc),
                        HumanUnits.ago(container.createdAt),
                        ListFilters.containerState(container.state),
                        container.metadata?.name ?? "",
                        String(container.metadata?.attempt ?? 0),
                        HumanUnits.truncatedID(container.podSandboxID, full: noTrunc),
                        container.labels["io.kubernetes.pod.name"] ?? pod?.name ?? "",
                        container.labels["io.kubernetes.pod.namespace"] ?? pod?.namespace ?? "",
                    ])
                }
                table.print()
            }
        }
    }

    /// The image as a name when the runtime reports one, else the truncated image ID.
    static func imageName(_ container: Container, full: Bool) -> String {
        let image = container.image?.image ?? container.imageRef
        if image.hasPrefix("sha256:") || (image.count == 64 && image.allSatisfy(\.isHexDigit)) {
            return HumanUnits.truncatedID(image, full: full)
        }
        return image
    }

    static func printVerbose(_ container: Container) {
        CLIOutput.line("ID: \(container.id)")
        CLIOutput.line("PodID: \(container.podSandboxID)")
        if let metadata = container.metadata {
            CLIOutput.line("Name: \(metadata.name)")
            CLIOutput.line("Attempt: \(metadata.attempt)")
        }
        CLIOutput.line("State: \(container.state.protoName ?? "")")
        CLIOutput.line("Image: \(container.image?.image ?? "")")
        CLIOutput.line("Created: \(CRITimestamp(nanosecondsSinceEpoch: container.createdAt))")
        if !container.labels.isEmpty {
            CLIOutput.line("Labels:")
            for key in container.labels.keys.sorted() { CLIOutput.line("\t\(key) -> \(container.labels[key]!)") }
        }
        CLIOutput.line()
    }
}
