/// Custom metadata of a call: ordered key/value pairs (gRPC PROTOCOL-HTTP2 "Custom-Metadata").
///
/// Keys are lowercase. Keys ending in `-bin` carry binary values, base64-encoded on the wire.
package struct GRPCMetadata: Sendable, Hashable, Sequence {
    /// One value: text for ordinary keys, bytes for `-bin` keys.
    package enum Value: Sendable, Hashable {
        case string(String)
        case binary([UInt8])
    }

    /// The pairs in order.
    package private(set) var entries: [(key: String, value: Value)] = []

    /// Creates empty metadata.
    package init() {}

    /// Creates metadata from text pairs.
    package init(_ pairs: [(String, String)]) {
        for (key, value) in pairs { add(key, value) }
    }

    /// Appends a text value (keys are lowercased).
    package mutating func add(_ key: String, _ value: String) {
        entries.append((key.lowercased(), .string(value)))
    }

    /// Appends a binary value; `key` must end in `-bin`.
    package mutating func add(_ key: String, binary value: [UInt8]) {
        entries.append((key.lowercased(), .binary(value)))
    }

    /// The first text value for `key`.
    package subscript(_ key: String) -> String? {
        for entry in entries where entry.key == key {
            if case .string(let value) = entry.value { return value }
        }
        return nil
    }

    /// The first binary value for `key`.
    package func binary(_ key: String) -> [UInt8]? {
        for entry in entries where entry.key == key {
            if case .binary(let value) = entry.value { return value }
        }
        return nil
    }

    /// Whether there are no pairs.
    package var isEmpty: Bool { entries.isEmpty }

    package func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
        entries.makeIterator()
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    package func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
