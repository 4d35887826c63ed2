/// The input side of an inflater: bytes not yet consumed, read least-significant bit first (RFC 1951 § 3.1.1).
///
/// It survives between calls, so a stream may be cut anywhere: bits already loaded stay in ``bits``, bytes not
/// yet loaded stay in the array. Decoding steps that need several fields save a ``Mark`` first and go back to it
/// when the input runs out half-way, so they are either done whole or not at all.
struct BitReader: Sendable {
    /// A position to return to when a step runs out of input.
    struct Mark {
        fileprivate let position: Int
        fileprivate let bits: UInt64
        fileprivate let count: Int
    }

    private var bytes: [UInt8] = []
    private var position = 0
    /// Loaded bits, the next one lowest.
    private(set) var bits: UInt64 = 0
    /// How many bits of ``bits`` are loaded.
    private(set) var count = 0

    /// Adds input after what is left, dropping the bytes already loaded into ``bits``.
    mutating func append(_ input: some Collection<UInt8>) {
        if position > 0 {
            bytes.removeSubrange(0..<position)
            position = 0
        }
        bytes.append(contentsOf: input)
    }

    /// Whether any input is left (bits or bytes).
    var isEmpty: Bool { count == 0 && position == bytes.count }

    /// Loads whole bytes while at least 8 bits are free.
    @inline(__always)
    mutating func refill() {
        while count <= 56, position < bytes.count {
            bits |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
    }

    /// Whether `n` bits (at most 56) can be read now.
    @inline(__always)
    mutating func has(_ n: Int) -> Bool {
        if count < n { refill() }
        return count >= n
    }

    /// The next `n` bits (at most 32; ``has(_:)`` must have said they are there) without consuming them.
    @inline(__always)
    func peek(_ n: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: bits & ((1 << UInt64(n)) &- 1))
    }

    /// Consumes `n` loaded bits.
    @inline(__always)
    mutating func drop(_ n: Int) {
        bits >>= UInt64(n)
        count -= n
    }

    /// Reads `n` loaded bits.
    @inline(__always)
    mutating func take(_ n: Int) -> UInt32 {
        let value = peek(n)
        drop(n)
        return value
    }

    /// Reads four whole bytes as a big-endian number (zlib's DICTID and trailer, RFC 1950 § 2.1); ``has(_:)`` must
    /// have said 32 bits are there, from a byte boundary.
    mutating func takeBigEndian32() -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            value = value << 8 | take(8)
        }
        return value
    }

    /// Skips to the next byte boundary (stored blocks and the trailer start there). Only whole bytes are ever
    /// loaded, so the bits left in the current byte are `count % 8`.
    mutating func alignToByte() {
        drop(count % 8)
    }

    /// Copies up to `limit` whole bytes to `output` (after ``alignToByte()``), first those already loaded, then
    /// straight from the input; returns how many.
    mutating func copyBytes(upTo limit: Int, into output: inout [UInt8]) -> Int {
        var copied = 0
        while copied < limit, count >= 8 {
            output.append(UInt8(truncatingIfNeeded: take(8)))
            copied += 1
        }
        guard copied < limit, count == 0 else { return copied }
        let bulk = min(limit - copied, bytes.count - position)
        output.append(contentsOf: bytes[position..<position + bulk])
        position += bulk
        return copied + bulk
    }

    /// The current position, for ``reset(to:)``.
    var mark: Mark { Mark(position: position, bits: bits, count: count) }

    /// Goes back to `mark` (taken since the last ``append(_:)``).
    mutating func reset(to mark: Mark) {
        position = mark.position
        bits = mark.bits
        count = mark.count
    }
}
