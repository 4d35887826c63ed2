import Foundation
import Testing

@testable import CRIStreaming

/// Runs Python's zlib (the C library) on `stream`, each of `chunkCounts` chunk boundaries sync-flushed, and returns
/// what it inflates to; nil when python3 is not installed.
func pythonInflate(_ stream: [UInt8], dictionary: [UInt8]?) throws -> [UInt8]? {
    let python = "/usr/bin/python3"
    guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spdy-zlib-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("stream")
    let output = directory.appendingPathComponent("inflated")
    let dictionaryFile = directory.appendingPathComponent("dictionary")
    try Data(stream).write(to: input)
    try Data(dictionary ?? []).write(to: dictionaryFile)
    let script = """
        import sys, zlib
        zdict = open(sys.argv[3], "rb").read()
        d = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
        data = d.decompress(open(sys.argv[1], "rb").read())
        assert not d.unused_data and not d.unconsumed_tail, "trailing bytes"
        open(sys.argv[2], "wb").write(data)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script, input.path, output.path, dictionaryFile.path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ZlibError(.badBlock, "python's zlib refused the stream") }
    return try [UInt8](Data(contentsOf: output))
}

extension ZlibInflater {
    /// Inflates `stream` with a fresh inflater and no output limit to speak of.
    func inflateOnce(_ stream: [UInt8]) throws(ZlibError) -> [UInt8] {
        var inflater = self
        return try inflater.inflate(stream, limit: 1 << 24)
    }
}

/// Pseudo-random words: text with repeats near and far, so the deflater finds matches (and long ones).
func pseudoText(_ count: Int, seed: UInt64) -> [UInt8] {
    let words = ["container", "pod", "sandbox", "exec", "stdin", "stdout", "kubelet", "streamtype", "a", "the", " "]
    var text: [UInt8] = []
    var choice = pseudoRandomBytes(count, seed: seed).makeIterator()
    while text.count < count, let next = choice.next() {
        text += Array(words[Int(next) % words.count].utf8)
        text.append(next % 7 == 0 ? 0x0A : 0x20)
    }
    return Array(text.prefix(count))
}

/// A fixed pseudo-random byte sequence (seeded, so failures reproduce).
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

@Suite struct ZlibDeflaterTests {
    /// The sizes each call compresses: empty, tiny, exactly one stored block, one past it, several blocks.
    static let sizes = [0, 1, 100, 65535, 65536, 200_000]

    @Test func writesTheZlibHeaderOnceWithFDICT() throws {
        var deflater = ZlibDeflater(dictionary: SPDYDictionary.bytes)
        let first = deflater.deflateSync([1, 2, 3])
        // CMF 0x78; FLG: FLEVEL 0 (fastest), FDICT, FCHECK 0 (0x7820 is a multiple of 31); the dictionary's
        // Adler-32; then a block and the sync flush's LEN and NLEN.
        #expect(first.prefix(6) == [0x78, 0x20, 0xE3, 0xC6, 0xA7, 0xC2])
        #expect((UInt16(first[0]) << 8 | UInt16(first[1])) % 31 == 0)
        #expect(first.suffix(4) == [0x00, 0x00, 0xFF, 0xFF])
        #expect(try ZlibInflater(dictionary: SPDYDictionary.bytes).inflateOnce(first) == [1, 2, 3])
        // Later calls: no header; nothing to send is the bare sync flush.
        #expect(deflater.deflateSync([]) == [0x00, 0x00, 0x00, 0xFF, 0xFF])
        var plain = ZlibDeflater()
        #expect(plain.deflateSync([]) == [0x78, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xFF])
    }

    /// Header blocks refer into the dictionary and into earlier blocks: far smaller than the raw bytes.
    @Test func compressesRepeatedHeaders() throws {
        var deflater = ZlibDeflater(dictionary: SPDYDictionary.bytes)
        var inflater = ZlibInflater(dictionary: SPDYDictionary.bytes)
        let block = SPDYHeaderBlock.encode(
            SPDYHeaders([("content-type", "text/plain"), ("streamtype", "stdout"), ("user-agent", "kubectl/v1.31")]))
        let first = deflater.deflateSync(block)
        let second = deflater.deflateSync(block)
        #expect(first.count < block.count, "\(first.count) bytes for \(block.count)")
        #expect(second.count < 16, "a repeated block is one match: \(second.count) bytes")
        #expect(try inflater.inflate(first, limit: 1024) == block)
        #expect(try inflater.inflate(second, limit: 1024) == block)
    }

    /// Incompressible input goes out stored: 5 bytes per 64 KiB block plus the 5-byte flush, never more.
    @Test func storesIncompressibleInput() {
        var deflater = ZlibDeflater()
        _ = deflater.deflateSync([])
        for count in [1, 1000, 65535, 65536, 140_000] {
            let input = pseudoRandomBytes(count, seed: UInt64(count))
            #expect(deflater.deflateSync(input).count <= count + 5 * ((count + 65534) / 65535) + 5)
        }
    }

    @Test(arguments: [false, true])
    func roundTripsThroughOurInflater(withDictionary: Bool) throws {
        let dictionary = withDictionary ? SPDYDictionary.bytes : nil
        var deflater = ZlibDeflater(dictionary: dictionary)
        var inflater = ZlibInflater(dictionary: dictionary)
        for (index, size) in Self.sizes.enumerated() {
            for input in [pseudoRandomBytes(size, seed: UInt64(index)), pseudoText(size, seed: UInt64(index))] {
                #expect(try inflater.inflate(deflater.deflateSync(input), limit: size) == input)
            }
        }
    }

    /// The C zlib inflates what we write, with and without the SPDY dictionary, across sync-flushed calls.
    @Test(arguments: [false, true])
    func pythonsZlibInflatesOurStream(withDictionary: Bool) throws {
        let dictionary = withDictionary ? SPDYDictionary.bytes : nil
        var deflater = ZlibDeflater(dictionary: dictionary)
        var stream: [UInt8] = []
        var expected: [UInt8] = []
        for (index, size) in Self.sizes.enumerated() {
            for input in [pseudoRandomBytes(size, seed: UInt64(100 + index)), pseudoText(size, seed: UInt64(index))] {
                stream += deflater.deflateSync(input)
                expected += input
            }
        }
        #expect(stream.count < expected.count * 3 / 4, "the text half compresses")
        let inflated = try #require(try pythonInflate(stream, dictionary: dictionary), "python3 is needed")
        #expect(inflated == expected)
    }
}
