import Testing

@testable import CRIStreaming

/// Decodes `pieces` in order with one decoder; returns the frames, or the error that ended decoding.
func decodeFrames(
    _ pieces: [ArraySlice<UInt8>], maxFrameLength: Int = 16 * 1024 * 1024, maxHeaderBlockSize: Int = 256 * 1024
) -> (frames: [SPDYFrame], error: SPDYError?) {
    SPDYFrameDecoder.decode(pieces, maxFrameLength: maxFrameLength, maxHeaderBlockSize: maxHeaderBlockSize)
}

/// Encodes `frames` in order with one encoder.
func encodeFrames(_ frames: [SPDYFrame]) throws(SPDYError) -> [UInt8] {
    var encoder = SPDYFrameEncoder()
    var bytes: [UInt8] = []
    for frame in frames {
        try encoder.encode(frame, into: &bytes)
    }
    return bytes
}

@Suite struct SPDYFrameCodecTests {
    static let golden = SPDYGoldens.shared.spdyStreams[0]
    /// The second golden run continues the first one's header stream.
    static let large = SPDYGoldens.shared.spdyStreams[1]

    /// Frames Python laid out, header blocks compressed by the C zlib with the SPDY dictionary.
    @Test func decodesPythonFrames() throws {
        let result = decodeFrames([Self.golden.wireBytes[...], Self.large.wireBytes[...]])
        #expect(result.error == nil)
        #expect(result.frames == Self.golden.expectedFrames + Self.large.expectedFrames)
        #expect(result.frames.count == 18)
    }

    @Test func decodesPythonFramesByteByByte() {
        let wire = Self.golden.wireBytes + Self.large.wireBytes
        let result = decodeFrames(wire.indices.map { wire[$0...$0] })
        #expect(result.error == nil)
        #expect(result.frames == Self.golden.expectedFrames + Self.large.expectedFrames)
    }

    @Test func decodesPythonFramesSplitAtEveryByte() {
        let wire = Self.golden.wireBytes
        let expected = Self.golden.expectedFrames
        for split in 0...wire.count {
            let result = decodeFrames([wire[..<split], wire[split...]])
            guard result.error == nil, result.frames == expected else {
                Issue.record("split at \(split): \(result.error.map(String.init(describing:)) ?? "different frames")")
                return
            }
        }
    }

    /// What we encode, we decode to the same frames, header blocks sharing one zlib stream.
    @Test func roundTripsEveryFrameType() throws {
        let frames =
            Self.golden.expectedFrames + Self.large.expectedFrames + [
                .synStream(
                    streamID: 0x7FFF_FFFF, associatedTo: 0x7FFF_FFFD, priority: 7, fin: true, unidirectional: true,
                    headers: SPDYHeaders([("Mixed-Case", "Kept As Given"), ("values", "a\u{0}b"), ("empty", "")])),
                .synReply(streamID: 9, fin: false, headers: SPDYHeaders()),
                .headers(streamID: 9, fin: false, headers: SPDYHeaders([("x", String(repeating: "y", count: 70_000))])),
                .settings(clearPrevious: false, []),
                .data(streamID: 11, fin: false, payload: []),
            ]
        let bytes = try encodeFrames(frames)
        let result = decodeFrames([bytes[...]])
        #expect(result.error == nil)
        var expected = frames
        expected[frames.count - 5] = .synStream(
            streamID: 0x7FFF_FFFF, associatedTo: 0x7FFF_FFFD, priority: 7, fin: true, unidirectional: true,
            headers: SPDYHeaders([("mixed-case", "Kept As Given"), ("values", "a\u{0}b"), ("empty", "")]))
        #expect(result.frames == expected)
        #expect(decodeFrames(bytes.indices.map { bytes[$0...$0] }).frames == expected)
    }

