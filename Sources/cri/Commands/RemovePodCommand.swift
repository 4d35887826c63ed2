import ArgumentParser
import CRI

/// `cri rmp ID...`: removes pod sandboxes (stopping them first with `--force`).
struct RemovePodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rmp", abstract: "Remove one or more pods.")

    @Flag(name: .shortAndLong, help: "Stop ready pods before removing them.") var force = false
    @Flag(name: .shortAndLong, help: "Remove all pods.") var all = false
    @Argument(help: "Pod IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty || all else { throw CLIFailure("ID cannot be empty: give pod IDs or --all") }
        try await withRuntimeClient { client, _ in
            var targets = ids
            if all { targets = try await client.listPodSandbox(filter: nil).map(\.id) }
            var failures = 0
            for id in targets {
                do {
                    let status = try await client.podSandboxStatus(id: id).status
                    if status?.state == .sandboxReady {
                        guard force else {
                            CLIOutput.error("cri: pod \(id) is ready; stop it first (cri stopp \(id)) or use --force")
                            failures += 1
                            continue
                        }
                        try await client.stopPodSandbox(id: id)
                    }
                    try await client.removePodSandbox(id: id)
                    CLIOutput.line("Removed sandbox \(id)")
                } catch let error as CRIError {
                    CLIOutput.error("cri: removing pod \(id): \(error)")
                    failures += 1
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
