/// A proto3 `map<string, string>` (labels, annotations, selectors): unique keys, kept in the order
/// they were added — the wire order for a decoded map.
///
/// CRI maps hold a handful of entries and a list response carries tens of thousands of them, so a
/// small map keeps its entries *packed*: their UTF-8 bytes back to back in one byte buffer, laid out
/// as they go on the wire. Decoding a map is then a copy of its entries' bytes into one allocation —
/// no string per key or value, no per-entry reference counting when the map is freed — and encoding
/// it is a copy back. Keys are found by a linear scan over the bytes. A value is built as a `String`
/// when it is read.
///
/// Past ``indexThreshold`` entries a map holds strings instead, with a key → position index, so large
/// maps (and hostile inputs) stay linear-time. The stable order also makes encoding deterministic.
///
/// It reads like a dictionary: `map["key"]`, `map["key"] = nil`, `for (key, value) in map`, and
/// dictionary literals. Equality and hashing ignore order, as proto map semantics require.
public struct StringMap: Sendable {
    /// One entry, shaped like a `Dictionary` element so that `for (key, value) in map` works.
    public typealias Element = (key: String, value: String)

    /// A small map's entries, each as the wire has it after the field's tag: the entry's length, then
    /// the key field (`0x0A`, length, bytes) and the value field (`0x12`, length, bytes), every length
    /// a minimal varint. Empty once the map is ``large``.
    @usableFromInline
    var packed: ContiguousArray<UInt8>

    /// The entries of a map that grew past ``indexThreshold``; nil while the map is packed.
    @usableFromInline
    var large: LargeEntries?

    @usableFromInline
    var entryCount: Int

    /// Bit `n % 64` is set when some key is `n` UTF-8 bytes long: most lookups of a key that is not
    /// there (every insert while decoding) end at this check instead of a scan.
    @usableFromInline
    var keyLengths: UInt64

    /// Maps with more entries than this hold strings and a hashed index instead of packed bytes.
    public static let indexThreshold = 16

    /// An empty map.
    @inlinable
    public init() {
        // Not `[]`: the literal initializer is a call, and every decoded message starts from empty maps.
        packed = ContiguousArray()
        large = nil
        entryCount = 0
        keyLengths = 0
    }

    /// The entries of `dictionary`, ordered by key so that the result does not depend on
    /// the dictionary's hash seed.
    public init(_ dictionary: [String: String]) {
        self.init()
        reserveCapacity(dictionary.count)
        for key in dictionary.keys.sorted() {
            updateValue(dictionary[key] ?? "", forKey: key)
        }
    }

    /// The number of entries.
    @inlinable
    public var count: Int { entryCount }

    /// True when the map has no entries.
    @inlinable
    public var isEmpty: Bool { entryCount == 0 }

    /// The keys, in map order.
    public var keys: [String] { map(\.key) }

    /// The values, in map order.
    public var values: [String] { map(\.value) }

