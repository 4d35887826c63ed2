import ArgumentParser
import CRI

/// `cri rmi IMAGE...`: removes images.
struct RemoveImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rmi", abstract: "Remove one or more images.")

    @Flag(name: .shortAndLong, help: "Remove all images.") var all = false
    @Flag(name: [.customShort("q"), .long], help: "Remove all images no container uses.") var prune = false
    @Argument(help: "Image names or IDs.") var images: [String] = []

    func run() async throws {
        guard !images.isEmpty || all || prune else { throw CLIFailure("give images, --all or --prune") }
        try await withRuntimeClient { client, _ in
            var targets = images
            if all || prune {
                var candidates = try await client.listImages().filter { !$0.pinned }
                if prune {
                    let used = Set(try await client.listContainers(filter: nil).flatMap { [$0.imageRef, $0.imageID] })
                    candidates = candidates.filter { !used.contains($0.id) }
                }
                targets = candidates.map(\.id)
            }
            var failures = 0
            for name in targets {
                guard let image = try await client.imageStatus(name) else {
                    CLIOutput.error("cri: no such image \(quoted(name))")
                    failures += 1
                    continue
                }
                if image.repoTags.count > 1 && !all && !prune && !name.hasPrefix("sha256:") && !image.id.hasPrefix(name) {
                    CLIOutput.warning("image \(name) has several tags (\(image.repoTags.joined(separator: ", "))); all are removed")
                }
                try await client.removeImage(image.id)
                for tag in image.repoTags.isEmpty ? [image.id] : image.repoTags { CLIOutput.line("Deleted: \(tag)") }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
