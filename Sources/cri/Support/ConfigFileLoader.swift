import CRI
import Foundation
import Yams

/// Reads pod and container configs (the files of `runp`, `create`, `run`) from YAML or JSON.
///
/// Unlike crictl, keys may be snake_case (crictl's) or lowerCamelCase (protojson), enums may be
/// names or numbers, and a key that names no field is reported with its path instead of being
/// silently ignored (an error with `--strict`).
enum ConfigFileLoader {
    /// A pod sandbox config, validated; an empty `metadata.uid` becomes a random UUID.
    static func podSandboxConfig(path: String, strict: Bool) throws -> PodSandboxConfig {
        var config: PodSandboxConfig = try load(path: path, strict: strict)
        guard let metadata = config.metadata else {
            throw CLIFailure("\(path): metadata is required (metadata.name and metadata.namespace)")
        }
        if metadata.name.isEmpty { throw CLIFailure("\(path): metadata.name is required") }
        if metadata.namespace.isEmpty { throw CLIFailure("\(path): metadata.namespace is required") }
        if metadata.uid.isEmpty { config.metadata?.uid = UUID().uuidString.lowercased() }
        return config
    }

    /// A container config, validated; `image.user_specified_image` defaults to `image.image`.
    static func containerConfig(path: String, strict: Bool) throws -> ContainerConfig {
        var config: ContainerConfig = try load(path: path, strict: strict)
        if (config.metadata?.name ?? "").isEmpty { throw CLIFailure("\(path): metadata.name is required") }
        guard let image = config.image, !image.image.isEmpty else {
            throw CLIFailure("\(path): image.image is required")
        }
        if image.userSpecifiedImage.isEmpty { config.image?.userSpecifiedImage = image.image }
        return config
    }

    /// Decodes a message from a YAML or JSON file, warning about (or, strict, rejecting) unknown keys.
    static func load<Message: ProtoMessage>(path: String, strict: Bool) throws -> Message {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIFailure("cannot read \(path): \(error.localizedDescription)")
        }
        let value = try parse(Array(data), path: path)
        var message = Message()
        var context = JSONDecodingContext()
        do {
            try message.decodeJSON(from: value, context: &context)
        } catch {
            throw CLIFailure("\(path): \(error)")
        }
        let unknown = context.unknownFieldPaths
        if strict && !unknown.isEmpty {
            throw CLIFailure("\(path): unknown field\(unknown.count == 1 ? "" : "s") \(unknown.map(quoted).joined(separator: ", ")) (--strict)")
        }
        for field in unknown {
            let hint = misplacedFieldHints[Message.protoMessageName]?[field].map { "; \($0)" } ?? ""
            CLIOutput.warning("\(path): unknown field \(quoted(field)) (not a field of \(Message.protoMessageName))\(hint)")
        }
        return message
    }

    /// Where keys that walkthroughs put in the wrong place belong, by message and unknown-field path. crictl drops
    /// them silently, so the pod or container runs without what the file seemed to ask for.
    static let misplacedFieldHints: [String: [String: String]] = [
        "runtime.v1.ContainerConfig": [
            "ports": "port mappings belong to the pod config's port_mappings (container_port, host_port, protocol)",
        ],
        "runtime.v1.PodSandboxConfig": [
            "windows.namespaces":
                "Windows namespace settings belong in windows.security_context.namespace_options (network: POD or NODE)",
        ],
    ]

    /// JSON (parsed exactly) or YAML (converted to the same JSON value).
    static func parse(_ bytes: [UInt8], path: String) throws -> JSONValue {
        let firstSignificant = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if path.hasSuffix(".json") || firstSignificant == UInt8(ascii: "{") {
            do {
                return try JSONParser.parse(bytes)
            } catch {
                throw CLIFailure("\(path): invalid JSON: \(error)")
            }
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw CLIFailure("\(path): invalid YAML: \(error)")
        }
        guard let node else { throw CLIFailure("\(path): the file is empty") }
        return try json(from: node, path: path)
    }

    private static func json(from node: Node, path: String) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Resolver.default.resolveTag(of: Node.scalar(scalar)) {
            case .null: return .null
            case .bool: return .bool(Bool.construct(from: scalar) ?? false)
            case .int:
                if let number = Int.construct(from: scalar) { return .number(String(number)) }
                return .string(scalar.string)
            case .float:
                if let number = Double.construct(from: scalar), number.isFinite { return .number(String(number)) }
                return .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(try sequence.map { try json(from: $0, path: path) })
        case .mapping(let mapping):
            return .object(try mapping.map { key, value in
                guard let name = key.scalar?.string else { throw CLIFailure("\(path): map keys must be strings") }
                return JSONMember(key: name, value: try json(from: value, path: path))
            })
        case .alias:
            throw CLIFailure("\(path): YAML aliases are not supported")
        }
    }
}
