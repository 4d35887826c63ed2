import CRI

/// Helpers shared by the list commands' filters.
enum ListFilters {
    /// `k=v` labels as a selector.
    static func labels(_ pairs: [String]) throws -> StringMap {
        try keyValues(pairs, flag: "--label")
    }

    /// Repeated `k=v` flag values as a map; a pair without `=` or with an empty key is an error naming `flag`.
    static func keyValues(_ pairs: [String], flag: String) throws -> StringMap {
        var map = StringMap()
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { throw CLIFailure("invalid \(flag) \(quoted(pair)): use key=value") }
            map[String(parts[0])] = String(parts[1])
        }
        return map
    }

    /// A compiled `--name`/`--namespace` pattern (Go regexp semantics: matches anywhere).
    static func regex(_ pattern: String?, flag: String) throws -> Regex<AnyRegexOutput>? {
        guard let pattern, !pattern.isEmpty else { return nil }
        do {
            return try Regex(pattern)
        } catch {
            throw CLIFailure("invalid \(flag) pattern \(quoted(pattern)): \(error)")
        }
    }

    /// Whether `text` matches `regex` (nil matches everything).
    static func matches(_ text: String, _ regex: Regex<AnyRegexOutput>?) -> Bool {
        guard let regex else { return true }
        return (try? regex.firstMatch(in: text)) != nil
    }

    /// Newest first, then `--latest` / `--last N`.
    static func limit<Item>(_ items: [Item], createdAt: (Item) -> Int64, latest: Bool, last: Int) -> [Item] {
        let sorted = items.sorted { createdAt($0) > createdAt($1) }
        if latest { return Array(sorted.prefix(1)) }
        if last > 0 { return Array(sorted.prefix(last)) }
        return sorted
    }

    /// `Ready`/`NotReady` for a pod state.
    static func podState(_ state: PodSandboxState) -> String {
        switch state {
        case .sandboxReady: "Ready"
        case .sandboxNotready: "NotReady"
        default: "Unknown"
        }
    }

    /// `Created`/`Running`/`Exited`/`Unknown` for a container state.
    static func containerState(_ state: ContainerState) -> String {
        switch state {
        case .containerCreated: "Created"
        case .containerRunning: "Running"
        case .containerExited: "Exited"
        default: "Unknown"
        }
    }

    /// `--state` for pods: ready or notready (also the enum names).
    static func podStateFilter(_ text: String?) throws -> PodSandboxStateValue? {
        guard let text else { return nil }
        var value = PodSandboxStateValue()
        switch text.lowercased() {
        case "ready", "sandbox_ready": value.state = .sandboxReady
        case "notready", "sandbox_notready": value.state = .sandboxNotready
        default: throw CLIFailure("invalid --state \(quoted(text)): use ready or notready")
        }
        return value
    }

    /// `--state` for containers: created, running, exited or unknown.
    static func containerStateFilter(_ text: String?) throws -> ContainerStateValue? {
        guard let text else { return nil }
        var value = ContainerStateValue()
        switch text.lowercased() {
        case "created", "container_created": value.state = .containerCreated
        case "running", "container_running": value.state = .containerRunning
        case "exited", "container_exited": value.state = .containerExited
        case "unknown", "container_unknown": value.state = .containerUnknown
        default: throw CLIFailure("invalid --state \(quoted(text)): use created, running, exited or unknown")
        }
        return value
    }
}
