/// Prefix integers (RFC 7541 § 5.1).
package enum IntegerCoding {
    /// The largest value we decode. RFC 7541 § 5.1 lets implementations bound integers; every real
    /// quantity (index, length, table size) fits in 2^30, and the bound keeps shifts and adds overflow-free.
    package static let maxValue = (1 << 30) - 1

    /// Appends `value` with an `prefixBits`-bit prefix; `flags` fills the first octet's high bits.
    package static func encode(_ value: Int, prefixBits: Int, flags: UInt8, into buffer: inout [UInt8]) {
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
    package static func decode(prefixBits: Int, from reader: inout HPACKByteReader) throws(HPACKError) -> Int {
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
