/// A canonical Huffman code of deflate (RFC 1951 § 3.2.2), built from code lengths, decoded table-first.
///
/// Codes up to ``fastBits`` long are found with one lookup of the next bits; longer ones (rare: only dynamic
/// blocks with skewed statistics have them) are decoded canonically, one bit at a time, from the per-length
/// counts. Building checks the lengths form a complete prefix code, as zlib does.
struct HuffmanTable: Sendable {
    /// Bits looked up at once; codes longer than this take the slow path.
    static let fastBits = 10
    private static let maxCodeLength = 15

    /// Indexed by the next `fastBits` input bits: `symbol << 4 | length`, or 0 when they begin a longer code
    /// (or no code at all, in an incomplete table).
    private var fast: [UInt16]
    /// How many codes have each length, 0...15.
    private var counts: [Int]
    /// The symbols in canonical order (by length, then by value).
    private var symbols: [UInt16]

    /// Builds the code for `lengths` (the code length of each symbol, 0 = unused).
    ///
    /// - Parameter isCodeLengthCode: the code-length alphabet of a dynamic block header must be complete; the
    ///   literal/length and distance codes may be incomplete only when they have a single code (of length 1),
    ///   which RFC 1951 § 3.2.7 allows for one distance code, or no codes at all.
    /// - Throws: ``ZlibError/Code/badHuffmanTable`` for over-subscribed or incomplete lengths.
    init(lengths: ArraySlice<UInt8>, isCodeLengthCode: Bool = false) throws(ZlibError) {
        var counts = [Int](repeating: 0, count: Self.maxCodeLength + 1)
        var maxLength = 0
        for length in lengths where length != 0 {
            guard length <= Self.maxCodeLength else { throw ZlibError(.badHuffmanTable, "a code length over 15") }
            counts[Int(length)] += 1
            maxLength = max(maxLength, Int(length))
        }
        var left = 1
        for length in 1...Self.maxCodeLength {
            left = left << 1 - counts[length]
            guard left >= 0 else { throw ZlibError(.badHuffmanTable, "over-subscribed code lengths") }
        }
        if maxLength > 0, left > 0, isCodeLengthCode || maxLength != 1 {
            throw ZlibError(.badHuffmanTable, "incomplete code lengths")
        }
        self.init(checkedLengths: lengths)
    }

    /// Builds the code for lengths known to be valid (the fixed codes, or after the checks above). Lengths must
    /// be at most 15.
    init(checkedLengths lengths: ArraySlice<UInt8>) {
        var counts = [Int](repeating: 0, count: Self.maxCodeLength + 1)
        for length in lengths where length != 0 {
            counts[Int(min(length, 15))] += 1
        }
        var offsets = [Int](repeating: 0, count: Self.maxCodeLength + 2)
        for length in 1...Self.maxCodeLength {
            offsets[length + 1] = offsets[length] + counts[length]
        }
        var symbols = [UInt16](repeating: 0, count: offsets[Self.maxCodeLength + 1])
        var nextCode = [Int](repeating: 0, count: Self.maxCodeLength + 1)
        var code = 0
        for length in 1...Self.maxCodeLength {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        for (symbol, length) in zip(0..., lengths) where length != 0 {
            let length = Int(min(length, 15))
            symbols[offsets[length]] = UInt16(symbol)
            offsets[length] += 1
            let code = nextCode[length]
            nextCode[length] += 1
            guard length <= Self.fastBits else { continue }
            // Codes are defined most-significant bit first but read least-significant first: index by the
            // reversed code, once for every value of the bits after it.
            let reversed = Self.reverse(code, length)
            let entry = UInt16(symbol << 4 | length)
            for index in stride(from: reversed, to: 1 << Self.fastBits, by: 1 << length) {
                fast[index] = entry
            }
        }
        self.fast = fast
        self.counts = counts
        self.symbols = symbols
    }

    /// Decodes the next symbol, or returns nil (consuming nothing) when the input ends inside its code.
    ///
    /// - Throws: ``ZlibError/Code/badHuffmanTable`` for bits that are no code of an incomplete (or empty) table.
    @inline(__always)
    func decode(_ reader: inout BitReader) throws(ZlibError) -> Int? {
        if reader.count < Self.maxCodeLength { reader.refill() }
        let entry = Int(fast[Int(reader.peek(Self.fastBits))])
        let length = entry & 0xF
        if length != 0 {
            guard length <= reader.count else { return nil }
            reader.drop(length)
            return entry >> 4
        }
        return try decodeSlowly(&reader)
    }

    /// Canonical decoding, one bit at a time: codes of each length are consecutive integers starting at `first`.
    private func decodeSlowly(_ reader: inout BitReader) throws(ZlibError) -> Int? {
        let bits = reader.bits
        var code = 0
        var first = 0
        var index = 0
        for length in 1...Self.maxCodeLength {
            guard length <= reader.count else { return nil }
            code |= Int((bits >> UInt64(length - 1)) & 1)
            let count = counts[length]
            if code - first < count {
                reader.drop(length)
                return Int(symbols[index + code - first])
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw ZlibError(.badHuffmanTable, "bits that are no code of the block's Huffman table")
    }

    private static func reverse(_ code: Int, _ length: Int) -> Int {
        var reversed = 0
        var code = code
        for _ in 0..<length {
            reversed = reversed << 1 | code & 1
            code >>= 1
        }
        return reversed
    }
}
