import CRICodeGen
import Foundation

/// Builds random but valid wire bytes for any message of the schema, straight from the parsed .proto: the
/// generated decoder is then the thing that turns them into a populated value. This needs no per-message code,
/// so every one of the 170 message types gets exercised.
struct RandomWire {
    let schema: SchemaFile
    private let messages: [String: MessageDefinition]
    private let enums: [String: EnumDefinition]
    /// `bytes` fields whose JSON form is a plain string; they get valid UTF-8 so JSON can carry them.
    private let utf8OnlyBytesFields: Set<String> = ["runtime.v1.KeyValue.value"]

    static let shared: RandomWire = {
        do {
            return RandomWire(try ProtoParser.parse(try String(contentsOf: Paths.proto, encoding: .utf8)))
        } catch {
            fatalError("cannot parse \(Paths.proto.path): \(error)")  // test setup only, not peer input
        }
    }()

    init(_ schema: SchemaFile) {
        self.schema = schema
        messages = Dictionary(uniqueKeysWithValues: schema.allMessages.map { ($0.fullName, $0) })
        enums = Dictionary(uniqueKeysWithValues: schema.allEnums.map { ($0.fullName, $0) })
    }

    func definition(_ fullName: String) -> MessageDefinition? { messages[fullName] }

    /// Random bytes for `fullName`; `depth` bounds nesting, `density` is the chance each field is present.
    func bytes(for fullName: String, depth: Int = 0, using rng: inout SeededGenerator) -> [UInt8] {
        guard let message = messages[fullName] else { return [] }
        var out: [UInt8] = []
        var fields = message.fields
        fields.shuffle(using: &rng)  // decoders must accept any field order
        for field in fields where Int.random(in: 0..<10, using: &rng) < 7 {
            let count = field.label == .repeated || field.isMap ? Int.random(in: 0...3, using: &rng) : 1
            if case .scalar(let scalar) = field.type, field.label == .repeated, scalar != .string, scalar != .bytes,
                count > 0, Bool.random(using: &rng)
            {
                // Packed run.
                var payload: [UInt8] = []
                for _ in 0..<count { payload += scalarPayload(scalar, fieldPath: "", using: &rng) }
                out += tag(field.number, 2) + varint(UInt64(payload.count)) + payload
                continue
            }
            for _ in 0..<count {
                out += encodeOne(field, in: message, depth: depth, using: &rng)
            }
        }
        return out
    }

    private func encodeOne(_ field: FieldDefinition, in message: MessageDefinition, depth: Int, using rng: inout SeededGenerator) -> [UInt8] {
        switch field.type {
        case .scalar(let scalar):
            let payload = scalarPayload(scalar, fieldPath: message.fullName + "." + field.name, using: &rng)
            return tag(field.number, wireType(scalar)) + payload
        case .enumeration(let name):
            let values = enums[name]?.values.map(\.number) ?? [0]
            // Mostly known values, sometimes a number this schema does not know.
            let number = Int.random(in: 0..<8, using: &rng) == 0 ? Int32.random(in: 100...1000, using: &rng) : values.randomElement(using: &rng)!
            return tag(field.number, 0) + varint(UInt64(bitPattern: Int64(number)))
        case .message(let name):
            let body = depth >= 6 ? [] : bytes(for: name, depth: depth + 1, using: &rng)
            return tag(field.number, 2) + varint(UInt64(body.count)) + body
        case .map(let key, let value):
            var entry: [UInt8] = []
            if Int.random(in: 0..<6, using: &rng) != 0 { entry += tag(1, wireType(key)) + scalarPayload(key, fieldPath: "", using: &rng) }
            if case .scalar(let valueType) = value, Int.random(in: 0..<6, using: &rng) != 0 {
                entry += tag(2, wireType(valueType)) + scalarPayload(valueType, fieldPath: "", using: &rng)
            }
            return tag(field.number, 2) + varint(UInt64(entry.count)) + entry
        case .unresolved:
            return []
        }
    }

    private func wireType(_ scalar: ScalarType) -> UInt8 {
        switch scalar {
        case .double, .fixed64, .sfixed64: 1
        case .float, .fixed32, .sfixed32: 5
        case .string, .bytes: 2
        default: 0
        }
    }

    private func scalarPayload(_ scalar: ScalarType, fieldPath: String, using rng: inout SeededGenerator) -> [UInt8] {
        switch scalar {
        case .string:
            let text = randomString(using: &rng)
            return varint(UInt64(text.utf8.count)) + Array(text.utf8)
        case .bytes:
            let bytes: [UInt8] =
                utf8OnlyBytesFields.contains(fieldPath)
                ? Array(randomString(using: &rng).utf8)
                : (0..<Int.random(in: 0...12, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            return varint(UInt64(bytes.count)) + bytes
        case .bool:
            return [Bool.random(using: &rng) ? 1 : 0]
        case .int32:
            return varint(UInt64(bitPattern: Int64(interesting(Int32.self, using: &rng))))
        case .int64:
            return varint(UInt64(bitPattern: interesting(Int64.self, using: &rng)))
        case .uint32:
            return varint(UInt64(interesting(UInt32.self, using: &rng)))
        case .uint64:
            return varint(interesting(UInt64.self, using: &rng))
        case .double:
            let pool: [Double] = [0, -0.0, 1, -1, 0.1, 12.0625, 1e300, -1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 99.99]
            let value = Bool.random(using: &rng) ? pool.randomElement(using: &rng)! : Double.random(in: -1e9...1e9, using: &rng)
            return withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
        default:
            return varint(0)
        }
    }

    private func interesting<T: FixedWidthInteger>(_ type: T.Type, using rng: inout SeededGenerator) -> T {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return T.min
        case 1: return T.max
        case 2: return 0
        case 3: return T(truncatingIfNeeded: Int.random(in: -300...300, using: &rng))
        default: return T.random(in: T.min...T.max, using: &rng)
        }
    }

    private func randomString(using rng: inout SeededGenerator) -> String {
        let pieces = ["a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\u{1}", "é", "中", "🚀", "k8s.io/x", "=", "{", "}"]
        return (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    private func tag(_ number: Int, _ wireType: UInt8) -> [UInt8] { varint(UInt64(number) << 3 | UInt64(wireType)) }

    func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }
}
