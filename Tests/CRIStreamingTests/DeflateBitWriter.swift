@testable import CRIStreaming

/// Builds deflate bit streams by hand (RFC 1951 § 3.1.1: fields least-significant bit first, Huffman codes most
/// significant bit first), for inputs no real compressor writes.
struct DeflateBitWriter {
    private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    /// A zlib header without a dictionary (`78 9C`) followed by nothing yet.
    static func zlib() -> DeflateBitWriter {
        var writer = DeflateBitWriter()
        writer.bits(0x78, 8)
        writer.bits(0x9C, 8)
        return writer
    }

    /// Appends the low `count` bits of `value`, least significant first.
    mutating func bits(_ value: Int, _ count: Int) {
        for index in 0..<count {
            if bitCount % 8 == 0 { bytes.append(0) }
            if value >> index & 1 == 1 { bytes[bytes.count - 1] |= 1 << UInt8(bitCount % 8) }
            bitCount += 1
        }
    }

    /// Appends a Huffman code of `length` bits, most significant first.
    mutating func code(_ code: Int, _ length: Int) {
        for index in (0..<length).reversed() {
            bits(code >> index & 1, 1)
        }
    }

    /// A literal/length symbol in the fixed code (§ 3.2.6).
    mutating func fixedSymbol(_ symbol: Int) {
        switch symbol {
        case 0..<144: code(0x30 + symbol, 8)
        case 144..<256: code(0x190 + symbol - 144, 9)
        case 256..<280: code(symbol - 256, 7)
        default: code(0xC0 + symbol - 280, 8)
        }
    }

    /// A block header: BFINAL and BTYPE.
    mutating func blockHeader(final: Bool, type: Int) {
        bits(final ? 1 : 0, 1)
        bits(type, 2)
    }
}
