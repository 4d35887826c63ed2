import Testing

@testable import CRIStreaming

/// Inflates `pieces` in order with one inflater; returns the concatenated output.
func inflate(_ pieces: [ArraySlice<UInt8>], dictionary: [UInt8]?, limit: Int = 1 << 24) throws(ZlibError) -> [UInt8] {
    var inflater = ZlibInflater(dictionary: dictionary)
    var output: [UInt8] = []
    for piece in pieces {
        output += try inflater.inflate(piece, limit: limit)
    }
    return output
}

/// The dictionary a golden stream was made with.
func dictionary(for stream: SPDYGoldens.ZlibStream) -> [UInt8]? {
    stream.dictionary ? SPDYDictionary.bytes : nil
}

@Suite struct ZlibInflaterTests {
    @Test func dictionaryIsTheOnePythonChecked() {
        #expect(SPDYDictionary.bytes.count == 1423)
        #expect(Adler32(SPDYDictionary.bytes).value == SPDYDictionary.adler32)
        #expect(String(SPDYDictionary.adler32, radix: 16) == SPDYGoldens.shared.dictionaryAdler32)
    }

    @Test func adler32MatchesRFC1950() {
        // Adler-32 of "Wikipedia" is 0x11E60398 (a widely quoted value); of nothing, 1.
        #expect(Adler32(Array("Wikipedia".utf8)).value == 0x11E6_0398)
        #expect(Adler32().value == 1)
        // Past the 5552-byte reduction interval: 0xFF bytes make the sums grow fastest.
        var adler = Adler32()
        for _ in 0..<10 { adler.update([UInt8](repeating: 0xFF, count: 7000)) }
        #expect(adler.value == Adler32([UInt8](repeating: 0xFF, count: 70000)).value)
    }

    /// Each chunk inflates to what Python compressed into it; finished streams check their trailer.
    @Test(arguments: SPDYGoldens.shared.zlibStreams)
    func inflatesPythonStreamsChunkByChunk(_ stream: SPDYGoldens.ZlibStream) throws {
        var inflater = ZlibInflater(dictionary: dictionary(for: stream))
        for (chunk, expected) in zip(stream.chunkBytes, stream.outputs) {
            let output = try inflater.inflate(chunk, limit: 1 << 20)
            #expect(SPDYGoldens.Digest(of: output) == expected)
        }
        #expect(inflater.isFinished == stream.finished)
        if stream.finished {
            try inflater.finish()
        } else {
            #expect(throws: ZlibError(.truncated, "")) { try inflater.finish() }
        }
    }

    /// Cut anywhere (inside the header, a code, a stored block, the trailer), the stream inflates the same. Each
    /// split inflates the whole stream again, so only the short streams; byte by byte below covers every stream.
    @Test(arguments: SPDYGoldens.shared.zlibStreams.filter { $0.allBytes.count <= 800 })
    func inflatesTheSameSplitAtEveryByte(_ stream: SPDYGoldens.ZlibStream) throws {
        let all = stream.allBytes
        let whole = try inflate([all[...]], dictionary: dictionary(for: stream))
        #expect(SPDYGoldens.Digest(of: whole).count == stream.outputs.map(\.count).reduce(0, +))
        for split in 0...all.count {
            let output = try inflate([all[..<split], all[split...]], dictionary: dictionary(for: stream))
            guard output == whole else {
                Issue.record("\(stream.name): split at \(split) inflates differently")
                return
            }
        }
    }

    @Test(arguments: SPDYGoldens.shared.zlibStreams)
    func inflatesTheSameByteByByte(_ stream: SPDYGoldens.ZlibStream) throws {
        let all = stream.allBytes
        let whole = try inflate([all[...]], dictionary: dictionary(for: stream))
        let bytewise = try inflate(all.indices.map { all[$0...$0] }, dictionary: dictionary(for: stream))
        #expect(bytewise == whole)
    }

    /// A stream with FDICT needs the dictionary it names.
    @Test func refusesAMissingOrWrongDictionary() {
        let stream = SPDYGoldens.zlib("dictionary-level6").allBytes
        #expect(throws: ZlibError(.wrongDictionary, "")) { try inflate([stream[...]], dictionary: nil) }
        #expect(throws: ZlibError(.wrongDictionary, "")) {
            try inflate([stream[...]], dictionary: Array(SPDYDictionary.bytes.dropFirst()))
        }
    }

    /// A dictionary configured for a stream without FDICT is simply not used (as zlib does).
    @Test func ignoresADictionaryTheStreamDoesNotName() throws {
        let stream = SPDYGoldens.zlib("level6")
        let output = try inflate([stream.allBytes[...]], dictionary: SPDYDictionary.bytes)
        #expect(SPDYGoldens.Digest(of: output) == stream.outputs[0])
    }

    /// The window outlives each call: the second half of a 70 000-byte stream refers into the first half.
    @Test func keepsTheWindowAcrossCalls() throws {
        let stream = SPDYGoldens.zlib("big-level6")
        let all = stream.allBytes
        var output: [UInt8] = []
        var inflater = ZlibInflater()
        for start in stride(from: 0, to: all.count, by: 997) {
            output += try inflater.inflate(all[start..<min(start + 997, all.count)], limit: 1 << 20)
        }
        #expect(SPDYGoldens.Digest(of: output) == stream.outputs[0])
        try inflater.finish()
    }

    @Test func limitsEachCallsOutput() throws {
        let stream = SPDYGoldens.zlib("level6")
        #expect(throws: ZlibError(.outputLimitExceeded, "")) {
            try inflate([stream.allBytes[...]], dictionary: nil, limit: 5999)
        }
        let output = try inflate([stream.allBytes[...]], dictionary: nil, limit: 6000)
        #expect(output.count == 6000)
        let stored = SPDYGoldens.zlib("level0")
        #expect(throws: ZlibError(.outputLimitExceeded, "")) {
            try inflate([stored.allBytes[...]], dictionary: nil, limit: 100)
        }
        // The limit is per call: fed in pieces, each producing less than it, the same stream goes through.
        let all = stored.allBytes
        let pieces = stride(from: 0, to: all.count, by: 50).map { all[$0..<min($0 + 50, all.count)] }
        #expect(try inflate(pieces, dictionary: nil, limit: 100).count == 6000)
    }

    @Test func stopsAHeaderBomb() {
        let bomb = bytes(hex: SPDYGoldens.shared.bombs.plain)
        #expect(bomb.count < 1100)
        #expect(throws: ZlibError(.outputLimitExceeded, "")) {
            try inflate([bomb[...]], dictionary: nil, limit: 256 * 1024)
        }
    }
}