    /// The same entries as a `Dictionary`.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(count)
        for (key, value) in self { result[key] = value }
        return result
    }

    /// The binary size of all entries as a map field with a one-byte tag.
    @inlinable
    var wireSize: Int {
        if let large { return large.wireSize }
        // Packed entries are their wire bytes minus each entry's tag.
        return packed.count + count
    }

    /// The value for `key`; setting nil removes the entry, setting a value adds or replaces it
    /// (a replaced entry keeps its place).
    public subscript(key: String) -> String? {
        get {
            if let large {
                guard let position = large.position(of: key, keyLengths: keyLengths) else { return nil }
                return large.entries[position].value
            }
            var key = key
            return key.withUTF8 { key in
                guard let offset = packedOffset(of: key) else { return nil }
                return packed.withUnsafeBufferPointer { PackedEntry(in: $0, at: offset).value(in: $0) }
            }
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
    public subscript(key: String, default defaultValue: @autoclosure () -> String) -> String {
        self[key] ?? defaultValue()
    }

    /// Sets `value` for `key` and returns the value it replaced, if any. A new key goes last.
    @discardableResult
    public mutating func updateValue(_ value: String, forKey key: String) -> String? {
        if large != nil { return updateLarge(value, forKey: key) }
        var key = key
        var value = value
        return key.withUTF8 { key in
            value.withUTF8 { value in
                if let offset = packedOffset(of: key) {
                    let old = packed.withUnsafeBufferPointer { PackedEntry(in: $0, at: offset).value(in: $0) }
                    replacePacked(at: offset, key: key, value: value)
                    return old
                }
                appendPacked(key: key, value: value)
                return nil
            }
        }
    }

    /// Removes the entry for `key` and returns its value, if there was one. The other entries keep
    /// their order; this costs time linear in the size of the map.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> String? {
        if large != nil {
            uniqueLarge()
            guard let old = large!.remove(key, keyLengths: keyLengths) else { return nil }
            entryCount -= 1
            keyLengths = large!.keyLengths()
            return old
        }
        var key = key
        guard let offset = key.withUTF8({ packedOffset(of: $0) }) else { return nil }
        let (old, end) = packed.withUnsafeBufferPointer { buffer in
            let entry = PackedEntry(in: buffer, at: offset)
            return (entry.value(in: buffer), entry.end)
        }
        packed.removeSubrange(offset..<end)
        entryCount -= 1
        keyLengths = 0
        packed.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let entry = PackedEntry(in: buffer, at: offset)
                keyLengths |= Self.lengthBit(entry.keyCount)
                offset = entry.end
            }
        }
        return old
    }

    /// Removes every entry.
    public mutating func removeAll() {
        self = StringMap()
    }

    /// Makes room for `capacity` entries: for label-sized entries in a map of up to ``indexThreshold``,
    /// for any entries in a larger one.
    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > Self.indexThreshold {
            if large == nil { convertToLarge() }
            uniqueLarge()
            large!.entries.reserveCapacity(capacity)
        } else if large == nil {
            // Room for entries of typical label sizes; a decode reserves exact byte counts instead.
            packed.reserveCapacity(capacity * 64)
        }
    }

    /// Adds every entry of `other`, replacing the values of keys both have.
    public mutating func merge(_ other: StringMap) {
        for (key, value) in other { updateValue(value, forKey: key) }
    }

    @inlinable
    static func lengthBit(_ count: Int) -> UInt64 { 1 &<< UInt64(truncatingIfNeeded: count & 63) }

    // MARK: Packed entries

    /// The byte offset of the packed entry whose key is `key`.
    @inlinable
    func packedOffset(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        if keyLengths & Self.lengthBit(key.count) == 0 { return nil }
        return packed.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let entry = PackedEntry(in: buffer, at: offset)
                if entry.keyCount == key.count, Self.bytesEqual(buffer.baseAddress! + entry.keyStart, key) {
                    return offset
                }
                offset = entry.end
            }
            return nil
        }
    }

    /// Appends a decoded entry body (key field, then value field, minimal lengths) whose key and value
    /// are valid UTF-8 at the given offsets in `body`, or replaces the value of an entry with that key.
    /// `lengthPrecedes` says the byte before `body` is its length, as a one-byte varint: the entry's
    /// packed form is then one copy.
    @inlinable
    mutating func insertDecoded(
        body: UnsafeBufferPointer<UInt8>, lengthPrecedes: Bool, keyStart: Int, keyCount: Int, valueStart: Int
    ) {
        let key = UnsafeBufferPointer(rebasing: body[keyStart..<keyStart + keyCount])
        let value = UnsafeBufferPointer(rebasing: body[valueStart...])
        if large != nil {
            insertLarge(key: key, value: value)
        } else if let offset = packedOffset(of: key) {
            replacePacked(at: offset, key: key, value: value)
        } else if count == Self.indexThreshold {
            insertLarge(key: key, value: value)
        } else {
            // The common case: the entry's bytes as they came.
            if lengthPrecedes, let base = body.baseAddress {
                packed.append(contentsOf: UnsafeBufferPointer(start: base - 1, count: body.count + 1))
            } else {
                Self.appendVarint(body.count, to: &packed)
                packed.append(contentsOf: body)
            }
            entryCount += 1
            keyLengths |= Self.lengthBit(keyCount)
        }
    }

    /// Makes room for `bytes` more packed bytes, when the map is packed.
    @inlinable
    mutating func reservePackedBytes(_ bytes: Int) {
        if large == nil { packed.reserveCapacity(packed.count + bytes) }
    }

    @usableFromInline
    mutating func appendPacked(key: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if count == Self.indexThreshold {
            insertLarge(key: key, value: value)
            return
        }
        Self.appendEntry(key: key, value: value, to: &packed)
        entryCount += 1
        keyLengths |= Self.lengthBit(key.count)
    }

    /// Packed bytes that may follow a replaced entry before the map turns large instead of moving them.
    @usableFromInline
    static let movableTail = 256

    @usableFromInline
    mutating func replacePacked(at offset: Int, key: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        let end = packed.withUnsafeBufferPointer { PackedEntry.end(in: $0, at: offset) }
        if packed.count - end > Self.movableTail {
            // A replacement of another length moves every byte after the entry. An input that repeats
            // one key thousands of times before a long value would make that quadratic; strings are
            // replaced in place.
            insertLarge(key: key, value: value)
            return
        }
        var entry = ContiguousArray<UInt8>()
        Self.appendEntry(key: key, value: value, to: &entry)
        packed.replaceSubrange(offset..<end, with: entry)
    }

    @usableFromInline
    static func appendEntry(
        key: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, to bytes: inout ContiguousArray<UInt8>
    ) {
        appendVarint(entryBodySize(keyCount: key.count, valueCount: value.count), to: &bytes)
        bytes.append(0x0A)
        appendVarint(key.count, to: &bytes)
        bytes.append(contentsOf: key)
        bytes.append(0x12)
        appendVarint(value.count, to: &bytes)
        bytes.append(contentsOf: value)
    }

    /// The size of an entry's body: the key field and the value field, each a one-byte tag, a length
    /// and the bytes.
    @usableFromInline
    static func entryBodySize(keyCount: Int, valueCount: Int) -> Int {
        let keyField = 1 + Varint.encodedSize(of: UInt64(keyCount)) + keyCount
        return keyField + 1 + Varint.encodedSize(of: UInt64(valueCount)) + valueCount
    }

    @inlinable
    static func appendVarint(_ value: Int, to bytes: inout ContiguousArray<UInt8>) {
        var value = UInt(bitPattern: value)
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    @inlinable
    static func bytesEqual(_ stored: UnsafePointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = key.baseAddress else { return true }
        if key.count > 8 { return StringInterner.memoryEqual(stored, base, key.count) }
        for index in 0..<key.count where stored[index] != base[index] { return false }
        return true
    }

    // MARK: Large maps

    /// Moves packed entries into ``large``; the map stays large from then on.
    @usableFromInline
    mutating func convertToLarge() {
        let converted = LargeEntries()
        converted.entries.reserveCapacity(count)
        packed.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let entry = PackedEntry(in: buffer, at: offset)
                converted.append(key: entry.key(in: buffer), value: entry.value(in: buffer))
                offset = entry.end
            }
        }
        converted.rebuildIndex()
        packed = ContiguousArray()
        large = converted
    }

    /// Sets `value` for `key` in ``large``, turning the map large first if it is not yet.
    @usableFromInline
    mutating func insertLarge(key: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if large == nil { convertToLarge() }
        updateLarge(String(decoding: value, as: UTF8.self), forKey: String(decoding: key, as: UTF8.self))
    }

    @usableFromInline
    mutating func uniqueLarge() {
        if !isKnownUniquelyReferenced(&large!) { large = large!.copy() }
    }

    @usableFromInline
    @discardableResult
    mutating func updateLarge(_ value: String, forKey key: String) -> String? {
        uniqueLarge()
        if let old = large!.update(value, forKey: key, keyLengths: keyLengths) { return old }
        entryCount += 1
        keyLengths |= Self.lengthBit(key.utf8.count)
        return nil
    }
}

