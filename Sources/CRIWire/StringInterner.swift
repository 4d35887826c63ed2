/// A small cache that lets one decode share the storage of strings it meets more than once.
///
/// Large CRI responses repeat the same strings container after container: label and annotation keys
/// (`io.kubernetes.pod.namespace`), image names, termination paths. Swift stores strings of 16 bytes
/// or more on the heap, so each copy used to be an allocation and later a free, which together were
/// the largest cost of decoding a long `ListContainersResponse`. A hit here is a retain instead.
///
/// Direct-mapped: each hash picks one slot, and a miss overwrites it, so memory stays fixed however
/// hostile the input. A hit is confirmed by comparing bytes, never by the hash alone.
@usableFromInline
final class StringInterner {
    @usableFromInline
    struct Slot {
        @usableFromInline var hash: UInt64
        @usableFromInline var string: String

        @usableFromInline
        init(hash: UInt64, string: String) {
            self.hash = hash
            self.string = string
        }
    }

    @usableFromInline
    static let slotCount = 1024

    /// Strings shorter than this are stored inline by Swift (no allocation to save); longer ones are
    /// rarely repeated (digests, UUIDs) and cost more to hash than sharing them saves.
    @usableFromInline
    static let lengths = 16...96

    @usableFromInline
    let slots: UnsafeMutablePointer<Slot>

    @usableFromInline
    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(hash: 0, string: ""), count: Self.slotCount)
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
    }

    /// The string for already validated UTF-8 `bytes`, shared with an earlier equal one when cached.
    @inlinable
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let hash = Self.hash(bytes)
        let slot = slots + Int(truncatingIfNeeded: hash & UInt64(Self.slotCount - 1))
        if slot.pointee.hash == hash, Self.equal(slot.pointee.string, bytes) {
            return slot.pointee.string
        }
        let string = String(decoding: bytes, as: UTF8.self)
        slot.pointee = Slot(hash: hash, string: string)
        return string
    }

    @inlinable
    static func equal(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count && memoryEqual(stored.baseAddress!, bytes.baseAddress!, bytes.count)
        } ?? false
    }

    @inlinable
    static func memoryEqual(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            let a = UnsafeRawPointer(left + index).loadUnaligned(as: UInt64.self)
            let b = UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self)
            if a != b { return false }
            index += 8
        }
        while index < count {
            if left[index] != right[index] { return false }
            index += 1
        }
        return true
    }

    /// A fast multiply-mix hash over 8-byte words (the lengths above are at least 16 bytes, so the
    /// last word may overlap the one before it). Not collision resistant; equality is checked anyway.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let base = UnsafeRawPointer(bytes.baseAddress!)
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var index = 0
        while index + 8 < count {
            hash = (hash ^ base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            index += 8
        }
        hash = (hash ^ base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 29
        return hash | 1  // never 0, the empty slot's mark
    }
}
