import ArgumentParser
import CRI

/// `cri images [IMAGE]`: lists images.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images", abstract: "List images.", aliases: ["image", "img"])

    @Flag(name: .shortAndLong, help: "Show details.") var verbose = false
    @Flag(name: .shortAndLong, help: "Only print image IDs.") var quiet = false
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml.") var output: OutputFormat = .table
    @Flag(help: "Show digests.") var digests = false
    @Flag(help: "Show full IDs.") var noTrunc = false
    @Flag(help: "Show whether images are pinned.") var pinned = false
    @Option(name: .shortAndLong, help: "Filter: dangling=true|false, reference=PATTERN.") var filter: [String] = []
    @Argument(help: "Only images matching this reference.") var image: String?

    func run() async throws {
        try output.require([.table, .json, .yaml])
        try await withRuntimeClient { client, _ in
            var images = try await client.listImages(matching: image)
            for item in filter { images = try Self.apply(item, to: images) }
            if quiet {
                for image in images { CLIOutput.line(image.id) }
                return
            }
            switch output {
            case .json, .yaml:
                var response = ListImagesResponse()
                response.images = images
                printMessage(response, as: output)
            default:
                if verbose {
                    for image in images {
                        CLIOutput.line("ID: \(image.id)")
                        for tag in image.repoTags { CLIOutput.line("RepoTags: \(tag)") }
                        for digest in image.repoDigests { CLIOutput.line("RepoDigests: \(digest)") }
                        CLIOutput.line("Size: \(image.size)")
                        if !image.username.isEmpty { CLIOutput.line("Username: \(image.username)") }
                        CLIOutput.line()
                    }
                    return
                }
                var header = ["IMAGE", "TAG"]
                if digests { header.append("DIGEST") }
                header += ["IMAGE ID", "SIZE"]
                if pinned { header.append("PINNED") }
                var table = TableWriter(header: header)
                for image in images {
                    let id = HumanUnits.truncatedID(image.id, full: noTrunc)
                    let size = HumanUnits.size(image.size, precision: 3)
                    for (repository, tag, digest) in Self.repoTagPairs(image) {
                        var row = [repository, tag]
                        if digests { row.append(noTrunc ? digest : HumanUnits.truncatedID(digest, full: false)) }
                        row += [id, size]
                        if pinned { row.append(String(image.pinned)) }
                        table.add(row)
                    }
                }
                table.print()
            }
        }
    }

    /// `(repository, tag, digest)` per tag, `<none>` where missing (crictl's normalizeRepoTagPair).
    static func repoTagPairs(_ image: Image) -> [(String, String, String)] {
        let digest = image.repoDigests.first.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "<none>"
        guard !image.repoTags.isEmpty else {
            let repository = image.repoDigests.first.flatMap { $0.split(separator: "@").first.map(String.init) } ?? "<none>"
            return [(repository, "<none>", digest)]
        }
        return image.repoTags.map { tag in
            guard let colon = tag.lastIndex(of: ":"), !tag[colon...].contains("/") else { return (tag, "<none>", digest) }
            return (String(tag[..<colon]), String(tag[tag.index(after: colon)...]), digest)
        }
    }

    static func apply(_ filter: String, to images: [Image]) throws -> [Image] {
        let parts = filter.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { throw CLIFailure("invalid --filter \(quoted(filter)): use key=value") }
        switch parts[0] {
        case "dangling":
            let dangling = parts[1] == "true"
            return images.filter { $0.repoTags.isEmpty == dangling }
        case "reference":
            let regex = try ListFilters.regex(String(parts[1]), flag: "--filter reference")
            return images.filter { image in image.repoTags.contains { ListFilters.matches($0, regex) } }
        default:
            throw CLIFailure("unsupported --filter \(quoted(String(parts[0]))): use dangling or reference")
        }
    }
}
