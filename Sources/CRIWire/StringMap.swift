/// A proto3 `map<string, string>` (labels, annotations, selectors): unique keys, kept in the order
/// they were added — the wire order for a decoded map.
///
/// CRI maps hold a handful of entries and a list response carries tens of thousands of them, so
/// entries live in one array and a key is found by a linear scan: no hashing and one allocation per
/// map, where a `Dictionary` hashes every key twice (find, insert) and allocates room for twice the
/// entries. Past ``indexThreshold`` entries a key → position index is kept as well, so large maps
/// (and hostile inputs) stay linear-time. The stable order also makes encoding deterministic.
///
/// It reads like a dictionary: `map["key"]`, `map["key"] = nil`, `for (key, value) in map`, and
/// dictionary literals. Equality and hashing ignore order, as proto map semantics require.
public struct StringMap: Sendable {
    /// One entry, shaped like a `Dictionary` element so that `for (key, value) in map` works.
    public typealias Element = (key: String, value: String)

    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var key: String
        @usableFromInline var value: String

        @inlinable
        init(key: consuming String, value: consuming String) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline
    var entries: ContiguousArray<Entry>

    /// Key → position in `entries`; filled only while `entries.count > indexThreshold`.
    @usableFromInline
    var positions: [String: Int]

    /// The binary size of all entries as a map field with a one-byte tag, kept up to date by every
    /// mutation: sizing a message for encoding then reads no entry, where walking the entries of
    /// every map in a 10,000-container list was a cache miss per map.
    @usableFromInline
    var wireSize: Int

    /// Bit `n % 64` is set when some key is `n` UTF-8 bytes long: most lookups of a key that is not
    /// there (every insert while decoding) end at this check instead of a scan.
    @usableFromInline
    var keyLengths: UInt64

    /// Maps with more entries than this keep a hashed index beside the entries.
    public static let indexThreshold = 16

    /// An empty map.
    @inlinable
    public init() {
        // Not `[]` and `[:]`: the literal initializers are calls, and every decoded message starts
        // from empty maps.
        entries = ContiguousArray()
        positions = Dictionary()
        wireSize = 0
        keyLengths = 0
    }

    /// The entries of `dictionary`, ordered by key so that the result does not depend on
    /// the dictionary's hash seed.
    public init(_ dictionary: [String: String]) {
        self.init()
        entries.reserveCapacity(dictionary.count)
        for key in dictionary.keys.sorted() {
            updateValue(dictionary[key] ?? "", forKey: key)
        }
    }

    /// The number of entries.
    @inlinable
    public var count: Int { entries.count }

    /// True when the map has no entries.
    @inlinable
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys, in map order.
    public var keys: [String] { entries.map(\.key) }

    /// The values, in map order.
    public var values: [String] { entries.map(\.value) }

