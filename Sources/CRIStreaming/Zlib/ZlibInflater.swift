/// The decompressing side of one zlib stream (RFC 1950 around RFC 1951 deflate), kept open across calls.
///
/// SPDY sends each header block as the next chunk of one zlib stream per direction, each ending with a sync
/// flush; this type inflates chunk after chunk, keeping the 32 KiB window (and the preset dictionary) between
/// them. Input may be cut anywhere, even inside a Huffman code or the zlib header: what cannot be decoded yet
/// waits for the next call. Work and memory are bounded by the input and the caller's output limit; malformed
/// input fails with a ``ZlibError``, after which the inflater keeps failing (the stream cannot be resynchronized).
package struct ZlibInflater: Sendable {
    /// RFC 1951 § 3.2: distances reach back at most 32 KiB.
    static let windowSize = 32 * 1024

    /// What the next input bits are.
    enum Phase: Sendable {
        /// CMF, FLG and maybe DICTID.
        case zlibHeader
        /// BFINAL and BTYPE of the next block (and a stored or dynamic block's own header).
        case blockHeader
        /// The bytes of a stored block, `remaining` still to come.
        case stored(remaining: Int)
        /// The codes of a Huffman block, decoded with these tables.
        case huffman(literals: HuffmanTable, distances: HuffmanTable)
        /// The Adler-32 after the final block.
        case trailer
        /// Nothing: the stream ended.
        case finished
        /// Nothing decodes any more.
        case failed(ZlibError)
    }

    /// The preset dictionary a stream with FDICT must name.
    let dictionary: [UInt8]?
    /// Where decoding stands.
    var phase = Phase.zlibHeader
    /// The input not yet consumed.
    var reader = BitReader()
    /// The last (up to) 32 KiB of output (or the dictionary) followed by this call's output.
    var window: [UInt8] = []
    /// Where this call's output starts in ``window``.
    var outputStart = 0
    /// This call's output limit.
    var limit = 0
    /// The bytes of ``window`` from here on are not yet in ``checksum``.
    private var checksumStart = 0
    private var checksum = Adler32()
    /// Whether the block being decoded has BFINAL set.
    var isFinalBlock = false

    /// Creates an inflater; `dictionary` is the preset dictionary a stream with FDICT must name (at most its
    /// last 32 KiB can be referred to).
    package init(dictionary: [UInt8]? = nil) {
        self.dictionary = dictionary
    }

    /// Whether the stream's final block and Adler-32 trailer have been read.
    package var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// Feeds the next bytes of the stream; returns what they inflate to.
    ///
    /// Output produced by one call is bounded by `limit` (throws ``ZlibError/Code/outputLimitExceeded`` beyond
    /// it). Input may end anywhere (mid-block, mid-code): state is kept for the next call. The 32 KiB window
    /// persists across calls. Errors are final: the stream cannot continue after one.
    package mutating func inflate(_ input: some Collection<UInt8>, limit: Int) throws(ZlibError) -> [UInt8] {
        if case .failed(let error) = phase { throw error }
        reader.append(input)
        outputStart = window.count
        checksumStart = window.count
        self.limit = max(0, limit)
        do {
            try run()
        } catch {
            phase = .failed(error)
            window = []
            reader = BitReader()
            throw error
        }
        let output = Array(window[outputStart...])
        checksum.update(window[checksumStart...])
        trimWindow()
        return output
    }

    /// Checks that the stream ended: its final block and trailer were read.
    ///
    /// - Throws: ``ZlibError/Code/truncated`` when the stream is cut short (SPDY streams never end, so SPDY
    ///   does not call this; a plain zlib stream's reader does at end of input).
    package func finish() throws(ZlibError) {
        switch phase {
        case .finished: return
        case .failed(let error): throw error
        default: throw ZlibError(.truncated, "the zlib stream ends before its final block and trailer")
        }
    }

    /// Decodes as far as the input allows.
    private mutating func run() throws(ZlibError) {
        while true {
            switch phase {
            case .zlibHeader:
                guard try readZlibHeader() else { return }
                phase = .blockHeader
            case .blockHeader:
                guard let next = try readBlockHeader() else { return }
                phase = next
            case .stored(let remaining):
                let copied = try copyStored(remaining)
                guard copied == remaining else {
                    phase = .stored(remaining: remaining - copied)
                    return
                }
                phase = isFinalBlock ? .trailer : .blockHeader
            case .huffman(let literals, let distances):
                guard try inflateBlock(literals, distances) else { return }
                phase = isFinalBlock ? .trailer : .blockHeader
            case .trailer:
                guard try readTrailer() else { return }
                phase = .finished
            case .finished:
                guard reader.isEmpty else {
                    throw ZlibError(.badBlock, "bytes after the end of the zlib stream")
                }
                return
            case .failed(let error):
                throw error
            }
        }
    }

    /// RFC 1950 § 2.2: CMF, FLG and, with FDICT, the dictionary's Adler-32. Returns false (consuming nothing)
    /// until all of it is there.
    private mutating func readZlibHeader() throws(ZlibError) -> Bool {
        let mark = reader.mark
        guard reader.has(16) else { return false }
        let cmf = reader.take(8)
        let flg = reader.take(8)
        guard cmf & 0x0F == 8 else { throw ZlibError(.badHeader, "compression method \(cmf & 0x0F), not deflate") }
        guard cmf >> 4 <= 7 else { throw ZlibError(.badHeader, "window of 2^\((cmf >> 4) + 8) bytes, over 32 KiB") }
        guard (cmf << 8 | flg) % 31 == 0 else { throw ZlibError(.badHeader, "header check bits (FCHECK) are wrong") }
        guard flg & 0x20 != 0 else { return true }
        guard reader.has(32) else {
            reader.reset(to: mark)
            return false
        }
        let id = reader.takeBigEndian32()
        guard let dictionary else {
            throw ZlibError(.wrongDictionary, "the stream needs a preset dictionary and none is configured")
        }
        guard Adler32(dictionary).value == id else {
            throw ZlibError(.wrongDictionary, "the stream's preset dictionary is not the configured one")
        }
        window = Array(dictionary.suffix(Self.windowSize))
        outputStart = window.count
        checksumStart = window.count
        return true
    }

    /// RFC 1950 § 2.2: the big-endian Adler-32 of all output, after the final block, from a byte boundary.
    private mutating func readTrailer() throws(ZlibError) -> Bool {
        let mark = reader.mark
        reader.alignToByte()
        guard reader.has(32) else {
            reader.reset(to: mark)
            return false
        }
        let expected = reader.takeBigEndian32()
        checksum.update(window[checksumStart...])
        checksumStart = window.count
        guard checksum.value == expected else {
            throw ZlibError(.checksumMismatch, "the Adler-32 trailer does not match the inflated data")
        }
        return true
    }

    /// Keeps only the last 32 KiB between calls, moving bytes only once the buffer is twice that.
    private mutating func trimWindow() {
        guard window.count > 2 * Self.windowSize else { return }
        window.removeSubrange(0..<window.count - Self.windowSize)
    }
}
