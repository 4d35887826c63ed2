/// The deflater's memory of what the peer's inflater holds: the last 32 KiB of the stream (and the preset
/// dictionary before it), with hash chains over every 3-byte string in it, so new input can refer back.
///
/// Positions are absolute within the stream (dictionary first); tables keep them as `Int32` and are rebased long
/// before they would overflow. Memory: 160 KiB of tables, allocated on first use.
struct MatchFinder: Sendable {
    /// RFC 1951 § 3.2.5: the farthest distance and the longest match.
    static let maxDistance = 32768
    static let maxLength = 258
    private static let hashBits = 13
    /// How many earlier occurrences of a string to try: small, since header blocks are small and speed matters.
    private static let maxChain = 32

    /// The bytes from absolute position `start` on.
    private(set) var history: [UInt8] = []
    private var start = 0
    /// Positions below this are in the hash chains.
    private var hashed = 0
    /// Hash of 3 bytes -> the latest position with it, or -1.
    private var heads: [Int32] = []
    /// Position modulo 32 KiB -> the previous position with the same hash, or -1.
    private var previous: [Int32] = []

    /// A finder whose window starts with `dictionary` (its last 32 KiB).
    init(dictionary: [UInt8]?) {
        history = Array((dictionary ?? []).suffix(Self.maxDistance))
    }

    /// The absolute position after the last byte.
    var end: Int { start + history.count }

    /// Adds the next input to the window; returns its absolute position.
    mutating func append(_ input: some Collection<UInt8>) -> Int {
        if heads.isEmpty {
            heads = [Int32](repeating: -1, count: 1 << Self.hashBits)
            previous = [Int32](repeating: -1, count: Self.maxDistance)
        }
        let position = end
        history.append(contentsOf: input)
        return position
    }

    /// The byte at absolute `position`.
    @inline(__always)
    func byte(_ position: Int) -> UInt8 { history[position - start] }

    /// The longest earlier match for the bytes at `position`, ending at or before `limit`: (length, distance),
    /// length 0 when there is none of at least 3. Hashes every position before `position` first.
    mutating func longestMatch(at position: Int, limit: Int) -> (length: Int, distance: Int) {
        hash(upTo: position)
        let longest = min(Self.maxLength, limit - position)
        guard longest >= 3 else { return (0, 0) }
        var best = (length: 0, distance: 0)
        var candidate = Int(heads[hashOf(position)])
        var tries = 0
        while candidate >= start, position - candidate <= Self.maxDistance, tries < Self.maxChain {
            var length = 0
            while length < longest, byte(candidate + length) == byte(position + length) {
                length += 1
            }
            if length > best.length {
                best = (length, position - candidate)
                if length == longest { break }
            }
            let next = Int(previous[candidate & (Self.maxDistance - 1)])
            // An entry overwritten by a newer position (the ring wrapped) no longer belongs to this chain.
            guard next < candidate else { break }
            candidate = next
            tries += 1
        }
        return best.length >= 3 ? best : (0, 0)
    }

    /// Drops bytes no match can reach any more, keeping the buffer between 32 and 64 KiB.
    mutating func trim() {
        if history.count > 2 * Self.maxDistance {
            let dropped = history.count - Self.maxDistance
            history.removeSubrange(0..<dropped)
            start += dropped
        }
        if end > Int(Int32.max) - 4 * Self.maxDistance { rebase() }
    }

    private mutating func hash(upTo position: Int) {
        // A position can be hashed once its 3 bytes are known.
        while hashed < position, hashed + 2 < end {
            if hashed >= start {
                let hash = hashOf(hashed)
                previous[hashed & (Self.maxDistance - 1)] = heads[hash]
                heads[hash] = Int32(hashed)
            }
            hashed += 1
        }
    }

    @inline(__always)
    private func hashOf(_ position: Int) -> Int {
        let value = Int(byte(position)) << 10 ^ Int(byte(position + 1)) << 5 ^ Int(byte(position + 2))
        return (value ^ value >> Self.hashBits) & (1 << Self.hashBits - 1)
    }

    /// Moves every position down (after about 2 GiB of stream) by a multiple of 32 KiB, so the ring, indexed by
    /// position modulo 32 KiB, keeps every slot in place.
    private mutating func rebase() {
        let shift = start & ~(Self.maxDistance - 1)
        func shifted(_ entry: Int32) -> Int32 { Int(entry) >= shift ? Int32(Int(entry) - shift) : -1 }
        heads = heads.map(shifted)
        previous = previous.map(shifted)
        start -= shift
        hashed -= shift
    }
}
