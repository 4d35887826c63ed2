/// How one field maps onto Swift and onto the CRIWire calls that code it.
struct FieldPlan {
    /// The shapes CRIWire can code; anything else is rejected by ``init(field:in:types:options:)``.
    enum Kind {
        case scalar(ScalarType)
        case enumeration(swiftType: String)
        case message(swiftType: String)
        case repeatedScalar(ScalarType)
        case repeatedMessage(swiftType: String)
        case stringMap
    }

    let field: FieldDefinition
    let kind: Kind
    /// Swift property name, possibly backticked (`` `protocol` ``).
    let property: String
    /// protojson name (`podSandboxId`).
    let jsonName: String
    /// True for `bytes` fields that JSON carries as a plain string (cri-api `api_json.go`).
    let bytesAsPlainJSONString: Bool

    init(field: FieldDefinition, in message: MessageDefinition, types: TypeTable, options: GeneratorOptions) throws(GeneratorError) {
        self.field = field
        property = SwiftNaming.propertyName(forField: field.name)
        jsonName = field.explicitJSONName ?? SwiftNaming.jsonName(forField: field.name)
        bytesAsPlainJSONString = options.bytesAsPlainJSONStringFields.contains(message.fullName + "." + field.name)
        let place = "\(message.fullName).\(field.name)"
        func unsupported(_ what: String) -> GeneratorError {
            GeneratorError("\(place) (line \(field.line)): \(what) is not supported by CRIWire")
        }
        let supportedScalars: Set<ScalarType> = [.double, .int32, .int64, .uint32, .uint64, .bool, .string, .bytes]
        switch (field.label, field.type) {
        case (.singular, .scalar(let scalar)):
            guard supportedScalars.contains(scalar) else { throw unsupported("type \(scalar.rawValue)") }
            kind = .scalar(scalar)
        case (.singular, .enumeration(let name)):
            kind = .enumeration(swiftType: try types.swiftType(name))
        case (.singular, .message(let name)):
            kind = .message(swiftType: try types.swiftType(name))
        case (.repeated, .scalar(let scalar)):
            guard [.string, .int32, .int64].contains(scalar) else { throw unsupported("repeated \(scalar.rawValue)") }
            kind = .repeatedScalar(scalar)
        case (.repeated, .message(let name)):
            kind = .repeatedMessage(swiftType: try types.swiftType(name))
        case (.singular, .map(.string, .scalar(.string))):
            kind = .stringMap
        case (_, .map(let key, let value)):
            throw unsupported("map<\(key.rawValue), \(value.protoSpelling)> (only map<string, string>)")
        case (.repeated, .enumeration):
            throw unsupported("repeated enum")
        case (_, .unresolved(let name)):
            throw GeneratorError("\(place): unresolved type \(name)")
        }
        if bytesAsPlainJSONString, case .scalar(.bytes) = kind {} else if bytesAsPlainJSONString {
            throw GeneratorError("\(place): only bytes fields can be carried as plain JSON strings")
        }
    }

    /// The Swift type of the stored property.
    var swiftType: String {
        switch kind {
        case .scalar(let scalar): Self.swiftType(scalar)
        case .enumeration(let type): type
        case .message(let type): type + "?"
        case .repeatedScalar(let scalar): "[\(Self.swiftType(scalar))]"
        case .repeatedMessage(let type): "[\(type)]"
        case .stringMap: "StringMap"
        }
    }

    /// The initial value of the stored property: the proto3 default.
    var defaultValue: String {
        switch kind {
        case .scalar(let scalar):
            switch scalar {
            case .string: "\"\""
            case .bytes: "[]"
            case .bool: "false"
            default: "0"
            }
        case .enumeration(let type): "\(type)()"
        case .message: "nil"
        case .repeatedScalar, .repeatedMessage: "[]"
        case .stringMap: "StringMap()"
        }
    }

    static func swiftType(_ scalar: ScalarType) -> String {
        switch scalar {
        case .double: "Double"
        case .float: "Float"
        case .int32, .sint32, .sfixed32: "Int32"
        case .int64, .sint64, .sfixed64: "Int64"
        case .uint32, .fixed32: "UInt32"
        case .uint64, .fixed64: "UInt64"
        case .bool: "Bool"
        case .string: "String"
        case .bytes: "[UInt8]"
        }
    }