    /// The same entries as a `Dictionary`.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries { result[entry.key] = entry.value }
        return result
    }

    /// The value for `key`; setting nil removes the entry, setting a value adds or replaces it
    /// (a replaced entry keeps its place).
    @inlinable
    public subscript(key: String) -> String? {
        get {
            guard let position = position(of: key) else { return nil }
            return entries[position].value
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// The value for `key`, or `defaultValue` when the map has none.
    @inlinable
    public subscript(key: String, default defaultValue: @autoclosure () -> String) -> String {
        self[key] ?? defaultValue()
    }

    /// Sets `value` for `key` and returns the value it replaced, if any. A new key goes last.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: String, forKey key: String) -> String? {
        insert(value, forKey: key, keyCount: key.utf8.count, entrySize: Self.wireSize(key: key, value: value))
    }

    /// ``updateValue(_:forKey:)`` with the key's UTF-8 count and the entry's size on the wire (as
    /// ``wireSize(key:value:)`` counts it) given: the decoder knows both from the bytes it read.
    @inlinable
    @discardableResult
    mutating func insert(
        _ value: consuming String, forKey key: consuming String, keyCount: Int, entrySize: Int
    ) -> String? {
        if let position = position(of: key, keyCount: keyCount) {
            let old = entries[position].value
            wireSize += entrySize - Self.wireSize(key: key, value: old)
            entries[position].value = value
            return old
        }
        wireSize += entrySize
        keyLengths |= Self.lengthBit(keyCount)
        // Consumed: the strings move into the entry without a retain here and a release in the caller.
        entries.append(Entry(key: key, value: value))
        if entries.count > Self.indexThreshold { indexLastEntry() }
        return nil
    }

    /// Removes the entry for `key` and returns its value, if there was one. The other entries keep
    /// their order; this costs time linear in the size of the map.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> String? {
        guard let position = position(of: key) else { return nil }
        let old = entries.remove(at: position).value
        wireSize -= Self.wireSize(key: key, value: old)
        keyLengths = 0
        for entry in entries { keyLengths |= Self.lengthBit(entry.key.utf8.count) }
        rebuildIndex()
        return old
    }

    /// Removes every entry.
    public mutating func removeAll() {
        entries.removeAll()
        positions = [:]
        wireSize = 0
        keyLengths = 0
    }

    /// Makes room for `capacity` entries in one allocation.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// Adds every entry of `other`, replacing the values of keys both have.
    public mutating func merge(_ other: StringMap) {
        for entry in other.entries { updateValue(entry.value, forKey: entry.key) }
    }

    /// The size of one entry on the wire: a one-byte tag, the entry's length, and the entry's key
    /// and value fields (each a one-byte tag, a length and the bytes).
    @inlinable
    static func wireSize(key: String, value: String) -> Int {
        let keyCount = key.utf8.count
        let valueCount = value.utf8.count
        let body =
            2 + Varint.encodedSize(of: UInt64(keyCount)) + keyCount + Varint.encodedSize(of: UInt64(valueCount))
            + valueCount
        return 1 + Varint.encodedSize(of: UInt64(body)) + body
    }

    @inlinable
    static func lengthBit(_ count: Int) -> UInt64 { 1 &<< UInt64(truncatingIfNeeded: count & 63) }

    @inlinable
    func position(of key: String, keyCount: Int? = nil) -> Int? {
        let length = keyCount ?? key.utf8.count
        if keyLengths & Self.lengthBit(length) == 0 { return nil }
        if entries.count > Self.indexThreshold { return positions[key] }
        // Comparing lengths first skips most unequal keys without a call into String comparison.
        return entries.withUnsafeBufferPointer { buffer in
            for position in buffer.indices where buffer[position].key.utf8.count == length {
                if buffer[position].key == key { return position }
            }
            return nil
        }
    }

    @usableFromInline
    mutating func indexLastEntry() {
        if positions.isEmpty {
            rebuildIndex()
        } else {
            positions[entries[entries.count - 1].key] = entries.count - 1
        }
    }

    @usableFromInline
    mutating func rebuildIndex() {
        positions = [:]
        guard entries.count > Self.indexThreshold else { return }
        positions.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { positions[entry.key] = position }
    }
}

extension StringMap: RandomAccessCollection {
    /// The first entry's position, 0.
    @inlinable
    public var startIndex: Int { 0 }

    /// One past the last entry's position.
    @inlinable
    public var endIndex: Int { entries.count }

    /// The entry at `position`, in map order.
    @inlinable
    public subscript(position: Int) -> Element {
        let entry = entries[position]
        return (entry.key, entry.value)
    }
}

extension StringMap: ExpressibleByDictionaryLiteral {
    /// A map of the literal's entries in their written order; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init()
        entries.reserveCapacity(elements.count)
        for (key, value) in elements { updateValue(value, forKey: key) }
    }
}

extension StringMap: Hashable {
    /// Equal when both hold the same keys with the same values, in any order.
    public static func == (lhs: StringMap, rhs: StringMap) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (position, entry) in lhs.entries.enumerated() {
            // Maps built the same way share their order: try the same position before searching.
            if rhs.entries[position].key == entry.key {
                guard rhs.entries[position].value == entry.value else { return false }
            } else if rhs[entry.key] != entry.value {
                return false
            }
        }
        return true
    }

    /// Hashes the entries independently of their order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for entry in entries {
            var entryHasher = Hasher()
            entryHasher.combine(entry.key)
            entryHasher.combine(entry.value)
            combined ^= entryHasher.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(combined)
    }
}

extension StringMap: CustomStringConvertible, CustomDebugStringConvertible {
    /// Dictionary-style text in map order: `["key": "value"]`, or `[:]` when empty.
    public var description: String {
        if entries.isEmpty { return "[:]" }
        return "[" + entries.map { "\($0.key.debugDescription): \($0.value.debugDescription)" }.joined(separator: ", ")
            + "]"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }
}
