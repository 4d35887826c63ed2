/// The fixed Huffman codes of RFC 1951 § 3.2.6 as the deflater writes them: each code bit-reversed, since codes
/// go on the wire most-significant bit first while ``BitWriter`` packs least-significant first.
enum FixedHuffmanCodes {
    /// Literal/length symbol -> (reversed code, length).
    static let literals: [(code: UInt32, length: Int)] = (0..<288).map { symbol in
        switch symbol {
        case 0..<144: (reverse(0x30 + symbol, 8), 8)
        case 144..<256: (reverse(0x190 + symbol - 144, 9), 9)
        case 256..<280: (reverse(symbol - 256, 7), 7)
        default: (reverse(0xC0 + symbol - 280, 8), 8)
        }
    }

    /// Distance symbol -> reversed 5-bit code.
    static let distances: [UInt32] = (0..<30).map { reverse($0, 5) }

    /// Match length (3...258) -> the index of its symbol (symbol 257 + index) in ``DeflateTables/lengthBase``.
    static let lengthIndex: [UInt8] = (0...258).map { length in
        guard length >= 3 else { return 0 }
        return UInt8(DeflateTables.lengthBase.lastIndex { Int($0) <= length } ?? 0)
    }

    /// The distance symbol of `distance` (1...32768).
    static func distanceIndex(_ distance: Int) -> Int {
        var low = 0
        var high = DeflateTables.distanceBase.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(DeflateTables.distanceBase[middle]) <= distance { low = middle } else { high = middle - 1 }
        }
        return low
    }

    private static func reverse(_ code: Int, _ length: Int) -> UInt32 {
        var reversed: UInt32 = 0
        for bit in 0..<length where code >> bit & 1 == 1 {
            reversed |= 1 << UInt32(length - 1 - bit)
        }
        return reversed
    }
}
