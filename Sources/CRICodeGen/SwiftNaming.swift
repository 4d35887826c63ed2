/// Naming rules that turn proto names into Swift and JSON names.
///
/// Field names follow swift-protobuf's camel-casing (`NamingUtils.swift`), so code written against other
/// generated CRI types keeps its field names: words split at underscores, case changes and digits; the first word
/// is lower-cased, later words capitalised, and `id`/`url`/`http`/`https` later words are all caps.
/// JSON names follow protoc's `ToJsonName`, which is what protojson (crictl's output) prints.
package enum SwiftNaming {
    /// Later words that are written all caps (swift-protobuf's abbreviation list).
    static let abbreviations: Set<String> = ["id", "url", "http", "https"]

    /// Swift keywords that can be used as identifiers only inside backticks.
    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer",
        "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where",
        "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
        "consume", "copy", "discard", "borrowing", "consuming", "package", "some", "any",
    ]

    /// Property names that would shadow a ``ProtoMessage`` requirement or a standard member; they get a `_p` suffix
    /// as swift-protobuf does.
    static let reservedFieldNames: Set<String> = [
        "unknownFields", "description", "debugDescription", "hashValue", "init", "self", "Type", "Protocol",
        "protoMessageName", "isInitialized", "dynamicType",
    ]

    /// Type names that cannot be used as-is. `Protocol` and `Type` would break module-qualified spelling
    /// (`CRIv1.Protocol` parses as a metatype), the rest shadow standard library or CRIWire names.
    /// They get swift-protobuf's disambiguator suffix (`Message` or `Enum`).
    static let reservedTypeNames: Set<String> = [
        "Protocol", "Type", "Self", "Any", "Swift", "String", "Int", "Int32", "Int64", "UInt32", "UInt64", "Bool",
        "Double", "Float", "Array", "Dictionary", "Optional", "Error", "Equatable", "Hashable", "Sendable",
        "ProtoMessage", "ProtoEnum", "ProtoReader", "ProtoWriter", "UnknownFields", "JSONValue", "JSONWriter",
        "FieldTag", "WireType", "CRIWire", "CRIv1",
    ]

    /// Enum case names that cannot be used even in backticks.
    static let reservedEnumCases: Set<String> = [
        "allCases", "debugDescription", "description", "hashValue", "init", "rawValue", "self", "unrecognized",
        "protoValue", "protoName",
    ]

    /// Splits an identifier into lower-cased words the way swift-protobuf's camel-caser does.
    static func words(_ name: String) -> [String] {
        enum CharacterClass { case digit, lower, upper, underscore, other, start }
        var words: [String] = []
        var current = ""
        var last = CharacterClass.start
        func flush() {
            if !current.isEmpty { words.append(current) }
            current = ""
        }
        for character in name.unicodeScalars {
            let kind: CharacterClass =
                switch character {
                case "0"..."9": .digit
                case "a"..."z": .lower
                case "A"..."Z": .upper
                case "_": .underscore
                default: .other
                }
            switch kind {
            case .digit:
                if last != .digit { flush() }
                current.unicodeScalars.append(character)
            case .upper:
                if last != .upper { flush() }
                current += String(character).lowercased()
            case .lower:
                if last != .lower && last != .upper { flush() }
                current.unicodeScalars.append(character)
            case .underscore, .other, .start:
                flush()
            }
            last = kind
        }
        flush()
        return words
    }

    /// lowerCamelCase with swift-protobuf's abbreviation rule: `pod_sandbox_id` → `podSandboxID`,
    /// `CDI_devices` → `cdiDevices`, `Full` → `full`, `CONTAINER_RUNNING` → `containerRunning`.
    package static func lowerCamelCase(_ name: String) -> String {
        var result = ""
        for (index, word) in words(name).enumerated() {
            if index == 0 {
                result += word
            } else if abbreviations.contains(word) {
                result += word.uppercased()
            } else {
                result += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) { result = "_" + result }
        return result.isEmpty ? "_" : result
    }

    /// The Swift property name for a proto field, escaped or suffixed where Swift needs it.
    package static func propertyName(forField name: String) -> String {
        let base = lowerCamelCase(name)
        // swift-protobuf also suffixes `hasX`/`clearX`; we generate no such accessors, so those names stay.
        if reservedFieldNames.contains(base) { return base + "_p" }
        return swiftKeywords.contains(base) ? "`\(base)`" : base
    }

    /// The Swift case name for an enum value: `CONTAINER_RUNNING` → `containerRunning`,
    /// `RuntimeDefault` → `runtimeDefault`.
    ///
    /// A value that repeats its enum's name as a prefix loses it, as swift-protobuf does
    /// (`SIGNAL_SIGABRT` in `Signal` → `sigabrt`): Kubernetes 1.37 renamed every `Signal` value that way, and
    /// dropping the prefix keeps the Swift names users already wrote.
    package static func caseName(forEnumValue name: String, inEnum enumName: String? = nil) -> String {
        let base = lowerCamelCase(enumName.map { stripEnumPrefix(name, enumName: $0) } ?? name)
        if reservedEnumCases.contains(base) { return base + "_" }
        return swiftKeywords.contains(base) ? "`\(base)`" : base
    }

    /// `name` without a leading `ENUM_NAME_` (the enum's name in upper snake case), when what is left still
    /// makes an identifier.
    static func stripEnumPrefix(_ name: String, enumName: String) -> String {
        let prefix = words(enumName).map { $0.uppercased() }.joined(separator: "_") + "_"
        guard name.hasPrefix(prefix) else { return name }
        let rest = name.dropFirst(prefix.count)
        guard let first = rest.unicodeScalars.first, !("0"..."9").contains(first) else { return name }
        return String(rest)
    }

    /// The Swift type name for a message (`Message` suffix) or enum (`Enum` suffix) when the proto name clashes.
    package static func typeName(forProtoName name: String, isEnum: Bool) -> String {
        let suffix = isEnum ? "Enum" : "Message"
        if reservedTypeNames.contains(name) || swiftKeywords.contains(name) { return name + suffix }
        if name.hasSuffix(suffix) && name != suffix {
            // Keep `ProtocolEnum` distinct from a renamed `Protocol`.
            let root = String(name.dropLast(suffix.count))
            return typeName(forProtoName: root, isEnum: isEnum) + suffix
        }
        return name
    }

    /// protoc's `ToJsonName`: drop each `_` and upper-case the next character, leave everything else as written
    /// (`pod_sandbox_id` → `podSandboxId`, `CDI_devices` → `CDIDevices`, `Full` → `Full`).
    package static func jsonName(forField name: String) -> String {
        var result = ""
        var capitalizeNext = false
        for character in name {
            if character == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result += character.uppercased()
                capitalizeNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// lowerCamelCase without abbreviations, for static RPC descriptors: `ListContainers` → `listContainers`,
    /// `PodSandboxStatus` → `podSandboxStatus`.
    package static func methodPropertyName(forRPC name: String) -> String {
        guard let first = name.first else { return name }
        var prefixLength = 1
        let characters = Array(name)
        // Lower-case a leading acronym but keep the capital that starts the next word (`CRIInfo` → `criInfo`).
        while prefixLength < characters.count, characters[prefixLength].isUppercase,
            prefixLength + 1 == characters.count || characters[prefixLength + 1].isUppercase
        {
            prefixLength += 1
        }
        let head = prefixLength == 1 ? String(first).lowercased() : String(characters[0..<prefixLength]).lowercased()
        let base = head + String(characters[prefixLength...])
        return swiftKeywords.contains(base) || reservedFieldNames.contains(base) ? "`\(base)`" : base
    }
}
