/// State carried through a JSON decode: the path of the member being read (for error messages and
/// unknown-key reports) and the unknown keys seen so far.
///
/// Generated `decodeJSON` methods call one `decode…` helper per member; each helper reads the
/// value with proto3 JSON rules and treats JSON `null` as the field's default.
public struct JSONDecodingContext {
    /// The options in force.
    public let options: JSONDecodingOptions
    /// Dotted paths (`metadata.nmae`, `mounts[1].readonly_x`) of keys that named no field.
    public private(set) var unknownFieldPaths: [String] = []
    private var path: [String] = []

    /// Creates a context.
    public init(options: JSONDecodingOptions = JSONDecodingOptions()) {
        self.options = options
    }

    /// The dotted path of the current position.
    public var currentPath: String {
        var text = ""
        for component in path {
            if component.hasPrefix("[") || text.isEmpty {
                text += component
            } else {
                text += "." + component
            }
        }
        return text
    }

    private func pathWith(_ key: String) -> String {
        let base = currentPath
        return base.isEmpty ? key : base + "." + key
    }

    /// Records (or rejects, per options) a key that names no field of the current message.
    public mutating func unknownField(_ key: String) throws(ProtoDecodingError) {
        let fullPath = pathWith(key)
        if options.rejectUnknownFields {
            throw ProtoDecodingError(code: .unknownJSONField, reason: "unknown field \"\(fullPath)\"")
        }
        unknownFieldPaths.append(fullPath)
    }

    @inline(never)
    private func mismatch(_ key: String, expected: String, got value: JSONValue) -> ProtoDecodingError {
        ProtoDecodingError(
            code: .jsonTypeMismatch,
            reason: "\(pathWith(key)): expected \(expected), got \(value.kindName)"
        )
    }

    @inline(never)
    private func invalid(_ key: String, _ what: String) -> ProtoDecodingError {
        ProtoDecodingError(code: .invalidJSONValue, reason: "\(pathWith(key)): \(what)")
    }

    /// The members of an object value (`null` counts as an empty object).
    public func expectObject(_ value: JSONValue) throws(ProtoDecodingError) -> [JSONMember] {
        switch value {
        case .object(let members): return members
        case .null: return []
        default:
            throw ProtoDecodingError(
                code: .jsonTypeMismatch,
                reason: "\(currentPath.isEmpty ? "message" : currentPath): expected an object, got \(value.kindName)"
            )
        }
    }

    // MARK: Scalars

    /// Reads a `string`.
    public func decodeString(_ member: JSONMember) throws(ProtoDecodingError) -> String {
        switch member.value {
        case .string(let text): return text
        case .null: return ""
        default: throw mismatch(member.key, expected: "a string", got: member.value)
        }
    }

    /// Reads `bytes` written as base64 (standard or URL-safe, padding optional).
    public func decodeBytes(_ member: JSONMember) throws(ProtoDecodingError) -> [UInt8] {
        switch member.value {
        case .string(let text):
            guard let bytes = Base64.decode(text) else { throw invalid(member.key, "invalid base64") }
            return bytes
        case .null: return []
        default: throw mismatch(member.key, expected: "a base64 string", got: member.value)
        }
    }

    /// Reads `bytes` written as a plain string (cri-api's JSON form of `KeyValue.value`).
    public func decodeBytesAsString(_ member: JSONMember) throws(ProtoDecodingError) -> [UInt8] {
        Array(try decodeString(member).utf8)
    }

    /// Reads a `bool`.
    public func decodeBool(_ member: JSONMember) throws(ProtoDecodingError) -> Bool {
        switch member.value {
        case .bool(let value): return value
        case .null: return false
        default: throw mismatch(member.key, expected: "true or false", got: member.value)
        }
    }

