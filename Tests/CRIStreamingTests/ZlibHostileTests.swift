import Testing

@testable import CRIStreaming

/// Streams no real compressor writes: each must fail with its own typed error, never trap or loop.
@Suite struct ZlibHostileTests {
    private func expectError(
        _ code: ZlibError.Code, _ stream: [UInt8], dictionary: [UInt8]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try inflate([stream[...]], dictionary: dictionary)
            Issue.record("inflated without an error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        }
        // Byte by byte gives the same error: no half-read field is trusted.
        do {
            _ = try inflate(stream.indices.map { stream[$0...$0] }, dictionary: dictionary)
            Issue.record("inflated byte by byte without an error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "byte by byte: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func badZlibHeaders() {
        expectError(.badHeader, [0x79, 0x9C - 3])  // CM 9, FCHECK fixed up
        expectError(.badHeader, [0x78, 0x9D])  // FCHECK wrong
        expectError(.badHeader, [0x88, 0x98])  // CINFO 8: a 64 KiB window
        expectError(.wrongDictionary, [0x78, 0xBB, 0, 0, 0, 1])  // FDICT, none configured
    }

    @Test func reservedBlockType() {
        var writer = DeflateBitWriter.zlib()
        writer.blockHeader(final: true, type: 3)
        expectError(.badBlock, writer.bytes)
    }

    @Test func storedLengthComplementMismatch() {
        expectError(.badBlock, [0x78, 0x9C, 0x01, 0x05, 0x00, 0xFA, 0xFE])
    }

    @Test func bytesAfterTheEnd() {
        let stream = SPDYGoldens.zlib("empty").allBytes
        expectError(.badBlock, stream + [0])
    }

    @Test func checksumMismatch() {
        var stream = SPDYGoldens.zlib("level6").allBytes
        stream[stream.count - 1] ^= 1
        expectError(.checksumMismatch, stream)
    }

    @Test func matchBeforeTheStart() {
        // A fixed block whose first symbol is a match (length 3, distance 1) with nothing behind it.
        var writer = DeflateBitWriter.zlib()
        writer.blockHeader(final: true, type: 1)
        writer.fixedSymbol(257)
        writer.code(0, 5)
        writer.fixedSymbol(256)
        expectError(.badDistance, writer.bytes)
    }

    @Test func matchBeforeTheDictionary() throws {
        // With a 4-byte dictionary, distance 5 (code 4 + 0 extra bits) reaches one byte too far.
        let dictionary: [UInt8] = [1, 2, 3, 4]
        var writer = DeflateBitWriter()
        let id = Adler32(dictionary).value
        writer.bits(0x78, 8)
        writer.bits(0xBB, 8)  // FDICT, FCHECK for 0x78
        for shift in [24, 16, 8, 0] { writer.bits(Int(id >> UInt32(shift) & 0xFF), 8) }
        writer.blockHeader(final: true, type: 1)
        writer.fixedSymbol(257)
        writer.code(4, 5)
        writer.bits(0, 1)
        writer.fixedSymbol(256)
        expectError(.badDistance, writer.bytes, dictionary: dictionary)
        // Distance 4 (code 3) is the dictionary's first byte: fine.
        var good = DeflateBitWriter()
        good.bits(0x78, 8)
        good.bits(0xBB, 8)
        for shift in [24, 16, 8, 0] { good.bits(Int(id >> UInt32(shift) & 0xFF), 8) }
        good.blockHeader(final: false, type: 1)
        good.fixedSymbol(257)
        good.code(3, 5)
        good.fixedSymbol(256)
        #expect(try inflate([good.bytes[...]], dictionary: dictionary) == [1, 2, 3])
    }

    @Test func fixedCodeSymbolsThatNeverOccur() {
        for symbol in [286, 287] {
            var writer = DeflateBitWriter.zlib()
            writer.blockHeader(final: true, type: 1)
            writer.fixedSymbol(symbol)
            writer.bits(0, 16)
            expectError(.badHuffmanTable, writer.bytes)
        }
        for distance in [30, 31] {
            var writer = DeflateBitWriter.zlib()
            writer.blockHeader(final: true, type: 1)
            writer.fixedSymbol(65)
            writer.fixedSymbol(257)
            writer.code(distance, 5)
            writer.bits(0, 16)
            expectError(.badDistance, writer.bytes)
        }
    }

    /// A dynamic block header: HLIT, HDIST, HCLEN and the code-length code lengths in transmission order.
    private func dynamicHeader(literals: Int = 257, distances: Int = 1, codeLengthLengths: [Int]) -> DeflateBitWriter {
        var writer = DeflateBitWriter.zlib()
        writer.blockHeader(final: true, type: 2)
        writer.bits(literals - 257, 5)
        writer.bits(distances - 1, 5)
        writer.bits(codeLengthLengths.count - 4, 4)
        for length in codeLengthLengths { writer.bits(length, 3) }
        return writer
    }

    @Test func overSubscribedCodeLengthCode() {
        // All 19 code-length symbols with 1-bit codes.
        var writer = dynamicHeader(codeLengthLengths: Array(repeating: 1, count: 19))
        writer.bits(0, 32)
        expectError(.badHuffmanTable, writer.bytes)
    }

    @Test func incompleteCodeLengthCode() {
        // Only symbol 16 (first in the order) gets a code, of 2 bits: incomplete.
        var writer = dynamicHeader(codeLengthLengths: [2, 0, 0, 0])
        writer.bits(0, 32)
        expectError(.badHuffmanTable, writer.bytes)
    }

    /// Code-length code: 16, 17, 18, 0 (the first four in the order) each 2 bits; canonical codes go by symbol
    /// value, so 0 -> 00, 16 -> 01, 17 -> 10, 18 -> 11.
    private func twoBitCodeLengthHeader(literals: Int = 257, distances: Int = 1) -> DeflateBitWriter {
        dynamicHeader(literals: literals, distances: distances, codeLengthLengths: [2, 2, 2, 2])
    }

    @Test func repeatWithNothingBefore() {
        var writer = twoBitCodeLengthHeader()
        writer.code(1, 2)  // symbol 16 first
        writer.bits(0, 2)
        writer.bits(0, 32)
        expectError(.badHuffmanTable, writer.bytes)
    }

    @Test func repeatPastTheEnd() {
        // 258 lengths in all; three 18s of 138 zeros each are 414.
        var writer = twoBitCodeLengthHeader()
        for _ in 0..<3 {
            writer.code(3, 2)
            writer.bits(127, 7)
        }
        writer.bits(0, 32)
        expectError(.badHuffmanTable, writer.bytes)
    }

    @Test func noEndOfBlockCode() {
        // All 258 lengths zero (two 18s: 138 + 120 zeros), so symbol 256 has no code.
        var writer = twoBitCodeLengthHeader()
        writer.code(3, 2)
        writer.bits(127, 7)  // 138 zeros
        writer.code(3, 2)
        writer.bits(120 - 11, 7)  // 120 zeros: 258 in all
        writer.bits(0, 32)
        expectError(.badHuffmanTable, writer.bytes)
    }

    @Test func tooManyLengthCodes() {
        var writer = DeflateBitWriter.zlib()
        writer.blockHeader(final: true, type: 2)
        writer.bits(30, 5)  // HLIT 287
        writer.bits(0, 5)
        writer.bits(0, 4)
        writer.bits(0, 32)
        expectError(.badHuffmanTable, writer.bytes)
    }

    /// An error is final: feeding the rest of a good stream afterwards still fails.
    @Test func errorsAreFinal() throws {
        var inflater = ZlibInflater()
        #expect(throws: ZlibError(.badHeader, "")) { try inflater.inflate([0x78, 0x9D], limit: 100) }
        #expect(throws: ZlibError(.badHeader, "")) {
            try inflater.inflate(SPDYGoldens.zlib("level6").allBytes, limit: 1 << 20)
        }
    }

    /// Pseudo-random garbage after a valid header never traps and never outgrows the limit.
    @Test func garbageNeverTraps() {
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2000 {
            var stream: [UInt8] = [0x78, 0x9C]
            for _ in 0..<64 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                stream.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            if let output = try? inflate([stream[...]], dictionary: nil, limit: 4096) {
                #expect(output.count <= 4096)
            }
        }
    }
}
