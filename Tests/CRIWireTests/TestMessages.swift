import CRIWire

// Hand-written messages shaped like generated ones, so the codec is tested without the generator.

enum Colour: ProtoEnum {
    case red, green
    case unrecognized(Int32)

    static let allCases: [Colour] = [.red, .green]
    init() { self = .red }
    init(protoValue: Int32) {
        switch protoValue {
        case 0: self = .red
        case 1: self = .green
        default: self = .unrecognized(protoValue)
        }
    }
    var protoValue: Int32 {
        switch self {
        case .red: 0
        case .green: 1
        case .unrecognized(let value): value
        }
    }
    init?(protoName: String) {
        switch protoName {
        case "RED": self = .red
        case "GREEN": self = .green
        default: return nil
        }
    }
    var protoName: String? {
        switch self {
        case .red: "RED"
        case .green: "GREEN"
        case .unrecognized: nil
        }
    }
}

/// message Inner { string name = 1; int64 value = 2; }
struct Inner: ProtoMessage {
    static let protoMessageName = "test.Inner"
    var name = ""
    var value: Int64 = 0
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.raw {
            case 0x0A: name = try reader.readString()
            case 0x10: value = try reader.readInt64()
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func encodedSize() -> Int {
        var size = unknownFields.bytes.count
        if !name.isEmpty { size += ProtoSize.string(tagSize: 1, name) }
        if value != 0 { size += ProtoSize.varint(tagSize: 1, UInt64(bitPattern: value)) }
        return size
    }

    // Back to front, as ProtoWriter requires.
    func encodeMessage(into writer: inout ProtoWriter) {
        writer.writeUnknownFields(unknownFields)
        if value != 0 { writer.writeInt64(field: 2, value) }
        if !name.isEmpty { writer.writeString(field: 1, name) }
    }

    func encodeJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        if writer.options.emitDefaultValues || !name.isEmpty { writer.key("name"); writer.writeString(name) }
        if writer.options.emitDefaultValues || value != 0 { writer.key("value"); writer.writeInt64(value) }
        writer.endObject()
    }

    mutating func decodeJSON(from value: JSONValue, context: inout JSONDecodingContext) throws(ProtoDecodingError) {
        for member in try context.expectObject(value) {
            switch member.key {
            case "name": name = try context.decodeString(member)
            case "value": self.value = try context.decodeInt64(member)
            default: try context.unknownField(member.key)
            }
        }
    }

    func describe(into writer: inout DescriptionWriter) {
        if !name.isEmpty { writer.field("name", name) }
        if value != 0 { writer.field("value", value) }
    }
}