/// Where one packed entry's parts lie in ``StringMap/packed``.
@usableFromInline
struct PackedEntry {
    @usableFromInline let keyStart: Int
    @usableFromInline let keyCount: Int
    @usableFromInline let valueStart: Int
    @usableFromInline let end: Int

    /// Reads the entry at `offset`. The bytes were written by `StringMap` itself (minimal lengths, key
    /// then value), so the layout is not checked again.
    @inlinable
    init(in buffer: UnsafeBufferPointer<UInt8>, at offset: Int) {
        var cursor = offset
        let bodyCount = Self.readLength(buffer, &cursor)
        end = cursor + bodyCount
        cursor += 1  // the key field's tag
        keyCount = Self.readLength(buffer, &cursor)
        keyStart = cursor
        cursor += keyCount + 1  // the key, then the value field's tag
        _ = Self.readLength(buffer, &cursor)
        valueStart = cursor
    }

    /// Where the entry at `offset` ends: all an encoder needs, so only the entry's length is read.
    @inlinable
    static func end(in buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        var cursor = offset
        let bodyCount = readLength(buffer, &cursor)
        return cursor + bodyCount
    }

    @inlinable
    static func readLength(_ buffer: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> Int {
        // Lengths under 128, nearly all of them, are one byte.
        let first = buffer[cursor]
        cursor += 1
        if first < 0x80 { return Int(first) }
        var value = Int(first & 0x7F)
        var shift = 7
        while true {
            let byte = buffer[cursor]
            cursor += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    @inlinable
    func key(in buffer: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[keyStart..<keyStart + keyCount]), as: UTF8.self)
    }

    @inlinable
    func value(in buffer: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[valueStart..<end]), as: UTF8.self)
    }
}

