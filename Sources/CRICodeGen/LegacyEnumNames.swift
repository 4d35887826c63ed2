/// Enum value names an older schema used, still accepted (never produced) when parsing by name.
///
/// Kubernetes 1.37 prefixed every `Signal` value with `SIGNAL_` (`SIGKILL` became `SIGNAL_SIGKILL`, same
/// numbers). Pod and container config files written for earlier releases, and runtimes' persisted state,
/// still spell the old names; containerd keeps reading them, so `init?(protoName:)` does too. Printing
/// always uses the current schema name.
enum LegacyEnumNames {
    /// Fully qualified enum name → the prefix the current schema added to every value name.
    static let addedPrefixes: [String: String] = [
        "runtime.v1.Signal": "SIGNAL_",
    ]

    /// The old names of `definition`'s values that no current value uses, each with the current value it means.
    static func aliases(for definition: EnumDefinition) -> [(legacyName: String, value: EnumValueDefinition)] {
        guard let prefix = addedPrefixes[definition.fullName] else { return [] }
        let current = Set(definition.values.map(\.name))
        return definition.values.compactMap { value in
            guard value.name.hasPrefix(prefix) else { return nil }
            let legacy = String(value.name.dropFirst(prefix.count))
            guard !legacy.isEmpty, !current.contains(legacy) else { return nil }
            return (legacy, value)
        }
    }
}
