import ArgumentParser
import CRI
import Foundation

/// `cri rm ID...`: removes containers and their log files.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one or more containers.")

    @Flag(name: .shortAndLong, help: "Stop running containers before removing them.") var force = false
    @Flag(name: [.customShort("k"), .long], help: "Keep the container's log files.") var keepLogs = false
    @Flag(name: .shortAndLong, help: "Remove all containers.") var all = false
    @Argument(help: "Container IDs (or unique prefixes).") var ids: [String] = []

    func run() async throws {
        guard !ids.isEmpty || all else { throw CLIFailure("ID cannot be empty: give container IDs or --all") }
        try await withRuntimeClient { client, _ in
            var targets = ids
            if all { targets = try await client.listContainers(filter: nil).map(\.id) }
            var failures = 0
            for id in targets {
                do {
                    let status = try await client.containerStatus(id: id).status
                    if status?.state == .containerRunning {
                        guard force else {
                            CLIOutput.error("cri: container \(id) is running; stop it first (cri stop \(id)) or use --force")
                            failures += 1
                            continue
                        }
                        try await client.stopContainer(id: id, timeout: 0)
                    }
                    try await client.removeContainer(id: id)
                    if !keepLogs, let path = status?.logPath, !path.isEmpty { Self.removeLogs(path) }
                    CLIOutput.line(id)
                } catch let error as CRIError {
                    CLIOutput.error("cri: removing container \(id): \(error)")
                    failures += 1
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    /// Removes `path` and its rotated siblings (`path.*`).
    static func removeLogs(_ path: String) {
        let manager = FileManager.default
        try? manager.removeItem(atPath: path)
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + "."
        for name in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
            try? manager.removeItem(atPath: directory + "/" + name)
        }
    }
}
