import ArgumentParser
import CRI

/// `cri imagefsinfo`: the image and container filesystems' usage.
struct ImageFsInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "imagefsinfo", abstract: "Return image filesystem info.")

    @Option(name: .shortAndLong, help: "Output format: json, yaml or table.") var output: OutputFormat = .json

    func run() async throws {
        try output.require([.json, .yaml, .table])
        try await withRuntimeClient { client, _ in
            let response = try await client.imageFsInfo()
            if output == .table {
                var table = TableWriter(header: ["TIMESTAMP", "KIND", "MOUNTPOINT", "USED", "INODES"])
                for (kind, list) in [("image", response.imageFilesystems), ("container", response.containerFilesystems)] {
                    for usage in list {
                        table.add([
                            CRITimestamp(nanosecondsSinceEpoch: usage.timestamp).rfc3339Nano, kind, usage.fsID?.mountpoint ?? "",
                            HumanUnits.size(usage.usedBytes?.value ?? 0), String(usage.inodesUsed?.value ?? 0),
                        ])
                    }
                }
                table.print()
            } else {
                printTree(.object([JSONMember(key: "status", value: JSONTree.tree(of: response))]), as: output)
            }
        }
    }
}
