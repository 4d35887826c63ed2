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

    @Test func writesTheZlibHeaderOnceWithFDICT() {
        var deflater = ZlibDeflater(dictionary: SPDYDictionary.bytes)
        let first = deflater.deflateSync([1, 2, 3])
        // CMF 0x78; FLG: FLEVEL 0 (stored is the fastest level), FDICT, FCHECK 0 (0x7820 is a multiple of 31);
        // the dictionary's Adler-32; then the stored block and the flush.
        #expect(first.prefix(6) == [0x78, 0x20, 0xE3, 0xC6, 0xA7, 0xC2])
        #expect((UInt16(first[0]) << 8 | UInt16(first[1])) % 31 == 0)
        #expect(first.dropFirst(6) == [0x00, 0x03, 0x00, 0xFC, 0xFF, 1, 2, 3, 0x00, 0x00, 0x00, 0xFF, 0xFF])
        #expect(deflater.deflateSync([]) == [0x00, 0x00, 0x00, 0xFF, 0xFF])
        var plain = ZlibDeflater()
        #expect(plain.deflateSync([]).prefix(2) == [0x78, 0x01])
    }

    @Test(arguments: [false, true])
    func roundTripsThroughOurInflater(withDictionary: Bool) throws {
        let dictionary = withDictionary ? SPDYDictionary.bytes : nil
        var deflater = ZlibDeflater(dictionary: dictionary)
        var inflater = ZlibInflater(dictionary: dictionary)
        for (index, size) in Self.sizes.enumerated() {
            let input = pseudoRandomBytes(size, seed: UInt64(index))
            #expect(try inflater.inflate(deflater.deflateSync(input), limit: size) == input)
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
            let input = pseudoRandomBytes(size, seed: UInt64(100 + index))
            stream += deflater.deflateSync(input)
            expected += input
        }
        let inflated = try #require(try pythonInflate(stream, dictionary: dictionary), "python3 is needed")
        #expect(inflated == expected)
    }
}