/// message Everything { int32 i32 = 1; int64 i64 = 2; uint32 u32 = 3; uint64 u64 = 4; bool flag = 5;
///   Colour colour = 6; double ratio = 7; string text = 8; bytes blob = 9; Inner inner = 10;
///   repeated Inner items = 11; repeated int64 groups = 12; repeated int32 ports = 13;
///   map<string,string> labels = 14; repeated string words = 15; string secret = 16 [debug_redact = true]; }
struct Everything: ProtoMessage {
    static let protoMessageName = "test.Everything"
    var i32: Int32 = 0
    var i64: Int64 = 0
    var u32: UInt32 = 0
    var u64: UInt64 = 0
    var flag = false
    var colour = Colour.red
    var ratio: Double = 0
    var text = ""
    var blob: [UInt8] = []
    var inner: Inner?
    var items: [Inner] = []
    var groups: [Int64] = []
    var ports: [Int32] = []
    var labels: StringMap = [:]
    var words: [String] = []
    var secret = ""
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.raw {
            case 0x08: i32 = try reader.readInt32()
            case 0x10: i64 = try reader.readInt64()
            case 0x18: u32 = try reader.readUInt32()
            case 0x20: u64 = try reader.readUInt64()
            case 0x28: flag = try reader.readBool()
            case 0x30: colour = try reader.readEnum()
            case 0x39: ratio = try reader.readDouble()
            case 0x42: text = try reader.readString()
            case 0x4A: blob = try reader.readBytes()
            case 0x52: try reader.readMessage(into: &inner)
            case 0x5A: items.append(try reader.readMessage(Inner.self))
            case 0x60, 0x62: try reader.readRepeatedInt64(tag, into: &groups)
            case 0x68, 0x6A: try reader.readRepeatedInt32(tag, into: &ports)
            case 0x72: try reader.readStringMapEntry(into: &labels)
            case 0x7A: words.append(try reader.readString())
            case 0x82: secret = try reader.readString()
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func encodedSize() -> Int {
        var size = unknownFields.bytes.count
        if i32 != 0 { size += ProtoSize.int32(tagSize: 1, i32) }
        if i64 != 0 { size += ProtoSize.varint(tagSize: 1, UInt64(bitPattern: i64)) }
        if u32 != 0 { size += ProtoSize.varint(tagSize: 1, UInt64(u32)) }
        if u64 != 0 { size += ProtoSize.varint(tagSize: 1, u64) }
        if flag { size += 2 }
        if colour != .red { size += ProtoSize.int32(tagSize: 1, colour.protoValue) }
        if ratio.bitPattern != 0 { size += 9 }
        if !text.isEmpty { size += ProtoSize.string(tagSize: 1, text) }
        if !blob.isEmpty { size += ProtoSize.lengthDelimited(tagSize: 1, blob.count) }
        if let inner { size += ProtoSize.message(tagSize: 1, inner) }
        size += ProtoSize.repeatedMessage(tagSize: 1, items)
        size += ProtoSize.packedInt64(tagSize: 1, groups)
        size += ProtoSize.packedInt32(tagSize: 1, ports)
        size += ProtoSize.stringMap(tagSize: 1, labels)
        size += ProtoSize.repeatedString(tagSize: 1, words)
        if !secret.isEmpty { size += ProtoSize.string(tagSize: 2, secret) }
        return size
    }

    func encodeMessage(into writer: inout ProtoWriter) {
        writer.writeUnknownFields(unknownFields)
        if !secret.isEmpty { writer.writeString(field: 16, secret) }
        writer.writeRepeatedString(field: 15, words)
        writer.writeStringMap(field: 14, labels)
        writer.writePackedInt32(field: 13, ports)
        writer.writePackedInt64(field: 12, groups)
        writer.writeRepeatedMessage(field: 11, items)
        if let inner { writer.writeMessage(field: 10, inner) }
        if !blob.isEmpty { writer.writeBytes(field: 9, blob) }
        if !text.isEmpty { writer.writeString(field: 8, text) }
        if ratio.bitPattern != 0 { writer.writeDouble(field: 7, ratio) }
        if colour != .red { writer.writeEnum(field: 6, colour) }
        if flag { writer.writeBool(field: 5, flag) }
        if u64 != 0 { writer.writeUInt64(field: 4, u64) }
        if u32 != 0 { writer.writeUInt32(field: 3, u32) }
        if i64 != 0 { writer.writeInt64(field: 2, i64) }
        if i32 != 0 { writer.writeInt32(field: 1, i32) }
    }

    func encodeJSON(into writer: inout JSONWriter) {
        let all = writer.options.emitDefaultValues
        writer.beginObject()
        if all || i32 != 0 { writer.key("i32"); writer.writeInt32(i32) }
        if all || i64 != 0 { writer.key("i64"); writer.writeInt64(i64) }
        if all || u32 != 0 { writer.key("u32"); writer.writeUInt32(u32) }
        if all || u64 != 0 { writer.key("u64"); writer.writeUInt64(u64) }
        if all || flag { writer.key("flag"); writer.writeBool(flag) }
        if all || colour != .red { writer.key("colour"); writer.writeEnum(colour) }
        if all || ratio.bitPattern != 0 { writer.key("ratio"); writer.writeDouble(ratio) }
        if all || !text.isEmpty { writer.key("text"); writer.writeString(text) }
        if all || !blob.isEmpty { writer.key("blob"); writer.writeBytes(blob) }
        if let inner { writer.key("inner"); writer.writeMessage(inner) }
        if all || !items.isEmpty {
            writer.key("items")
            writer.beginArray()
            for item in items { writer.writeMessage(item) }
            writer.endArray()
        }
        if all || !groups.isEmpty {
            writer.key("groups")
            writer.beginArray()
            for group in groups { writer.writeInt64(group) }
            writer.endArray()
        }
        if all || !ports.isEmpty {
            writer.key("ports")
            writer.beginArray()
            for port in ports { writer.writeInt32(port) }
            writer.endArray()
        }
        if all || !labels.isEmpty { writer.key("labels"); writer.writeStringMap(labels) }
        if all || !words.isEmpty {
            writer.key("words")
            writer.beginArray()
            for word in words { writer.writeString(word) }
            writer.endArray()
        }
        if all || !secret.isEmpty { writer.key("secret"); writer.writeString(secret) }
        writer.endObject()
    }

    mutating func decodeJSON(from value: JSONValue, context: inout JSONDecodingContext) throws(ProtoDecodingError) {
        for member in try context.expectObject(value) {
            switch member.key {
            case "i32": i32 = try context.decodeInt32(member)
            case "i64": i64 = try context.decodeInt64(member)
            case "u32": u32 = try context.decodeUInt32(member)
            case "u64": u64 = try context.decodeUInt64(member)
            case "flag": flag = try context.decodeBool(member)
            case "colour": colour = try context.decodeEnum(member)
            case "ratio": ratio = try context.decodeDouble(member)
            case "text": text = try context.decodeString(member)
            case "blob": blob = try context.decodeBytes(member)
            case "inner": try context.decodeMessage(member, into: &inner)
            case "items": items = try context.decodeRepeatedMessage(member)
            case "groups": groups = try context.decodeRepeatedInt64(member)
            case "ports": ports = try context.decodeRepeatedInt32(member)
            case "labels": labels = try context.decodeStringMap(member)
            case "words": words = try context.decodeRepeatedString(member)
            case "secret": secret = try context.decodeString(member)
            default: try context.unknownField(member.key)
            }
        }
    }

    func describe(into writer: inout DescriptionWriter) {
        if i32 != 0 { writer.field("i32", i32) }
        if i64 != 0 { writer.field("i64", i64) }
        if flag { writer.field("flag", flag) }
        if colour != .red { writer.field("colour", colour) }
        if ratio != 0 { writer.field("ratio", ratio) }
        if !text.isEmpty { writer.field("text", text) }
        if !blob.isEmpty { writer.field("blob", blob) }
        if let inner { writer.field("inner", inner) }
        if !items.isEmpty { writer.field("items", items) }
        if !groups.isEmpty { writer.field("groups", groups) }
        if !labels.isEmpty { writer.field("labels", labels) }
        if !secret.isEmpty { writer.redacted("secret") }
    }
}

/// message Tree { repeated Tree children = 1; }: recursion for the nesting limit.
struct Tree: ProtoMessage {
    static let protoMessageName = "test.Tree"
    var children: [Tree] = []
    var unknownFields = UnknownFields()

    mutating func decodeMessage(from reader: inout ProtoReader) throws(ProtoDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.raw {
            case 0x0A: children.append(try reader.readMessage(Tree.self))
            default: try reader.skipField(tag, into: &unknownFields)
            }
        }
    }

    func encodedSize() -> Int {
        unknownFields.bytes.count + ProtoSize.repeatedMessage(tagSize: 1, children)
    }

    func encodeMessage(into writer: inout ProtoWriter) {
        writer.writeUnknownFields(unknownFields)
        writer.writeRepeatedMessage(field: 1, children)
    }

    func encodeJSON(into writer: inout JSONWriter) {
        writer.beginObject()
        if !children.isEmpty {
            writer.key("children")
            writer.beginArray()
            for child in children { writer.writeMessage(child) }
            writer.endArray()
        }
        writer.endObject()
    }

    mutating func decodeJSON(from value: JSONValue, context: inout JSONDecodingContext) throws(ProtoDecodingError) {
        for member in try context.expectObject(value) {
            switch member.key {
            case "children": children = try context.decodeRepeatedMessage(member)
            default: try context.unknownField(member.key)
            }
        }
    }

    func describe(into writer: inout DescriptionWriter) {
        if !children.isEmpty { writer.field("children", children) }
    }
}
