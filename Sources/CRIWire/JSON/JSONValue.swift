/// A parsed JSON document. Numbers keep their literal text so that 64-bit integers lose no precision
/// and each field decides how to read them; object members keep their order and duplicates.
public indirect enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as written (e.g. `-12`, `1.5e3`).
    case number(String)
    /// A string, unescaped.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in document order.
    case object([JSONMember])

    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Hashable, Sendable {
    /// The member's key.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// How proto3 JSON is written.
public struct JSONEncodingOptions: Hashable, Sendable {
    /// Write scalar fields, lists and maps even when they hold their default value, as crictl's
    /// `-o json` does (protojson `EmitDefaultValues`). Unset sub-messages are still omitted.
    public var emitDefaultValues: Bool
    /// Indent with two spaces and one member per line.
    public var prettyPrinted: Bool

    /// Escape `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`, as Go's `encoding/json` does
    /// (and so crictl's `inspect` and `info` output).
    public var escapesHTML: Bool

    /// Creates options; the defaults give compact JSON without default values.
    public init(emitDefaultValues: Bool = false, prettyPrinted: Bool = false, escapesHTML: Bool = false) {
        self.emitDefaultValues = emitDefaultValues
        self.prettyPrinted = prettyPrinted
        self.escapesHTML = escapesHTML
    }
}

/// How proto3 JSON is read.
public struct JSONDecodingOptions: Hashable, Sendable {
    /// Throw ``ProtoDecodingError/Code/unknownJSONField`` on a key that names no field, instead of
    /// recording its path.
    public var rejectUnknownFields: Bool
    /// The deepest nesting of arrays and objects accepted.
    public var depthLimit: Int

    /// Creates options; by default unknown keys are recorded, not rejected.
    public init(rejectUnknownFields: Bool = false, depthLimit: Int = 100) {
        self.rejectUnknownFields = rejectUnknownFields
        self.depthLimit = depthLimit
    }
}
