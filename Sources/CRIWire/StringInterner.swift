/// A small cache that lets one decode share the strings it meets more than once.
///
/// Large CRI responses repeat the same strings container after container: label and annotation keys
/// (`io.kubernetes.pod.namespace`), image names, namespaces, termination paths. Swift stores strings
/// of 16 bytes or more on the heap, so each copy used to be an allocation and later a free; a hit here
/// is a retain instead. For shorter strings a hit saves validating the bytes and the call that builds
/// the string, which cost more than the lookup.
///
/// Direct-mapped: each hash picks one slot, and a miss overwrites it, so memory stays fixed however
/// hostile the input. A hit is confirmed by comparing bytes, never by the hash alone.
@usableFromInline
final class StringInterner {
    @usableFromInline
    struct Slot {
        @usableFromInline var hash: UInt64
        /// For strings of at most 16 bytes, their bytes as two words (see ``words(_:_:)``), so that a
        /// hit is confirmed without reading the string; zero otherwise.
        @usableFromInline var first: UInt64
        @usableFromInline var last: UInt64
        @usableFromInline var string: String
        /// The hash of the last string that missed here without replacing `string` (see ``store``).
        @usableFromInline var candidate: UInt64

        @usableFromInline
        init(hash: UInt64, first: UInt64, last: UInt64, string: String) {
            self.hash = hash
            self.first = first
            self.last = last
            self.string = string
            self.candidate = 0
        }
    }

    @usableFromInline
    static let slotCount = 1024

    /// Longer strings are rarely repeated (certificates, JSON blobs) and cost more to hash than
    /// sharing them saves.
    @usableFromInline
    static let lengths = 1...96

    @usableFromInline
    let slots: UnsafeMutablePointer<Slot>

    /// The slot for `hash`, from its top bits: a multiply carries every input bit upward only, so the
    /// low bits never see the last bytes of a word. Indexing by the low bits put strings that differ
    /// only at their end (`agnhost:2.10`, `agnhost:2.11`) all in one slot, where they evicted each other.
    @inlinable
    static func slotIndex(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash >> UInt64(64 - slotCount.trailingZeroBitCount))
    }

    @usableFromInline
    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(hash: 0, first: 0, last: 0, string: ""), count: Self.slotCount)
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    /// The string for UTF-8 `bytes` (1 to 96 of them), shared with an earlier equal one when cached;
    /// nil when they are not valid UTF-8. A hit needs no validation: the bytes equal a string's.
    @inlinable
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        if count <= 16 {
            let (first, last) = Self.words(UnsafeRawPointer(bytes.baseAddress!), count)
            let hash = Self.mix(Self.mix(UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15, first), last)
            let slot = slots + Self.slotIndex(hash)
            // The words and the length determine the bytes exactly; the length is in the string's header.
            if slot.pointee.hash == hash, slot.pointee.first == first, slot.pointee.last == last,
                slot.pointee.string.utf8.count == count
            {
                return slot.pointee.string
            }
            return store(bytes, in: slot, hash: hash, first: first, last: last)
        }
        let hash = Self.hash(bytes)
        let slot = slots + Self.slotIndex(hash)
        if slot.pointee.hash == hash, Self.equal(slot.pointee.string, bytes) {
            return slot.pointee.string
        }
        return store(bytes, in: slot, hash: hash, first: 0, last: 0)
    }

    /// Builds the string for a miss. It replaces the slot's string only when the slot is empty or the
    /// same hash missed here before: IDs and digests, which never repeat, then cost no reference
    /// counting for the cache, and a repeated string is cached from its second sighting on.
    @inlinable
    func store(
        _ bytes: UnsafeBufferPointer<UInt8>, in slot: UnsafeMutablePointer<Slot>, hash: UInt64, first: UInt64,
        last: UInt64
    ) -> String? {
        guard UTF8Validation.isValid(bytes) else { return nil }
        let string = String(decoding: bytes, as: UTF8.self)
        if slot.pointee.hash == 0 || slot.pointee.candidate == hash {
            slot.pointee = Slot(hash: hash, first: first, last: last, string: string)
        } else {
            slot.pointee.candidate = hash
        }
        return string
    }

    @inlinable
    static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The count is in the string's header: unequal lengths never reach its bytes.
        guard string.utf8.count == bytes.count else { return false }
        return string.utf8.withContiguousStorageIfAvailable { stored in
            memoryEqual(stored.baseAddress!, bytes.baseAddress!, bytes.count)
        } ?? false
    }

    /// Word-by-word comparison of `count` (more than 8) bytes; the last word may overlap the one
    /// before it, so there is no byte-at-a-time tail.
    @inlinable
    static func memoryEqual(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let left = UnsafeRawPointer(left)
        let right = UnsafeRawPointer(right)
        var index = 0
        while index + 8 < count {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        return left.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            == right.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// 1 to 16 bytes as two words that, with the count, determine them exactly: the first and last
    /// eight bytes (overlapping below 16), two overlapping 4-byte loads below 8, and the first, middle
    /// and last byte below 4. Reads only inside `base ..< base + count`.
    @inlinable
    static func words(_ base: UnsafeRawPointer, _ count: Int) -> (UInt64, UInt64) {
        if count >= 8 {
            return (
                base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            )
        }
        if count >= 4 {
            let low = UInt64(base.loadUnaligned(as: UInt32.self))
            let high = UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return (low | high << 32, 0)
        }
        let first = UInt64(base.load(as: UInt8.self))
        let middle = UInt64(base.load(fromByteOffset: count / 2, as: UInt8.self))
        let last = UInt64(base.load(fromByteOffset: count - 1, as: UInt8.self))
        return (first | middle << 8 | last << 16, 0)
    }

    /// A fast multiply-mix hash of a string longer than 16 bytes: its length and its first, middle and
    /// last eight bytes, so the cost does not grow with the length. Strings that agree on all four
    /// share a slot and take turns in it; equality is always checked, so that only costs sharing.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let base = UnsafeRawPointer(bytes.baseAddress!)
        let count = bytes.count
        var hash = mix(UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15, base.loadUnaligned(as: UInt64.self))
        hash = mix(hash, base.loadUnaligned(fromByteOffset: count / 2 - 4, as: UInt64.self))
        return mix(hash, base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }

    /// Folds `word` into `hash`; never 0, the empty slot's mark.
    @inlinable
    static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        var hash = (hash ^ word) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 29
        return hash | 1
    }
}