    /// The fixed-layout frames, byte for byte as the draft draws them (§ 2.2, 2.6).
    @Test func encodesTheDraftsLayouts() throws {
        #expect(
            try encodeFrames([.ping(id: 0x0102_0304)]) == [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 1, 2, 3, 4])
        #expect(
            try encodeFrames([.rstStream(streamID: 5, status: SPDYRstStatus.cancel.rawValue)])
                == [0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 5, 0, 0, 0, 5])
        #expect(
            try encodeFrames([.windowUpdate(streamID: 0, delta: 0x8000_0001)])
                == [0x80, 0x03, 0x00, 0x09, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(
            try encodeFrames([.goAway(lastGoodStreamID: 0x8000_0003, status: 2)])
                == [0x80, 0x03, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 3, 0, 0, 0, 2])
        #expect(
            try encodeFrames([.settings(clearPrevious: true, [SPDYSetting(id: 7, flags: 1, value: 65536)])])
                == [0x80, 0x03, 0x00, 0x04, 0x01, 0x00, 0x00, 0x0C, 0, 0, 0, 1, 0x01, 0, 0, 7, 0, 1, 0, 0])
        #expect(
            try encodeFrames([.data(streamID: 3, fin: true, payload: [0xAA])])
                == [0, 0, 0, 3, 0x01, 0, 0, 1, 0xAA])
        // SYN_STREAM: stream ID, associated ID, priority in the top 3 bits, slot 0, then the header block.
        let syn = try encodeFrames([
            .synStream(
                streamID: 1, associatedTo: 0, priority: 3, fin: false, unidirectional: true, headers: SPDYHeaders())
        ])
        #expect(
            syn.prefix(18) == [
                0x80, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, UInt8(syn.count - 8), 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0,
            ])
    }

    @Test func splitsDataLongerThanALengthField() throws {
        let payload = pseudoRandomBytes(0xFF_FFFF + 10, seed: 7)
        let bytes = try encodeFrames([.data(streamID: 1, fin: true, payload: payload)])
        let result = decodeFrames([bytes[...]])
        #expect(result.error == nil)
        #expect(
            result.frames == [
                .data(streamID: 1, fin: false, payload: Array(payload.prefix(0xFF_FFFF))),
                .data(streamID: 1, fin: true, payload: Array(payload.suffix(10))),
            ])
    }

    @Test func refusesHeaderBlocksNoFrameCanCarry() throws {
        var encoder = SPDYFrameEncoder()
        var bytes: [UInt8] = []
        let huge = SPDYHeaders([("x", String(repeating: "y", count: SPDYFrameEncoder.maxHeaderBlockSize))])
        #expect(throws: SPDYError(.headerBlockTooLarge, "")) {
            try encoder.encode(.synReply(streamID: 1, fin: false, headers: huge), into: &bytes)
        }
        #expect(bytes.isEmpty)
        // The header stream did not advance: the next frame still decodes.
        try encoder.encode(.synReply(streamID: 1, fin: false, headers: SPDYHeaders([("a", "b")])), into: &bytes)
        #expect(
            decodeFrames([bytes[...]]).frames == [
                .synReply(streamID: 1, fin: false, headers: SPDYHeaders([("a", "b")]))
            ])
    }

    @Test func headersKeepOrderAndFirstValueLookup() {
        var headers = SPDYHeaders([("StreamType", "error")])
        headers.add("streamtype", "second")
        headers.add("Port", "80")
        #expect(headers["STREAMTYPE"] == "error")
        #expect(headers["port"] == "80")
        #expect(headers["missing"] == nil)
        #expect(headers.pairs.map(\.name) == ["streamtype", "streamtype", "port"])
        #expect(headers.count == 3)
    }

    @Test func rstStatusRawValues() {
        #expect(SPDYRstStatus.protocolError.rawValue == 1)
        #expect(SPDYRstStatus.cancel.rawValue == 5)
        #expect(SPDYRstStatus.frameTooLarge.rawValue == 11)
        #expect(SPDYRstStatus(rawValue: 12) == nil)
    }
}
