import ArgumentParser
import Foundation

/// `cri config`: reads and edits crictl.yaml.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Get and set cri client configuration options.",
        discussion: "cri config --set runtime-endpoint=unix:///run/containerd/containerd.sock; cri config --get timeout; cri config KEY VALUE")

    @Option(help: "Print the value of this key.") var get: String?
    @Option(help: "Set key=value[,key=value...].") var set: [String] = []
    @Flag(help: "List all settings.") var list = false
    @Argument(help: "KEY VALUE to set one option.") var keyValue: [String] = []

    func run() async throws {
        let (path, _) = ConfigFile.selectedPath(CLIContext.current)
        let existing = FileManager.default.fileExists(atPath: path) ? try ConfigFile.load(path: path) : nil
        if let get {
            guard ConfigFile.keys.contains(get) else {
                throw CLIFailure("unknown config option \(quoted(get)) (valid: \(ConfigFile.keys.joined(separator: ", ")))")
            }
            CLIOutput.line(existing?.value(of: get) ?? "")
            return
        }
        var assignments: [(String, String)] = []
        for item in set {
            for pair in item.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw CLIFailure("invalid --set \(quoted(String(pair))): use key=value") }
                assignments.append((String(parts[0]), String(parts[1])))
            }
        }
        if keyValue.count == 2 { assignments.append((keyValue[0], keyValue[1])) } else if !keyValue.isEmpty {
            throw CLIFailure("use cri config KEY VALUE, --get KEY, --set KEY=VALUE or --list")
        }
        if !assignments.isEmpty {
            var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            var values = existing?.values ?? ConfigFile.Values()
            for (key, value) in assignments {
                try ConfigFile.apply(key: key, value: value, to: &values, path: path)
                text = ConfigFile.updating(text, key: key, value: value)
            }
            do {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            } catch {
                throw CLIFailure("cannot write \(path): \(error.localizedDescription)")
            }
            return
        }
        // --list (also the default with no arguments).
        var table = TableWriter(header: ["KEY", "VALUE"])
        for key in ConfigFile.keys { table.add([key, existing?.value(of: key) ?? ""]) }
        table.print()
    }
}
