/// A parsed `.proto` file: the subset of proto3 that the CRI schema uses, plus nested messages.
package struct SchemaFile: Hashable, Sendable {
    /// The `syntax` statement's value (`"proto3"`), or empty when absent.
    package var syntax: String = ""
    /// The dotted package name (`"runtime.v1"`), or empty when absent.
    package var package: String = ""
    /// File-level `option name = value;` statements in source order.
    package var options: [SchemaOption] = []
    /// Top-level messages in source order (nested ones hang off their parent).
    package var messages: [MessageDefinition] = []
    /// Top-level enums in source order.
    package var enums: [EnumDefinition] = []
    /// Services in source order.
    package var services: [ServiceDefinition] = []

    /// Creates an empty file model.
    package init() {}

    /// Every message, nested ones included, depth first in source order.
    package var allMessages: [MessageDefinition] {
        var result: [MessageDefinition] = []
        func visit(_ message: MessageDefinition) {
            result.append(message)
            message.nestedMessages.forEach(visit)
        }
        messages.forEach(visit)
        return result
    }

    /// Every enum, nested ones included, in source order (top-level first, then per message).
    package var allEnums: [EnumDefinition] {
        enums + allMessages.flatMap(\.nestedEnums)
    }

    /// The message with the given fully qualified name (`"runtime.v1.Container"`), if any.
    package func message(named fullName: String) -> MessageDefinition? {
        allMessages.first { $0.fullName == fullName }
    }
}