/// The entries of a large ``StringMap`` as strings, with a key → position index. Shared between
/// copies of a map and copied before a mutation when shared, like any copy-on-write storage.
@usableFromInline
final class LargeEntries: @unchecked Sendable {
    // @unchecked: mutated only through a uniquely referenced instance (`StringMap.uniqueLarge`).
    @usableFromInline var entries: ContiguousArray<(key: String, value: String)> = []
    @usableFromInline var positions: [String: Int] = [:]
    /// The binary size of all entries as a map field with a one-byte tag, kept by every mutation.
    @usableFromInline var wireSize = 0

    @usableFromInline
    init() {}

    @usableFromInline
    func copy() -> LargeEntries {
        let copy = LargeEntries()
        copy.entries = entries
        copy.positions = positions
        copy.wireSize = wireSize
        return copy
    }

    @usableFromInline
    func position(of key: String, keyLengths: UInt64) -> Int? {
        if keyLengths & StringMap.lengthBit(key.utf8.count) == 0 { return nil }
        if entries.count > StringMap.indexThreshold { return positions[key] }
        return entries.firstIndex { $0.key == key }
    }

    /// Appends an entry whose key is not in the map yet.
    @usableFromInline
    func append(key: String, value: String) {
        wireSize += Self.wireSize(key: key, value: value)
        entries.append((key, value))
        if !positions.isEmpty { positions[key] = entries.count - 1 }
    }

