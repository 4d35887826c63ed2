/// The compressing side of one zlib stream (RFC 1950), kept open across calls: every call's output ends with a
/// sync flush, so the peer can inflate everything sent so far while the stream continues.
///
/// Output is stored (uncompressed) deflate blocks: every inflater accepts them, they cost 5 bytes per 64 KiB,
/// and SPDY's header blocks are small. The zlib header carries FDICT and the dictionary's Adler-32 when one is
/// set, which is what SPDY/3 peers (Go's `compress/zlib` in moby/spdystream) require.
package struct ZlibDeflater: Sendable {
    /// RFC 1951 § 3.2.4: LEN is 16 bits.
    private static let maxStoredBlock = 65535

    private let dictionaryID: UInt32?
    private var wroteHeader = false

    /// Creates a deflater; with `dictionary`, the stream announces it (FDICT) and may refer into it.
    package init(dictionary: [UInt8]? = nil) {
        self.dictionaryID = dictionary.map { Adler32($0).value }
    }

    /// Compresses `input` and ends with a sync flush (an empty stored block, `00 00 FF FF`), so the peer can
    /// inflate everything sent so far. The first call writes the zlib header (with FDICT when a dictionary is set).
    package mutating func deflateSync(_ input: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 5 * (input.count / Self.maxStoredBlock + 1) + 11)
        if !wroteHeader {
            writeHeader(into: &output)
            wroteHeader = true
        }
        var rest = input[...]
        while !rest.isEmpty {
            let block = rest.prefix(Self.maxStoredBlock)
            Self.writeStoredBlock(block, into: &output)
            rest = rest.dropFirst(block.count)
        }
        // The sync flush: an empty stored block ends on a byte boundary, so the peer's inflater has every
        // earlier byte without needing the next one.
        Self.writeStoredBlock(EmptyCollection(), into: &output)
        return output
    }

    private func writeHeader(into output: inout [UInt8]) {
        // CMF: CM 8 (deflate), CINFO 7 (32 KiB window). FLG: FLEVEL 0, FDICT, FCHECK making CMF·256+FLG a
        // multiple of 31 (RFC 1950 § 2.2).
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

    /// A non-final stored block (RFC 1951 § 3.2.4): BFINAL 0, BTYPE 00, padding to the byte, LEN, NLEN, the bytes.
    /// Every block we write ends on a byte boundary, so the 3 header bits always start a fresh byte.
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