    /// The CRIWire method-name stem for a scalar (`Int64` in `readInt64`/`writeInt64`/`decodeInt64`).
    static func stem(_ scalar: ScalarType) -> String {
        switch scalar {
        case .string: "String"
        case .bytes: "Bytes"
        case .bool: "Bool"
        case .double: "Double"
        case .int32: "Int32"
        case .int64: "Int64"
        case .uint32: "UInt32"
        case .uint64: "UInt64"
        default: "Unsupported"
        }
    }

    static func wireType(_ scalar: ScalarType) -> UInt32 {
        switch scalar {
        case .double, .fixed64, .sfixed64: 1
        case .float, .fixed32, .sfixed32: 5
        case .string, .bytes: 2
        default: 0
        }
    }

    /// `(rawTag, comment)` pairs the decoder switches on; repeated numeric scalars accept packed and unpacked.
    var decodeTags: [UInt32] {
        let number = UInt32(field.number) << 3
        switch kind {
        case .scalar(let scalar): return [number | Self.wireType(scalar)]
        case .enumeration: return [number]
        case .message, .repeatedMessage, .stringMap: return [number | 2]
        case .repeatedScalar(let scalar):
            return scalar == .string ? [number | 2] : [number | 0, number | 2]
        }
    }

    /// The statement that decodes one occurrence of the field from `reader` (tag already read as `tag`).
    var decodeStatement: String {
        let target = "self.\(property)"
        switch kind {
        case .scalar(let scalar): return "\(target) = try reader.read\(Self.stem(scalar))()"
        case .enumeration: return "\(target) = try reader.readEnum()"
        case .message: return "try reader.readMessage(into: &\(target))"
        case .repeatedScalar(.string): return "\(target).append(try reader.readString())"
        case .repeatedScalar(let scalar): return "try reader.readRepeated\(Self.stem(scalar))(tag, into: &\(target))"
        case .repeatedMessage: return "try reader.readRepeatedMessage(tag, into: &\(target))"
        case .stringMap: return "try reader.readStringMapEntry(tag, into: &\(target))"
        }
    }

    /// The condition under which the field is present (proto3: not at its default), or nil if always present.
    var presenceCondition: String {
        let value = "self.\(property)"
        switch kind {
        case .scalar(.string), .scalar(.bytes): return "!\(value).isEmpty"
        case .scalar(.bool): return value
        // -0.0 is not the default: compare bit patterns as protobuf's Go and C++ runtimes do.
        case .scalar(.double): return "\(value).bitPattern != 0"
        case .scalar: return "\(value) != 0"
        case .enumeration: return "\(value).protoValue != 0"
        case .message: return "let value = \(value)"
        case .repeatedScalar, .repeatedMessage, .stringMap: return "!\(value).isEmpty"
        }
    }

    /// Statements that binary-encode the field (inside the presence check where one applies).
    var encodeStatement: String {
        let value = "self.\(property)"
        let number = field.number
        switch kind {
        case .scalar(let scalar): return "writer.write\(Self.stem(scalar))(field: \(number), \(value))"
        case .enumeration: return "writer.writeEnum(field: \(number), \(value))"
        case .message: return "writer.writeMessage(field: \(number), value)"
        case .repeatedScalar(.string): return "writer.writeRepeatedString(field: \(number), \(value))"
        case .repeatedScalar(let scalar): return "writer.writePacked\(Self.stem(scalar))(field: \(number), \(value))"
        case .repeatedMessage: return "writer.writeRepeatedMessage(field: \(number), \(value))"
        case .stringMap: return "writer.writeStringMap(field: \(number), \(value))"
        }
    }

    /// The expression for the field's encoded size (tag included), inside the presence check.
    var sizeExpression: String {
        let value = "self.\(property)"
        let tagSize = decodeTags.map { Self.varintSize($0) }.max() ?? 1
        switch kind {
        case .scalar(.string): return "ProtoSize.string(tagSize: \(tagSize), \(value))"
        case .scalar(.bytes): return "ProtoSize.lengthDelimited(tagSize: \(tagSize), \(value).count)"
        case .scalar(.bool): return "\(tagSize + 1)"
        case .scalar(.double): return "\(tagSize + 8)"
        case .scalar(.int32): return "ProtoSize.int32(tagSize: \(tagSize), \(value))"
        case .scalar(.int64): return "ProtoSize.varint(tagSize: \(tagSize), UInt64(bitPattern: \(value)))"
        case .scalar(.uint32): return "ProtoSize.varint(tagSize: \(tagSize), UInt64(\(value)))"
        case .scalar: return "ProtoSize.varint(tagSize: \(tagSize), \(value))"
        case .enumeration: return "ProtoSize.int32(tagSize: \(tagSize), \(value).protoValue)"
        case .message: return "ProtoSize.message(tagSize: \(tagSize), value)"
        case .repeatedScalar(.string): return "ProtoSize.repeatedString(tagSize: \(tagSize), \(value))"
        case .repeatedScalar(let scalar): return "ProtoSize.packed\(Self.stem(scalar))(tagSize: \(tagSize), \(value))"
        case .repeatedMessage: return "ProtoSize.repeatedMessage(tagSize: \(tagSize), \(value))"
        case .stringMap: return "ProtoSize.stringMap(tagSize: \(tagSize), \(value))"
        }
    }

