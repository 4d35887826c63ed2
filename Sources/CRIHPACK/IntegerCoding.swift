/// Prefix integers (RFC 7541 § 5.1).
enum IntegerCoding {
    /// The largest value we decode. RFC 7541 § 5.1 lets implementations bound integers; every real
    /// quantity (index, length, table size) fits in 2^30, and the bound keeps shifts and adds overflow-free.
    static let maxValue = (1 << 30) - 1

    /// Appends `value` with an `prefixBits`-bit prefix; `flags` fills the first octet's high bits.
    static func encode(_ value: Int, prefixBits: Int, flags: UInt8, into buffer: inout [UInt8]) {
        let prefixMax = (1 << prefixBits) - 1
        if value < prefixMax {
            // Truncation is safe: value < prefixMax <= 255.
            buffer.append(flags | UInt8(truncatingIfNeeded: value))
            return
        }
        buffer.append(flags | UInt8(truncatingIfNeeded: prefixMax))
        var rest = value - prefixMax
        while rest >= 128 {
            buffer.append(UInt8(truncatingIfNeeded: rest & 0x7f) | 0x80)
            rest >>= 7
        }
        buffer.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Reads an integer whose first octet is at `reader`'s position, keeping the low `prefixBits` bits.
    static func decode(prefixBits: Int, from reader: inout HPACKByteReader) throws(HPACKError) -> Int {
        guard let first = reader.next() else { throw .truncated("an integer") }
        let prefixMax = (1 << prefixBits) - 1
        var value = Int(first) & prefixMax
        if value < prefixMax { return value }
        var shift = 0
        while true {
            guard let byte = reader.next() else { throw .truncated("an integer") }
            // Reject before shifting: with value <= maxValue and shift <= 28 nothing can overflow Int.
            guard shift <= 28 else { throw .integerOverflow() }
            value += Int(byte & 0x7f) << shift
            guard value <= maxValue else { throw .integerOverflow() }
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }
}

/// A bounds-checked cursor over one header block.
struct HPACKByteReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The next octet to read.
    private(set) var index: Int = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Octets left to read.
    var remaining: Int { bytes.count - index }
    /// Whether the block is fully consumed.
    var isAtEnd: Bool { index >= bytes.count }

    /// The next octet without consuming it.
    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes and returns the next octet, or nil at the end.
    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// Consumes `count` octets (the caller checked `count <= remaining`).
    mutating func take(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        let slice = UnsafeBufferPointer(rebasing: bytes[index..<(index + count)])
        index += count
        return slice
    }
}