    /// The integer text of a number or numeric string; exponent and fraction forms are accepted
    /// when they denote an integer, as protojson does.
    private func integerLiteral(_ member: JSONMember) throws(ProtoDecodingError) -> String? {
        let text: String
        switch member.value {
        case .number(let literal): text = literal
        case .string(let literal): text = literal
        case .null: return nil
        default: throw mismatch(member.key, expected: "an integer", got: member.value)
        }
        if text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) }) { return text }
        guard let double = Double(text), double.isFinite, double == double.rounded(), abs(double) < 1.8e19 else {
            throw invalid(member.key, "\"\(text)\" is not an integer")
        }
        return double < 0 ? String(Int64(exactly: double) ?? Int64.min) : String(UInt64(exactly: double) ?? 0)
    }

    private func integer<T: FixedWidthInteger>(_ member: JSONMember, _ type: T.Type) throws(ProtoDecodingError) -> T {
        guard let literal = try integerLiteral(member) else { return 0 }
        guard let value = T(literal) else {
            throw invalid(member.key, "\(literal) is out of range for \(T.self)")
        }
        return value
    }

    /// Reads an `int32` from a number or a string.
    public func decodeInt32(_ member: JSONMember) throws(ProtoDecodingError) -> Int32 {
        try integer(member, Int32.self)
    }
    /// Reads an `int64` from a number or a string.
    public func decodeInt64(_ member: JSONMember) throws(ProtoDecodingError) -> Int64 {
        try integer(member, Int64.self)
    }
    /// Reads a `uint32` from a number or a string.
    public func decodeUInt32(_ member: JSONMember) throws(ProtoDecodingError) -> UInt32 {
        try integer(member, UInt32.self)
    }
    /// Reads a `uint64` from a number or a string.
    public func decodeUInt64(_ member: JSONMember) throws(ProtoDecodingError) -> UInt64 {
        try integer(member, UInt64.self)
    }

    /// Reads a `double` from a number, a numeric string, or `"NaN"`/`"Infinity"`/`"-Infinity"`.
    public func decodeDouble(_ member: JSONMember) throws(ProtoDecodingError) -> Double {
        switch member.value {
        case .number(let literal):
            guard let value = Double(literal) else { throw invalid(member.key, "\(literal) is not a number") }
            return value
        case .string(let literal):
            switch literal {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                guard let value = Double(literal) else { throw invalid(member.key, "\"\(literal)\" is not a number") }
                return value
            }
        case .null: return 0
        default: throw mismatch(member.key, expected: "a number", got: member.value)
        }
    }

    /// Reads an enum from its name or number.
    public func decodeEnum<E: ProtoEnum>(_ member: JSONMember) throws(ProtoDecodingError) -> E {
        switch member.value {
        case .string(let name):
            guard let value = E(protoName: name) else {
                let names = E.allCases.compactMap(\.protoName).joined(separator: ", ")
                throw invalid(member.key, "\"\(name)\" is not one of \(names)")
            }
            return value
        case .number:
            return E(protoValue: try decodeInt32(member))
        case .null:
            return E(protoValue: 0)
        default:
            throw mismatch(member.key, expected: "an enum name or number", got: member.value)
        }
    }

    // MARK: Messages

    /// Merges a nested message into a non-optional field.
    public mutating func decodeMessage<M: ProtoMessage>(
        _ member: JSONMember,
        into message: inout M
    ) throws(ProtoDecodingError) {
        if case .null = member.value { return }
        path.append(member.key)
        defer { path.removeLast() }
        try message.decodeJSON(from: member.value, context: &self)
    }

    /// Merges a nested message into an optional field, creating it when absent (`null` leaves it unset).
    public mutating func decodeMessage<M: ProtoMessage>(
        _ member: JSONMember,
        into message: inout M?
    ) throws(ProtoDecodingError) {
        if case .null = member.value { return }
        var value = message ?? M()
        try decodeMessage(member, into: &value)
        message = value
    }

    // MARK: Repeated and maps

    private func elements(_ member: JSONMember) throws(ProtoDecodingError) -> [JSONValue] {
        switch member.value {
        case .array(let elements): return elements
        case .null: return []
        default: throw mismatch(member.key, expected: "an array", got: member.value)
        }
    }

    private func element(_ member: JSONMember, _ index: Int, _ value: JSONValue) -> JSONMember {
        JSONMember(key: "\(member.key)[\(index)]", value: value)
    }

    /// Reads a `repeated string`.
    public func decodeRepeatedString(_ member: JSONMember) throws(ProtoDecodingError) -> [String] {
        var result: [String] = []
        for (index, value) in try elements(member).enumerated() {
            result.append(try decodeString(element(member, index, value)))
        }
        return result
    }

    /// Reads a `repeated int64`.
    public func decodeRepeatedInt64(_ member: JSONMember) throws(ProtoDecodingError) -> [Int64] {
        var result: [Int64] = []
        for (index, value) in try elements(member).enumerated() {
            result.append(try decodeInt64(element(member, index, value)))
        }
        return result
    }

    /// Reads a `repeated int32`.
    public func decodeRepeatedInt32(_ member: JSONMember) throws(ProtoDecodingError) -> [Int32] {
        var result: [Int32] = []
        for (index, value) in try elements(member).enumerated() {
            result.append(try decodeInt32(element(member, index, value)))
        }
        return result
    }

    /// Reads a `repeated` message field.
    public mutating func decodeRepeatedMessage<M: ProtoMessage>(
        _ member: JSONMember
    ) throws(ProtoDecodingError) -> [M] {
        var result: [M] = []
        for (index, value) in try elements(member).enumerated() {
            var message = M()
            try decodeMessage(element(member, index, value), into: &message)
            result.append(message)
        }
        return result
    }

    /// Reads a `map<string, string>` object.
    public func decodeStringMap(_ member: JSONMember) throws(ProtoDecodingError) -> StringMap {
        switch member.value {
        case .object(let members):
            var map = StringMap()
            map.reserveCapacity(members.count)
            for entry in members {
                map[entry.key] = try decodeString(JSONMember(key: "\(member.key).\(entry.key)", value: entry.value))
            }
            return map
        case .null:
            return [:]
        default:
            throw mismatch(member.key, expected: "an object", got: member.value)
        }
    }
}