    /// Replaces the value of `key` and returns the old one, or appends the entry and returns nil.
    @usableFromInline
    func update(_ value: String, forKey key: String, keyLengths: UInt64) -> String? {
        if let position = position(of: key, keyLengths: keyLengths) {
            let old = entries[position].value
            wireSize += Self.wireSize(key: key, value: value) - Self.wireSize(key: key, value: old)
            entries[position].value = value
            return old
        }
        append(key: key, value: value)
        if positions.isEmpty, entries.count > StringMap.indexThreshold { rebuildIndex() }
        return nil
    }

    @usableFromInline
    func remove(_ key: String, keyLengths: UInt64) -> String? {
        guard let position = position(of: key, keyLengths: keyLengths) else { return nil }
        let old = entries.remove(at: position).value
        wireSize -= Self.wireSize(key: key, value: old)
        rebuildIndex()
        return old
    }

    @usableFromInline
    func keyLengths() -> UInt64 {
        var bits: UInt64 = 0
        for entry in entries { bits |= StringMap.lengthBit(entry.key.utf8.count) }
        return bits
    }

    @usableFromInline
    func rebuildIndex() {
        positions = [:]
        guard entries.count > StringMap.indexThreshold else { return }
        positions.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { positions[entry.key] = position }
    }

    /// The size of one entry on the wire: a one-byte tag, the entry's length, and the entry's key
    /// and value fields (each a one-byte tag, a length and the bytes).
    @usableFromInline
    static func wireSize(key: String, value: String) -> Int {
        let body = StringMap.entryBodySize(keyCount: key.utf8.count, valueCount: value.utf8.count)
        return 1 + Varint.encodedSize(of: UInt64(body)) + body
    }
}

extension StringMap: Collection {
    /// A position in a map: a byte offset into a packed map, an entry number in a large one.
    public struct Index: Comparable, Sendable {
        @usableFromInline let offset: Int

        @inlinable
        init(_ offset: Int) { self.offset = offset }

        /// Orders positions as the entries are ordered.
        @inlinable
        public static func < (lhs: Index, rhs: Index) -> Bool { lhs.offset < rhs.offset }
    }

    /// The first entry's position.
    @inlinable
    public var startIndex: Index { Index(0) }

    /// One past the last entry's position.
    @inlinable
    public var endIndex: Index { Index(large?.entries.count ?? packed.count) }

    /// The position after `position`.
    @inlinable
    public func index(after position: Index) -> Index {
        if large != nil { return Index(position.offset + 1) }
        return Index(packed.withUnsafeBufferPointer { PackedEntry.end(in: $0, at: position.offset) })
    }

    /// The entry at `position`, in map order.
    @inlinable
    public subscript(position: Index) -> Element {
        if let large { return large.entries[position.offset] }
        return packed.withUnsafeBufferPointer { buffer in
            let entry = PackedEntry(in: buffer, at: position.offset)
            return (entry.key(in: buffer), entry.value(in: buffer))
        }
    }
}

extension StringMap: ExpressibleByDictionaryLiteral {
    /// A map of the literal's entries in their written order; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init()
        reserveCapacity(elements.count)
        for (key, value) in elements { updateValue(value, forKey: key) }
    }
}

extension StringMap: Hashable {
    /// Equal when both hold the same keys with the same values, in any order.
    public static func == (lhs: StringMap, rhs: StringMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        // Maps built the same way have the same bytes.
        if lhs.large == nil, rhs.large == nil, lhs.packed == rhs.packed { return true }
        for (key, value) in lhs where rhs[key] != value { return false }
        return true
    }

    /// Hashes the entries independently of their order, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in self {
            var entryHasher = Hasher()
            entryHasher.combine(key)
            entryHasher.combine(value)
            combined ^= entryHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension StringMap: CustomStringConvertible, CustomDebugStringConvertible {
    /// Dictionary-style text in map order: `["key": "value"]`, or `[:]` when empty.
    public var description: String {
        if isEmpty { return "[:]" }
        return "[" + map { "\($0.key.debugDescription): \($0.value.debugDescription)" }.joined(separator: ", ") + "]"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }
}
