/// The blocks of RFC 1951 § 3.2.3–3.2.7: block headers, stored blocks and Huffman-coded blocks.
extension ZlibInflater {
    /// The 3-bit block header and, for stored and dynamic blocks, what follows it before the data. Returns nil
    /// (consuming nothing) until all of it is there.
    mutating func readBlockHeader() throws(ZlibError) -> Phase? {
        let mark = reader.mark
        guard reader.has(3) else { return nil }
        isFinalBlock = reader.take(1) == 1
        switch reader.take(2) {
        case 0:
            reader.alignToByte()
            guard reader.has(32) else {
                reader.reset(to: mark)
                return nil
            }
            let length = reader.take(16)
            let complement = reader.take(16)
            guard length == ~complement & 0xFFFF else {
                throw ZlibError(.badBlock, "stored block length and its complement disagree")
            }
            return .stored(remaining: Int(length))
        case 1:
            return .huffman(literals: DeflateTables.fixedLiterals, distances: DeflateTables.fixedDistances)
        case 2:
            guard let tables = try readDynamicTables() else {
                reader.reset(to: mark)
                return nil
            }
            return .huffman(literals: tables.literals, distances: tables.distances)
        default:
            throw ZlibError(.badBlock, "block type 3 (reserved)")
        }
    }

    /// Copies up to `remaining` bytes of a stored block; returns how many were there.
    mutating func copyStored(_ remaining: Int) throws(ZlibError) -> Int {
        let room = limit - (window.count - outputStart)
        let copied = reader.copyBytes(upTo: min(remaining, room), into: &window)
        if copied < remaining, !reader.isEmpty {
            throw limitExceeded()
        }
        return copied
    }

    /// § 3.2.7: the code lengths of a dynamic block's two codes, themselves Huffman-coded. Returns nil when the
    /// input ends inside them (the caller goes back to the block header).
    private mutating func readDynamicTables() throws(ZlibError) -> (literals: HuffmanTable, distances: HuffmanTable)? {
        guard reader.has(14) else { return nil }
        let literalCount = Int(reader.take(5)) + 257
        let distanceCount = Int(reader.take(5)) + 1
        let codeLengthCount = Int(reader.take(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw ZlibError(.badHuffmanTable, "\(literalCount) literal/length and \(distanceCount) distance codes")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            guard reader.has(3) else { return nil }
            codeLengthLengths[DeflateTables.codeLengthOrder[index]] = UInt8(reader.take(3))
        }
        let codeLengths = try HuffmanTable(lengths: codeLengthLengths[...], isCodeLengthCode: true)

        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var index = 0
        while index < total {
            guard let symbol = try codeLengths.decode(&reader) else { return nil }
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            let value: UInt8
            let count: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw ZlibError(.badHuffmanTable, "a repeat code with nothing to repeat") }
                guard reader.has(2) else { return nil }
                value = lengths[index - 1]
                count = 3 + Int(reader.take(2))
            case 17:
                guard reader.has(3) else { return nil }
                value = 0
                count = 3 + Int(reader.take(3))
            default:
                guard reader.has(7) else { return nil }
                value = 0
                count = 11 + Int(reader.take(7))
            }
            guard index + count <= total else {
                throw ZlibError(.badHuffmanTable, "a repeat code runs past the last code length")
            }
            for offset in index..<index + count {
                lengths[offset] = value
            }
            index += count
        }
        guard lengths[256] != 0 else {
            throw ZlibError(.badHuffmanTable, "the literal/length code has no end-of-block code")
        }
        let literals = try HuffmanTable(lengths: lengths[0..<literalCount])
        let distances = try HuffmanTable(lengths: lengths[literalCount...])
        return (literals, distances)
    }

    /// Decodes literals and matches until the end-of-block code (returns true) or the end of the input (returns
    /// false; the symbol cut off is decoded again next time).
    mutating func inflateBlock(_ literals: HuffmanTable, _ distances: HuffmanTable) throws(ZlibError) -> Bool {
        // The loop works on locals (moved out of self, so they stay uniquely referenced): the optimizer keeps
        // them in registers instead of going through self for every symbol.
        var reader = self.reader
        var window = self.window
        self.window = []
        defer {
            self.reader = reader
            self.window = window
        }
        let end = outputStart + limit
        while true {
            let mark = reader.mark
            guard let symbol = try literals.decode(&reader) else { return false }
            if symbol < 256 {
                guard window.count < end else { throw limitExceeded() }
                window.append(UInt8(truncatingIfNeeded: symbol))
                continue
            }
            if symbol == 256 { return true }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw ZlibError(.badHuffmanTable, "literal/length symbol \(symbol)") }
            guard let (length, distance) = try Self.match(lengthIndex, distances, &reader) else {
                reader.reset(to: mark)
                return false
            }
            guard distance <= window.count else {
                throw ZlibError(.badDistance, "a match \(distance) bytes back, before the start of the data")
            }
            guard window.count + length <= end else { throw limitExceeded() }
            Self.copyMatch(distance: distance, length: length, in: &window)
        }
    }

    /// The rest of a match after its length symbol: the length's extra bits, the distance code and its extra
    /// bits. Nil when the input ends inside them (the caller goes back to the length symbol).
    @inline(__always)
    private static func match(
        _ lengthIndex: Int, _ distances: HuffmanTable, _ reader: inout BitReader
    ) throws(ZlibError) -> (length: Int, distance: Int)? {
        let lengthExtra = Int(DeflateTables.lengthExtra[lengthIndex])
        guard reader.has(lengthExtra) else { return nil }
        let length = Int(DeflateTables.lengthBase[lengthIndex]) + Int(reader.take(lengthExtra))
        guard let distanceSymbol = try distances.decode(&reader) else { return nil }
        guard distanceSymbol < 30 else { throw ZlibError(.badDistance, "distance symbol \(distanceSymbol)") }
        let distanceExtra = Int(DeflateTables.distanceExtra[distanceSymbol])
        guard reader.has(distanceExtra) else { return nil }
        return (length, Int(DeflateTables.distanceBase[distanceSymbol]) + Int(reader.take(distanceExtra)))
    }

    /// Appends `length` bytes starting `distance` back; they may overlap what is being written (a run).
    @inline(__always)
    private static func copyMatch(distance: Int, length: Int, in window: inout [UInt8]) {
        var from = window.count - distance
        for _ in 0..<length {
            window.append(window[from])
            from += 1
        }
    }

    private func limitExceeded() -> ZlibError {
        ZlibError(.outputLimitExceeded, "inflating past the limit of \(limit) bytes")
    }
}