/// A `name = value` option on a file or a field; `value` is kept as written (strings unquoted).
package struct SchemaOption: Hashable, Sendable {
    /// The option name as written (`go_package`, `deprecated`, `(custom).name`).
    package var name: String
    /// The option value as written; string literals are stored without quotes.
    package var value: String

    /// Creates an option.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A message definition with its fields and nested types.
package struct MessageDefinition: Hashable, Sendable {
    /// The short name (`"ProfileType"` for a nested one).
    package var name: String
    /// The fully qualified name without a leading dot (`"runtime.v1.SecurityProfile"`).
    package var fullName: String
    /// The names of enclosing messages, outermost first (empty for top-level messages).
    package var scope: [String] = []
    /// Our own comment lines written directly above the definition.
    package var comment: [String] = []
    /// Fields in declaration order (not necessarily field-number order).
    package var fields: [FieldDefinition] = []
    /// Messages declared inside this one.
    package var nestedMessages: [MessageDefinition] = []
    /// Enums declared inside this one.
    package var nestedEnums: [EnumDefinition] = []
    /// 1-based source line of the `message` keyword.
    package var line: Int = 0

    /// Creates a message definition.
    package init(name: String, fullName: String, scope: [String] = []) {
        self.name = name
        self.fullName = fullName
        self.scope = scope
    }

    /// Fields sorted by field number: the order the binary encoder writes them in.
    package var fieldsByNumber: [FieldDefinition] {
        fields.sorted { $0.number < $1.number }
    }
}

/// Whether a field holds one value or a list.
package enum FieldLabel: String, Hashable, Sendable {
    /// A single value (proto3 implicit presence for scalars, explicit for messages).
    case singular
    /// `repeated`: a list (packed on the wire for numeric scalars).
    case repeated
}

/// The proto scalar types; all of proto3's are parsed, the emitter supports those CRIWire codes.
package enum ScalarType: String, Hashable, Sendable, CaseIterable {
    case double, float, int32, int64, uint32, uint64, sint32, sint64
    case fixed32, fixed64, sfixed32, sfixed64, bool, string, bytes
}

/// The declared type of a field.
package indirect enum FieldType: Hashable, Sendable {
    /// A built-in scalar type.
    case scalar(ScalarType)
    /// A message type, by fully qualified name once resolved (as written before resolution).
    case message(String)
    /// An enum type, by fully qualified name.
    case enumeration(String)
    /// A reference not yet resolved to a message or enum (only inside the parser).
    case unresolved(String)
    /// `map<key, value>`; on the wire a repeated entry message with fields 1 and 2.
    case map(key: ScalarType, value: FieldType)

    /// The proto spelling used in descriptions and error messages.
    package var protoSpelling: String {
        switch self {
        case .scalar(let scalar): scalar.rawValue
        case .message(let name), .enumeration(let name), .unresolved(let name): name
        case .map(let key, let value): "map<\(key.rawValue), \(value.protoSpelling)>"
        }
    }
}

/// One field of a message.
package struct FieldDefinition: Hashable, Sendable {
    /// The proto field name as written (`pod_sandbox_id`, `CDI_devices`).
    package var name: String
    /// The field number.
    package var number: Int
    /// Singular or repeated (maps are singular with a `.map` type).
    package var label: FieldLabel
    /// The declared type.
    package var type: FieldType
    /// Options in brackets after the number, in source order.
    package var options: [SchemaOption] = []
    /// Our own comment lines directly above the field.
    package var comment: [String] = []
    /// 1-based source line of the field.
    package var line: Int = 0

    /// Creates a field definition.
    package init(name: String, number: Int, label: FieldLabel, type: FieldType, options: [SchemaOption] = []) {
        self.name = name
        self.number = number
        self.label = label
        self.type = type
        self.options = options
    }

    /// `[deprecated = true]`.
    package var isDeprecated: Bool { options.contains { $0.name == "deprecated" && $0.value == "true" } }
    /// `[debug_redact = true]`: the value must not appear in debug output.
    package var isDebugRedacted: Bool { options.contains { $0.name == "debug_redact" && $0.value == "true" } }
    /// The explicit `json_name` option, if present.
    package var explicitJSONName: String? { options.first { $0.name == "json_name" }?.value }
    /// True for `map<K, V>` fields.
    package var isMap: Bool {
        if case .map = type { return true }
        return false
    }
}

/// An enum definition.
package struct EnumDefinition: Hashable, Sendable {
    /// The short name (`"ProfileType"`).
    package var name: String
    /// The fully qualified name (`"runtime.v1.SecurityProfile.ProfileType"`).
    package var fullName: String
    /// The names of enclosing messages, outermost first.
    package var scope: [String] = []
    /// Our own comment lines directly above the definition.
    package var comment: [String] = []
    /// Values in declaration order.
    package var values: [EnumValueDefinition] = []
    /// Enum-level options (`allow_alias`).
    package var options: [SchemaOption] = []
    /// 1-based source line of the `enum` keyword.
    package var line: Int = 0

    /// Creates an enum definition.
    package init(name: String, fullName: String, scope: [String] = []) {
        self.name = name
        self.fullName = fullName
        self.scope = scope
    }
}

/// One value of an enum.
package struct EnumValueDefinition: Hashable, Sendable {
    /// The value name as written (`CONTAINER_RUNNING`, `RuntimeDefault`).
    package var name: String
    /// The numeric value (may be negative in proto3).
    package var number: Int32
    /// Our own comment lines directly above the value.
    package var comment: [String] = []

    /// Creates an enum value.
    package init(name: String, number: Int32) {
        self.name = name
        self.number = number
    }
}

/// A service with its RPCs.
package struct ServiceDefinition: Hashable, Sendable {
    /// The short name (`"RuntimeService"`).
    package var name: String
    /// The fully qualified name (`"runtime.v1.RuntimeService"`), the first part of a gRPC path.
    package var fullName: String
    /// Our own comment lines directly above the definition.
    package var comment: [String] = []
    /// RPCs in declaration order.
    package var methods: [MethodDefinition] = []

    /// Creates a service definition.
    package init(name: String, fullName: String) {
        self.name = name
        self.fullName = fullName
    }
}

/// One RPC of a service.
package struct MethodDefinition: Hashable, Sendable {
    /// The RPC name (`"ListContainers"`).
    package var name: String
    /// The request message, fully qualified once resolved.
    package var requestType: String
    /// The response message, fully qualified once resolved.
    package var responseType: String
    /// `stream` before the request type.
    package var isClientStreaming: Bool = false
    /// `stream` before the response type.
    package var isServerStreaming: Bool = false
    /// Our own comment lines directly above the RPC (the group comment for the first RPC of a group).
    package var comment: [String] = []

    /// Creates a method definition.
    package init(name: String, requestType: String, responseType: String) {
        self.name = name
        self.requestType = requestType
        self.responseType = responseType
    }
}
