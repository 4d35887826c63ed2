/// Writes proto3 JSON (the protojson mapping: lowerCamelCase keys, enum names, 64-bit integers as
/// strings, bytes as base64), compact or indented with two spaces.
public struct JSONWriter {
    /// How to write.
    public let options: JSONEncodingOptions
    /// The UTF-8 text written so far.
    public private(set) var bytes: [UInt8] = []
    /// One entry per open object or array: whether it already has a member.
    private var hasMember: [Bool] = []
    /// Set by `key(_:)`: the next value is a member value, not an array element.
    private var afterKey = false

    /// Creates a writer.
    public init(options: JSONEncodingOptions = JSONEncodingOptions()) {
        self.options = options
    }

    /// The text written so far.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func newline() {
        bytes.append(0x0A)
        for _ in 0..<hasMember.count {
            bytes.append(0x20)
            bytes.append(0x20)
        }
    }

    /// Separates array elements; a value right after a key needs nothing.
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard !hasMember.isEmpty else { return }
        if hasMember[hasMember.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
        if options.prettyPrinted { newline() }
    }

    private mutating func close(_ byte: UInt8) {
        let hadMember = hasMember.removeLast()
        if hadMember, options.prettyPrinted { newline() }
        bytes.append(byte)
    }

    /// Opens an object.
    public mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Opens an array.
    public mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        hasMember.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes a member key; the next write is its value.
    public mutating func key(_ name: String) {
        beforeValue()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        if options.prettyPrinted { bytes.append(0x20) }
        afterKey = true
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x0A:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "n"))
            case 0x0D:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "r"))
            case 0x09:
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "t"))
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                guard options.escapesHTML else {
                    bytes.append(byte)
                    continue
                }
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendRaw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes a string value.
    public mutating func writeString(_ value: String) {
        beforeValue()
        appendQuoted(value)
    }

    /// Writes `bytes` as standard base64 with padding.
    public mutating func writeBytes(_ value: [UInt8]) {
        writeString(Base64.encode(value))
    }

    /// Writes bytes as a plain string (lossy for invalid UTF-8), as cri-api does for `KeyValue.value`.
    public mutating func writeBytesAsString(_ value: [UInt8]) {
        writeString(String(decoding: value, as: UTF8.self))
    }

    /// Writes `true` or `false`.
    public mutating func writeBool(_ value: Bool) {
        beforeValue()
        appendRaw(value ? "true" : "false")
    }

    /// Writes `null`.
    public mutating func writeNull() {
        beforeValue()
        appendRaw("null")
    }

    /// Writes an `int32` as a JSON number.
    public mutating func writeInt32(_ value: Int32) {
        beforeValue()
        appendRaw(String(value))
    }

    /// Writes a `uint32` as a JSON number.
    public mutating func writeUInt32(_ value: UInt32) {
        beforeValue()
        appendRaw(String(value))
    }

    /// Writes an `int64` as a JSON string, as proto3 JSON requires (`"size": "29683712"`).
    public mutating func writeInt64(_ value: Int64) {
        writeString(String(value))
    }

    /// Writes a `uint64` as a JSON string.
    public mutating func writeUInt64(_ value: UInt64) {
        writeString(String(value))
    }

    /// Writes a `double`: shortest round-trip form, integral values without a fraction, and the
    /// strings `"NaN"`, `"Infinity"`, `"-Infinity"` for non-finite values.
    public mutating func writeDouble(_ value: Double) {
        if value.isNaN { return writeString("NaN") }
        if value.isInfinite { return writeString(value < 0 ? "-Infinity" : "Infinity") }
        beforeValue()
        if value == value.rounded(), abs(value) < 1e17 {
            appendRaw(String(Int64(value)))
        } else {
            appendRaw(String(value))
        }
    }

    /// Writes an enum by name, or by number when the schema does not know it.
    public mutating func writeEnum(_ value: some ProtoEnum) {
        if let name = value.protoName {
            writeString(name)
        } else {
            writeInt32(value.protoValue)
        }
    }

    /// Writes a nested message as an object.
    public mutating func writeMessage(_ message: some ProtoMessage) {
        message.encodeJSON(into: &self)
    }

    /// Writes a parsed JSON tree as it is (member order kept, number literals verbatim).
    public mutating func writeValue(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let flag): writeBool(flag)
        case .number(let literal):
            beforeValue()
            appendRaw(literal)
        case .string(let text): writeString(text)
        case .array(let elements):
            beginArray()
            for element in elements { writeValue(element) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                writeValue(member.value)
            }
            endObject()
        }
    }

    /// Writes a `map<string, string>` as an object with keys sorted, so output is stable.
    public mutating func writeStringMap(_ map: StringMap) {
        beginObject()
        for key in map.keys.sorted() {
            self.key(key)
            writeString(map[key] ?? "")
        }
        endObject()
    }
}
