/// Huffman encoding of string literals (RFC 7541 § 5.2, Appendix B).
package enum HuffmanEncoding {
    /// The encoded length in octets of `bytes`, including the final padding.
    package static func encodedLength(of bytes: some Sequence<UInt8>) -> Int {
        var bits = 0
        for byte in bytes { bits += Int(huffmanCodes[Int(byte)].length) }
        return (bits + 7) / 8
    }

    /// Appends the Huffman code of `bytes`, padded with the high bits of EOS (all ones, RFC 7541 § 5.2).
    package static func encode(_ bytes: some Sequence<UInt8>, into buffer: inout [UInt8]) {
        // Codes are at most 30 bits and fewer than 8 bits stay pending, so 38 bits fit in the accumulator.
        var accumulator: UInt64 = 0
        var pending = 0
        for byte in bytes {
            let entry = huffmanCodes[Int(byte)]
            accumulator = (accumulator << UInt64(entry.length)) | UInt64(entry.code)
            pending += Int(entry.length)
            while pending >= 8 {
                pending -= 8
                buffer.append(UInt8(truncatingIfNeeded: accumulator >> UInt64(pending)))
            }
        }
        if pending > 0 {
            let padding = 8 - pending
            buffer.append(UInt8(truncatingIfNeeded: (accumulator << UInt64(padding)) | ((1 << UInt64(padding)) - 1)))
        }
    }
}
