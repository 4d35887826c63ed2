/// Builds the one-line, Swift-like rendering used by ``ProtoMessage/description``:
/// `PodSandboxMetadata(name: "web", uid: "1", attempt: 2)`.
///
/// Fields at their default are left out by the generated `describe(into:)`; `debug_redact` fields
/// go through ``redacted(_:)`` so their values never reach logs or error messages.
public struct DescriptionWriter {
    /// The text written so far.
    public private(set) var text = ""
    private var needsSeparator = false

    /// Creates an empty writer.
    public init() {}

    private mutating func label(_ name: String) {
        if needsSeparator { text += ", " }
        needsSeparator = true
        text += name
        text += ": "
    }

    private mutating func quoted(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    /// Writes `Name(fields...)` for a message.
    public mutating func message(_ value: some ProtoMessage) {
        let fullName = type(of: value).protoMessageName
        let shortName = fullName.split(separator: ".").last.map(String.init) ?? fullName
        text += shortName
        text += "("
        let saved = needsSeparator
        needsSeparator = false
        value.describe(into: &self)
        if !value.unknownFields.isEmpty {
            label("unknownFields")
            text += "<\(value.unknownFields.bytes.count) bytes>"
        }
        needsSeparator = saved
        text += ")"
    }

    /// Writes a field whose value must not be shown (`debug_redact`).
    public mutating func redacted(_ name: String) {
        label(name)
        text += "<redacted>"
    }

    /// Writes a string field.
    public mutating func field(_ name: String, _ value: String) {
        label(name)
        quoted(value)
    }

    /// Writes a bytes field, as text when it is valid UTF-8 and as a byte count otherwise.
    public mutating func field(_ name: String, _ value: [UInt8]) {
        label(name)
        if let string = String(validating: value, as: UTF8.self) {
            quoted(string)
        } else {
            text += "<\(value.count) bytes>"
        }
    }

    /// Writes an integer, boolean or floating-point field.
    public mutating func field(_ name: String, _ value: some Numeric & CustomStringConvertible) {
        label(name)
        text += value.description
    }

    /// Writes a boolean field.
    public mutating func field(_ name: String, _ value: Bool) {
        label(name)
        text += value ? "true" : "false"
    }

    /// Writes an enum field by schema name (or number when unknown).
    public mutating func field(_ name: String, _ value: some ProtoEnum) {
        label(name)
        text += value.protoName ?? String(value.protoValue)
    }

    /// Writes a message field.
    public mutating func field(_ name: String, _ value: some ProtoMessage) {
        label(name)
        message(value)
    }

    /// Writes a repeated string field.
    public mutating func field(_ name: String, _ values: [String]) {
        label(name)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += ", " }
            quoted(value)
        }
        text += "]"
    }

    /// Writes a repeated integer field.
    public mutating func field(_ name: String, _ values: [some FixedWidthInteger]) {
        label(name)
        text += "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }

    /// Writes a repeated message field.
    public mutating func field<M: ProtoMessage>(_ name: String, _ values: [M]) {
        label(name)
        text += "["
        let saved = needsSeparator
        for (index, value) in values.enumerated() {
            if index > 0 { text += ", " }
            message(value)
        }
        needsSeparator = saved
        text += "]"
    }

    /// Writes a `map<string, string>` field with keys sorted.
    public mutating func field(_ name: String, _ map: StringMap) {
        label(name)
        text += "["
        for (index, key) in map.keys.sorted().enumerated() {
            if index > 0 { text += ", " }
            quoted(key)
            text += ": "
            quoted(map[key] ?? "")
        }
        text += map.isEmpty ? ":]" : "]"
    }
}
