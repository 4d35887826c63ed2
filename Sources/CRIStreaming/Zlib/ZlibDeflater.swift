/// The compressing side of one zlib stream (RFC 1950), kept open across calls: every call's output ends with a
/// sync flush, so the peer can inflate everything sent so far while the stream continues.
///
/// Each call's input becomes one fixed-Huffman block (RFC 1951 § 3.2.6) of literals and matches found in the last
/// 32 KiB of the stream and the preset dictionary (SPDY header blocks repeat names and values from the dictionary
/// and from earlier blocks), or stored blocks when that would be smaller (incompressible input). The zlib header
/// carries FDICT and the dictionary's Adler-32 when one is set, which is what SPDY/3 peers (Go's `compress/zlib`
/// in moby/spdystream) require.
package struct ZlibDeflater: Sendable {
    /// RFC 1951 § 3.2.4: LEN is 16 bits.
    private static let maxStoredBlock = 65535

    private let dictionaryID: UInt32?
    private var wroteHeader = false
    private var matches: MatchFinder

    /// Creates a deflater; with `dictionary`, the stream announces it (FDICT) and may refer into it.
    package init(dictionary: [UInt8]? = nil) {
        self.dictionaryID = dictionary.map { Adler32($0).value }
        self.matches = MatchFinder(dictionary: dictionary)
    }

    /// Compresses `input` and ends with a sync flush (an empty stored block, `00 00 FF FF`), so the peer can
    /// inflate everything sent so far. The first call writes the zlib header (with FDICT when a dictionary is set).
    package mutating func deflateSync(_ input: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        if !wroteHeader {
            writeHeader(into: &output)
            wroteHeader = true
        }
        let start = matches.append(input)
        let count = matches.end - start
        // The sync flush is an empty stored block: it ends on a byte boundary, so the peer's inflater has every
        // earlier byte without needing the next one.
        let huffman = count > 0 ? fixedHuffmanBlockAndFlushHeader(from: start) : []
        // Stored costs 5 bytes per 64 KiB; the Huffman block wins whenever matches or short codes pay for that.
        if count > 0, huffman.count <= count + 5 * ((count + Self.maxStoredBlock - 1) / Self.maxStoredBlock) {
            output += huffman
            output += [0x00, 0x00, 0xFF, 0xFF]
        } else {
            var rest = matches.history.suffix(count)
            while !rest.isEmpty {
                let block = rest.prefix(Self.maxStoredBlock)
                Self.writeStoredBlock(block, into: &output)
                rest = rest.dropFirst(block.count)
            }
            Self.writeStoredBlock(EmptyCollection(), into: &output)
        }
        matches.trim()
        return output
    }

    /// One non-final fixed-Huffman block for the bytes from `start` to the end, then the 3 header bits of the sync
    /// flush's empty stored block and the padding to the byte boundary: its LEN and NLEN come next.
    private mutating func fixedHuffmanBlockAndFlushHeader(from start: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(0b010, 3)  // BFINAL 0, BTYPE 01 (written least-significant bit first)
        let end = matches.end
        var position = start
        while position < end {
            let match = matches.longestMatch(at: position, limit: end)
            guard match.length > 0 else {
                let literal = FixedHuffmanCodes.literals[Int(matches.byte(position))]
                writer.write(literal.code, literal.length)
                position += 1
                continue
            }
            let lengthIndex = Int(FixedHuffmanCodes.lengthIndex[match.length])
            let symbol = FixedHuffmanCodes.literals[257 + lengthIndex]
            writer.write(symbol.code, symbol.length)
            writer.write(
                UInt32(match.length - Int(DeflateTables.lengthBase[lengthIndex])),
                Int(DeflateTables.lengthExtra[lengthIndex]))
            let distanceIndex = FixedHuffmanCodes.distanceIndex(match.distance)
            writer.write(FixedHuffmanCodes.distances[distanceIndex], 5)
            writer.write(
                UInt32(match.distance - Int(DeflateTables.distanceBase[distanceIndex])),
                Int(DeflateTables.distanceExtra[distanceIndex]))
            position += match.length
        }
        let endOfBlock = FixedHuffmanCodes.literals[256]
        writer.write(endOfBlock.code, endOfBlock.length)
        // The empty stored block's header (BFINAL 0, BTYPE 00) and its padding.
        writer.write(0, 3)
        writer.alignToByte()
        return writer.bytes
    }

    private func writeHeader(into output: inout [UInt8]) {
        // CMF: CM 8 (deflate), CINFO 7 (32 KiB window). FLG: FLEVEL 0 (fastest), FDICT, FCHECK making CMF·256+FLG
        // a multiple of 31 (RFC 1950 § 2.2).
        let cmf: UInt8 = 0x78
        var flg: UInt8 = dictionaryID == nil ? 0 : 0x20
        flg |= UInt8(31 - (UInt16(cmf) << 8 | UInt16(flg)) % 31) % 31
        output.append(cmf)
        output.append(flg)
        if let id = dictionaryID {
            for shift in stride(from: 24, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: id >> UInt32(shift)))
            }
        }
    }

    /// A non-final stored block (RFC 1951 § 3.2.4) starting on a byte boundary: BFINAL 0, BTYPE 00 and padding in
    /// one byte, LEN, NLEN, the bytes.
    private static func writeStoredBlock(_ block: some Collection<UInt8>, into output: inout [UInt8]) {
        let length = UInt16(truncatingIfNeeded: block.count)
        output.append(0x00)
        output.append(UInt8(truncatingIfNeeded: length))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: ~length))
        output.append(UInt8(truncatingIfNeeded: ~length >> 8))
        output.append(contentsOf: block)
    }
}
