import Testing

@testable import CRIStreaming

/// Frames a conforming peer never sends: each fails with its typed error, checked before any allocation.
@Suite struct SPDYHostileFrameTests {
    private func control(_ type: UInt16, flags: UInt8 = 0, version: UInt16 = 3, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [
            0x80 | UInt8(version >> 8), UInt8(version & 0xFF), UInt8(type >> 8), UInt8(type & 0xFF), flags,
            UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
        ] + payload
    }

    private func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private func expectError(
        _ code: SPDYError.Code, _ bytes: [UInt8], maxFrameLength: Int = 1 << 20, maxHeaderBlockSize: Int = 64 * 1024,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let whole = decodeFrames([bytes[...]], maxFrameLength: maxFrameLength, maxHeaderBlockSize: maxHeaderBlockSize)
        #expect(whole.error?.code == code, "\(String(describing: whole.error))", sourceLocation: sourceLocation)
        let bytewise = decodeFrames(
            bytes.indices.map { bytes[$0...$0] }, maxFrameLength: maxFrameLength, maxHeaderBlockSize: maxHeaderBlockSize
        )
        #expect(bytewise.error?.code == code, "byte by byte", sourceLocation: sourceLocation)
    }

    /// A header block: our raw layout, deflated the way our encoder does.
    private func block(_ raw: [UInt8]) -> [UInt8] {
        var deflater = ZlibDeflater(dictionary: SPDYDictionary.bytes)
        return deflater.deflateSync(raw)
    }

    @Test func lengthOverTheLimitFailsOnTheHeaderAlone() {
        // 8 bytes announcing 16 MiB - 1 fail at once (not after buffering), data and control frames alike.
        expectError(.frameTooLarge, [0, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF])
        expectError(.frameTooLarge, [0x80, 3, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0, 0])
    }

    @Test func aHugeLengthWithinTheLimitWaitsWithoutFailing() {
        // The default limit allows 0xFFFFFF: 10 bytes of it are simply not a frame yet.
        let result = decodeFrames([[0, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 1, 2][...]])
        #expect(result.error == nil && result.frames.isEmpty)
    }

    @Test func otherVersions() {
        expectError(.unsupportedVersion, control(6, version: 2, [0, 0, 0, 1]))
        expectError(.unsupportedVersion, control(6, version: 0x7FFF, [0, 0, 0, 1]))
    }

    @Test func fixedLengthFramesOfTheWrongLength() {
        expectError(.protocolError, control(3, [0, 0, 0, 1]))  // RST_STREAM of 4
        expectError(.protocolError, control(6, [0, 0, 0, 1, 0]))  // PING of 5
        expectError(.protocolError, control(7, [0, 0, 0, 1]))  // GOAWAY of 4 (SPDY/2's size)
        expectError(.protocolError, control(9, [0, 0, 0, 1, 0, 0, 0]))  // WINDOW_UPDATE of 7
        expectError(.protocolError, control(1, [0, 0, 0, 1, 0, 0, 0, 0, 0]))  // SYN_STREAM under 10
        expectError(.protocolError, control(2, [0, 0, 1]))  // SYN_REPLY under 4
        expectError(.protocolError, control(8, []))  // HEADERS under 4
    }

    @Test func settingsCountAgainstLength() {
        expectError(.protocolError, control(4, be32(2) + [0, 0, 0, 7] + be32(1)))
        expectError(.protocolError, control(4, be32(0x8000_0000)))
        expectError(.protocolError, control(4, [0, 0]))
    }

    /// A block claiming 2^31 pairs (or a name or value longer than the block) is refused before allocating.
    @Test func headerFieldsPastTheBlock() {
        let pairs = be32(0x8000_0000) + be32(1) + [0x61] + be32(0)
        expectError(.protocolError, control(2, be32(1) + block(pairs)))
        let longName = be32(1) + be32(0x7FFF_FFFF) + [0x61]
        expectError(.protocolError, control(2, be32(1) + block(longName)))
        let longValue = be32(1) + be32(1) + [0x61] + be32(1000) + [0x62]
        expectError(.protocolError, control(2, be32(1) + block(longValue)))
        let trailing = be32(1) + be32(1) + [0x61] + be32(0) + [0]
        expectError(.protocolError, control(2, be32(1) + block(trailing)))
        let emptyName = be32(1) + be32(0) + be32(1) + [0x62]
        expectError(.protocolError, control(2, be32(1) + block(emptyName)))
        expectError(.protocolError, control(2, be32(1) + block([0, 0])))
    }

    /// A thousand bytes that inflate to 1 MiB: stopped at the header block limit.
    @Test func headerBomb() {
        let bomb = bytes(hex: SPDYGoldens.shared.bombs.spdyBlock)
        #expect(bomb.count < 1100)
        expectError(.headerBlockTooLarge, control(1, be32(1) + be32(0) + [0, 0] + bomb))
        // Within a generous limit the same frame is only a protocol error (1 MiB of zeros is no header block).
        expectError(
            .protocolError, control(1, be32(1) + be32(0) + [0, 0] + bomb), maxFrameLength: 1 << 20,
            maxHeaderBlockSize: 2 << 20)
    }

    @Test func headerBlocksThatAreNotTheStream() {
        expectError(.compression, control(2, be32(1) + [0x78, 0x9C, 0xFF, 0xFF]))
        // A valid zlib stream, but without the SPDY dictionary the peer must use.
        var plain = ZlibDeflater()
        expectError(
            .compression, control(2, be32(1) + [0x78, 0xBB, 0, 0, 0, 1] + plain.deflateSync(be32(0)).dropFirst(2)))
    }

    /// The reserved bit above each 31-bit stream ID (and window delta) is ignored on receipt, as § 2.2 says.
    @Test func reservedBitsAreIgnored() throws {
        let frames = decodeFrames([
            (control(3, be32(0x8000_0005) + be32(5)) + control(9, be32(0x8000_0003) + be32(0x8000_0010))
                + control(7, be32(0x8000_0007) + be32(0)))[...]
        ])
        #expect(frames.error == nil)
        #expect(
            frames.frames == [
                .rstStream(streamID: 5, status: 5), .windowUpdate(streamID: 3, delta: 0x10),
                .goAway(lastGoodStreamID: 7, status: 0),
            ])
    }

    @Test func errorsAreFinal() throws {
        var decoder = SPDYFrameDecoder()
        decoder.append(control(6, version: 2, [0, 0, 0, 1]))
        #expect(throws: SPDYError(.unsupportedVersion, "")) { try decoder.nextFrame() }
        decoder.append(try encodeFrames([.ping(id: 1)]))
        #expect(throws: SPDYError(.unsupportedVersion, "")) { try decoder.nextFrame() }
    }

    /// An unknown control type announcing 16 MiB is skipped as its bytes arrive, never buffered.
    @Test func skipsAHugeUnknownFrameAsItArrives() throws {
        var decoder = SPDYFrameDecoder(maxFrameLength: 1024)
        decoder.append([0x80, 3, 0x00, 0x0B, 0, 0xFF, 0xFF, 0xFF])
        #expect(try decoder.nextFrame() == nil)
        let chunk = [UInt8](repeating: 0xEE, count: 0x10000)
        for _ in 0..<0xFF {
            decoder.append(chunk)
            #expect(try decoder.nextFrame() == nil)
        }
        decoder.append([UInt8](repeating: 0xEE, count: 0xFFFF) + (try encodeFrames([.ping(id: 9)])))
        #expect(try decoder.nextFrame() == .ping(id: 9))
    }
}
