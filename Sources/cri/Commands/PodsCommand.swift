import ArgumentParser
import CRI

/// `cri pods`: lists pod sandboxes.
struct PodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pods", abstract: "List pod sandboxes.")

    @Option(help: "Only the pod with this ID (or ID prefix).") var id: String?
    @Option(help: "Only pods whose name matches this regular expression.") var name: String?
    @Option(help: "Only pods whose namespace matches this regular expression.") var namespace: String?
    @Option(name: .shortAndLong, help: "Only pods in this state: ready or notready.") var state: String?
    @Option(help: "Only pods with this label (key=value; repeatable).") var label: [String] = []
    @Flag(name: .shortAndLong, help: "Show details.") var verbose = false
    @Flag(name: .shortAndLong, help: "Only print pod IDs.") var quiet = false
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: OutputFormat = .table
    @Flag(name: .shortAndLong, help: "Only the most recently created pod.") var latest = false
    @Option(name: [.customShort("n"), .customLong("last")], help: "Only the N most recently created pods.") var last = 0
    @Flag(help: "Show full IDs.") var noTrunc = false
    // crictl takes the ID only as --id; walkthroughs (the Windows one this project started from) type
    // `crictl pods POD_ID`, which crictl rejects. Accepted here as the same filter.
    @Argument(help: "Only the pod with this ID (or ID prefix); the same as --id.") var podID: String?

    func validate() throws {
        if let id, let podID, id != podID {
            throw ValidationError("the pod ID is given twice, differently: --id \(id) and \(podID)")
        }
    }

    func run() async throws {
        try output.require([.table, .json, .yaml])
        let nameRegex = try ListFilters.regex(name, flag: "--name")
        let namespaceRegex = try ListFilters.regex(namespace, flag: "--namespace")
        var filter = PodSandboxFilter()
        filter.id = id ?? podID ?? ""
        filter.state = try ListFilters.podStateFilter(state)
        filter.labelSelector = try ListFilters.labels(label)
        try await withRuntimeClient { client, _ in
            let all = try await client.listPodSandbox(filter: filter)
            let matching = all.filter {
                ListFilters.matches($0.metadata?.name ?? "", nameRegex)
                    && ListFilters.matches($0.metadata?.namespace ?? "", namespaceRegex)
            }
            let pods = ListFilters.limit(matching, createdAt: \.createdAt, latest: latest, last: last)
            if quiet {
                for pod in pods { CLIOutput.line(pod.id) }
                return
            }
            switch output {
            case .json, .yaml:
                var response = ListPodSandboxResponse()
                response.items = pods
                printMessage(response, as: output)
            default:
                if verbose {
                    for pod in pods { Self.printVerbose(pod) }
                    return
                }
                var table = TableWriter(header: ["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"])
                for pod in pods {
                    table.add([
                        HumanUnits.truncatedID(pod.id, full: noTrunc), HumanUnits.ago(pod.createdAt),
                        ListFilters.podState(pod.state), pod.metadata?.name ?? "", pod.metadata?.namespace ?? "",
                        String(pod.metadata?.attempt ?? 0), pod.runtimeHandler.isEmpty ? "(default)" : pod.runtimeHandler,
                    ])
                }
                table.print()
            }
        }
    }

    static func printVerbose(_ pod: PodSandbox) {
        CLIOutput.line("ID: \(pod.id)")
        if let metadata = pod.metadata {
            CLIOutput.line("Name: \(metadata.name)")
            CLIOutput.line("UID: \(metadata.uid)")
            CLIOutput.line("Namespace: \(metadata.namespace)")
            CLIOutput.line("Attempt: \(metadata.attempt)")
        }
        CLIOutput.line("Status: \(pod.state.protoName ?? "")")
        CLIOutput.line("Created: \(CRITimestamp(nanosecondsSinceEpoch: pod.createdAt))")
        if !pod.labels.isEmpty {
            CLIOutput.line("Labels:")
            for key in pod.labels.keys.sorted() { CLIOutput.line("\t\(key) -> \(pod.labels[key]!)") }
        }
        if !pod.annotations.isEmpty {
            CLIOutput.line("Annotations:")
            for key in pod.annotations.keys.sorted() { CLIOutput.line("\t\(key) -> \(pod.annotations[key]!)") }
        }
        CLIOutput.line()
    }
}