    static func varintSize(_ value: UInt32) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// Statements that JSON-encode the value (after the key is written).
    var jsonEncodeStatements: [String] {
        let value = "self.\(property)"
        switch kind {
        case .scalar(.bytes) where bytesAsPlainJSONString: return ["writer.writeBytesAsString(\(value))"]
        case .scalar(let scalar): return ["writer.write\(Self.stem(scalar))(\(value))"]
        case .enumeration: return ["writer.writeEnum(\(value))"]
        case .message: return ["writer.writeMessage(value)"]
        case .repeatedScalar(let scalar):
            return ["writer.beginArray()", "for item in \(value) { writer.write\(Self.stem(scalar))(item) }", "writer.endArray()"]
        case .repeatedMessage:
            return ["writer.beginArray()", "for item in \(value) { writer.writeMessage(item) }", "writer.endArray()"]
        case .stringMap: return ["writer.writeStringMap(\(value))"]
        }
    }

    /// The statement that JSON-decodes `member` into the field.
    var jsonDecodeStatement: String {
        let target = "self.\(property)"
        switch kind {
        case .scalar(.bytes) where bytesAsPlainJSONString: return "\(target) = try context.decodeBytesAsString(member)"
        case .scalar(let scalar): return "\(target) = try context.decode\(Self.stem(scalar))(member)"
        case .enumeration: return "\(target) = try context.decodeEnum(member)"
        case .message: return "try context.decodeMessage(member, into: &\(target))"
        case .repeatedScalar(let scalar): return "\(target) = try context.decodeRepeated\(Self.stem(scalar))(member)"
        case .repeatedMessage: return "\(target) = try context.decodeRepeatedMessage(member)"
        case .stringMap: return "\(target) = try context.decodeStringMap(member)"
        }
    }

    /// The statement that writes the field into a description (inside the presence check).
    var describeStatement: String {
        if field.isDebugRedacted { return "writer.redacted(\"\(field.name)\")" }
        if case .message = kind { return "writer.field(\"\(field.name)\", value)" }
        return "writer.field(\"\(field.name)\", self.\(property))"
    }
}

/// Options that steer the emitter.
package struct GeneratorOptions: Hashable, Sendable {
    /// `bytes` fields (`package.Message.field`) whose JSON form is a plain string instead of base64.
    /// cri-api's `api_json.go` does this for `KeyValue.value` so env values stay readable in crictl JSON.
    package var bytesAsPlainJSONStringFields: Set<String>

    /// The options for the CRI schema.
    package init(bytesAsPlainJSONStringFields: Set<String> = ["runtime.v1.KeyValue.value"]) {
        self.bytesAsPlainJSONStringFields = bytesAsPlainJSONStringFields
    }
}

/// Maps fully qualified proto type names to their Swift spelling.
struct TypeTable {
    private var swiftNames: [String: String] = [:]

    init(file: SchemaFile) {
        func visit(_ message: MessageDefinition, parent: String?) {
            let own = SwiftNaming.typeName(forProtoName: message.name, isEnum: false)
            let spelled = parent.map { $0 + "." + own } ?? own
            swiftNames[message.fullName] = spelled
            for nested in message.nestedEnums {
                swiftNames[nested.fullName] = spelled + "." + SwiftNaming.typeName(forProtoName: nested.name, isEnum: true)
            }
            for nested in message.nestedMessages { visit(nested, parent: spelled) }
        }
        for definition in file.enums {
            swiftNames[definition.fullName] = SwiftNaming.typeName(forProtoName: definition.name, isEnum: true)
        }
        for message in file.messages { visit(message, parent: nil) }
    }

    func swiftType(_ fullName: String) throws(GeneratorError) -> String {
        guard let name = swiftNames[fullName] else { throw GeneratorError("no Swift type for \(fullName)") }
        return name
    }
}
