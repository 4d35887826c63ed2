import ArgumentParser
import CRI

/// `cri inspecti IMAGE...`: image status plus the runtime's verbose info.
struct InspectImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspecti", abstract: "Return the status of one or more images.")

    @Option(name: .shortAndLong, help: "Output format: json, yaml or table.") var output: OutputFormat = .json
    @Flag(name: .shortAndLong, help: "Do not ask for the runtime's verbose info.") var quiet = false
    @Argument(help: "Image names or IDs.") var images: [String] = []

    func run() async throws {
        try output.require([.json, .yaml, .table])
        guard !images.isEmpty else { throw CLIFailure("give one or more images") }
        try await withRuntimeClient { client, _ in
            var results: [JSONValue] = []
            var table = TableWriter(header: ["IMAGE", "TAG", "IMAGE ID", "SIZE"])
            for name in images {
                var spec = ImageSpec()
                spec.image = name
                var request = ImageStatusRequest()
                request.image = spec
                request.verbose = !quiet
                let response = try await client.imageStatus(request)
                guard let image = response.image else { throw CLIFailure("no such image \(quoted(name))") }
                for (repository, tag, _) in ImagesCommand.repoTagPairs(image) {
                    table.add([repository, tag, HumanUnits.truncatedID(image.id, full: false), HumanUnits.size(image.size, precision: 3)])
                }
                results.append(JSONTree.merged(status: JSONTree.tree(of: image), info: response.info))
            }
            if output == .table {
                table.print()
            } else {
                printTree(results.count == 1 ? results[0] : .array(results), as: output)
            }
        }
    }
}
