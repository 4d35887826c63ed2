import Foundation
import Yams

/// crictl.yaml: a YAML map of kebab-case keys. Unknown keys are errors that name the key, as in
/// crictl; `cri config` edits the file line by line so comments survive.
struct ConfigFile {
    /// The settings a config file can hold.
    struct Values: Sendable {
        var runtimeEndpoint: String?
        var imageEndpoint: String?
        var timeout: Int?
        var debug = false
        var pullImageOnCreate = false
        var disablePullOnRun = false
    }

    /// The keys crictl knows, in its order.
    static let keys = ["runtime-endpoint", "image-endpoint", "timeout", "debug", "pull-image-on-create", "disable-pull-on-run"]

    /// Where crictl looks by default, for the current context's environment.
    static var defaultPath: String { defaultPath(environment: CLIContext.current.environment) }

    /// Where crictl looks by default: `/etc/crictl.yaml`, or on Windows `%USERPROFILE%\.crictl\crictl.yaml`
    /// (crictl's main_windows.go joins USERPROFILE, `.crictl` and `crictl.yaml`).
    static func defaultPath(environment: [String: String]) -> String {
        #if os(Windows) || CRI_WINDOWS_STANDIN
        (environment["USERPROFILE"] ?? "C:") + "\\.crictl\\crictl.yaml"
        #else
        "/etc/crictl.yaml"
        #endif
    }

    let path: String
    /// The raw `key: value` pairs, in file order.
    var entries: [(key: String, value: String)]
    let values: Values

    /// The path the context selects (`-c` > `CRI_CONFIG_FILE` > default) and whether it was explicit.
    static func selectedPath(_ context: CLIContext) -> (path: String, explicit: Bool) {
        if let path = context.globals.configPath { return (path, true) }
        if let path = context.env("CRI_CONFIG_FILE") { return (path, true) }
        return (defaultPath(environment: context.environment), false)
    }

    /// Loads the context's config file; nil when it does not exist and was not asked for explicitly.
    static func loadForContext(_ context: CLIContext) throws -> ConfigFile? {
        guard context.readsConfigFile else { return nil }
        let (path, explicit) = selectedPath(context)
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        if explicit {
            throw CLIFailure("config file \(path) does not exist (from \(context.globals.configPath != nil ? "--config" : "CRI_CONFIG_FILE"))")
        }
        // crictl's fallback: crictl.yaml next to the binary.
        let besideBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("crictl.yaml").path
        if FileManager.default.fileExists(atPath: besideBinary) { return try load(path: besideBinary) }
        return nil
    }

    /// Parses the file at `path`.
    static func load(path: String) throws -> ConfigFile {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIFailure("cannot read config file \(path)")
        }
        defer { try? handle.close() }
        let data = (try? handle.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return try ConfigFile(path: path, text: text)
    }

    init(path: String, text: String) throws {
        self.path = path
        var entries: [(String, String)] = []
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw CLIFailure("config file \(path) is not valid YAML: \(error)")
        }
        if let node {
            guard let mapping = node.mapping else {
                throw CLIFailure("config file \(path) must be a YAML map of settings (keys: \(Self.keys.joined(separator: ", ")))")
            }
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                entries.append((name, value.string ?? ""))
            }
        }
        self.entries = entries
        var values = Values()
        for (key, value) in entries {
            try Self.apply(key: key, value: value, to: &values, path: path)
        }
        self.values = values
    }

    /// Sets one key, validating the key and its value.
    static func apply(key: String, value: String, to values: inout Values, path: String) throws {
        func bool() throws -> Bool {
            switch value.lowercased() {
            case "1", "t", "true", "yes", "on": return true
            case "0", "f", "false", "no", "off", "": return false
            default: throw CLIFailure("\(path): \(key) must be true or false, not \(quoted(value))")
            }
        }
        switch key {
        case "runtime-endpoint": values.runtimeEndpoint = value.isEmpty ? nil : value
        case "image-endpoint": values.imageEndpoint = value.isEmpty ? nil : value
        case "timeout":
            guard let seconds = Int(value) else {
                throw CLIFailure("\(path): timeout must be a whole number of seconds, not \(quoted(value))")
            }
            values.timeout = seconds
        case "debug": values.debug = try bool()
        case "pull-image-on-create": values.pullImageOnCreate = try bool()
        case "disable-pull-on-run": values.disablePullOnRun = try bool()
        default:
            throw CLIFailure("\(path): unknown config option \(quoted(key)) (valid: \(keys.joined(separator: ", ")))")
        }
    }

    /// The value of `key`, or nil when unset.
    func value(of key: String) -> String? {
        entries.last { $0.key == key }?.value
    }

    /// Rewrites `text` with `key: value` replaced in place (or appended), keeping other lines and
    /// comments as they are.
    static func updating(_ text: String, key: String, value: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let isString = key == "runtime-endpoint" || key == "image-endpoint"
        let rendered = "\(key): \(isString ? yamlScalar(value) : value)"
        if let index = lines.firstIndex(where: { line in
            line.hasPrefix(key + ":") && !line.hasPrefix("#")
        }) {
            lines[index] = rendered
        } else {
            lines.append(rendered)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func yamlScalar(_ value: String) -> String {
        let scalar = Node.Scalar(value)
        if value.isEmpty { return "\"\"" }
        return Resolver.default.resolveTag(of: Node.scalar(scalar)) == .str && !value.contains(": ") && !value.hasPrefix("#") ? value : "\"\(value)\""
    }
}
