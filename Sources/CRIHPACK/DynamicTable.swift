/// The HPACK dynamic table (RFC 7541 § 2.3.2 and § 4): a FIFO of fields, newest at index 1.
///
/// Entries live in a ring so that inserting at the front and evicting at the back are O(1) with no
/// shifting. The ring holds at most `maxSize / 32 + 1` entries, because every entry costs at least
/// 32 octets (RFC 7541 § 4.1), so its storage is bounded by the table size, never by peer input.
package struct DynamicTable: Sendable {
    /// One stored field and its RFC 7541 § 4.1 size.
    struct Entry: Sendable {
        var name: String
        var value: String
        var size: Int
    }

    /// Ring storage; `head` is the slot of the newest entry.
    private var ring: [Entry?] = []
    private var head = 0
    /// Number of live entries.
    package private(set) var count = 0
    /// Sum of entry sizes (name + value + 32 each, RFC 7541 § 4.1).
    package private(set) var size = 0
    /// The current maximum size, as set by the encoder's last table size update.
    package private(set) var maxSize: Int

    /// Creates an empty table that may hold `maxSize` octets.
    package init(maxSize: Int) { self.maxSize = max(0, maxSize) }

    /// RFC 7541 § 4.1: "The size of an entry is the sum of its name's length in octets …, its value's
    /// length in octets, and 32."
    static func entrySize(name: String, value: String) -> Int { name.utf8.count + value.utf8.count + 32 }

    /// The entry at 1-based dynamic index `index` (1 = newest), or nil when out of range.
    package subscript(index: Int) -> (name: String, value: String)? {
        guard index >= 1, index <= count, let entry = ring[(head + index - 1) % ring.count] else { return nil }
        return (entry.name, entry.value)
    }

    /// Adds a field at index 1, evicting from the end until it fits (RFC 7541 § 4.4). A field larger than
    /// the whole table empties it and is not stored.
    package mutating func insert(name: String, value: String) {
        let entrySize = Self.entrySize(name: name, value: value)
        guard entrySize <= maxSize else {
            removeAll()
            return
        }
        evict(toFit: maxSize - entrySize)
        if count == ring.count { grow() }
        head = (head - 1 + ring.count) % ring.count
        ring[head] = Entry(name: name, value: value, size: entrySize)
        count += 1
        size += entrySize
    }

    /// Changes the maximum size, evicting as needed (RFC 7541 § 4.3).
    package mutating func setMaxSize(_ newMax: Int) {
        maxSize = max(0, newMax)
        evict(toFit: maxSize)
    }

    /// Finds a full match, else a name-only match; indices are dynamic (1 = newest).
    ///
    /// A linear scan is enough: the table holds at most maxSize / 32 entries (128 for the default 4096).
    func find(name: String, value: String) -> (index: Int, valueMatches: Bool)? {
        var nameOnly: Int?
        for offset in 0..<count {
            guard let entry = ring[(head + offset) % ring.count], entry.name == name else { continue }
            if entry.value == value { return (offset + 1, true) }
            if nameOnly == nil { nameOnly = offset + 1 }
        }
        return nameOnly.map { ($0, false) }
    }

    /// The entries from newest to oldest, for tests and debugging.
    package var entries: [HPACKHeader] {
        (0..<count).compactMap { offset in
            ring[(head + offset) % ring.count].map { HPACKHeader(name: $0.name, value: $0.value) }
        }
    }

    private mutating func evict(toFit limit: Int) {
        while size > limit, count > 0 {
            let tail = (head + count - 1) % ring.count
            size -= ring[tail]?.size ?? 0
            ring[tail] = nil
            count -= 1
        }
    }

    private mutating func removeAll() {
        evict(toFit: 0)
    }

    /// Doubles the ring, unrolling it so the newest entry lands in slot 0.
    private mutating func grow() {
        let newCapacity = max(8, ring.count * 2)
        var newRing = [Entry?](repeating: nil, count: newCapacity)
        for offset in 0..<count { newRing[offset] = ring[(head + offset) % ring.count] }
        ring = newRing
        head = 0
    }
}
