import CRIHPACK
import CRIHTTP2
import Testing

@Suite struct FrameEncoderTests {
    /// Splits encoded bytes into (length, type, flags, stream) frame headers, checking lengths add up.
    private func frameHeaders(_ bytes: [UInt8]) -> [(length: Int, type: UInt8, flags: UInt8, stream: UInt32)] {
        var result: [(Int, UInt8, UInt8, UInt32)] = []
        var offset = 0
        while offset + 9 <= bytes.count {
            let length = Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            let stream =
                UInt32(bytes[offset + 5]) << 24 | UInt32(bytes[offset + 6]) << 16
                | UInt32(bytes[offset + 7]) << 8 | UInt32(bytes[offset + 8])
            result.append((length, bytes[offset + 3], bytes[offset + 4], stream))
            offset += 9 + length
        }
        #expect(offset == bytes.count)
        return result
    }

    @Test func largeHeadersAreSplitIntoContinuationFrames() throws {
        let big = [HPACKHeader(name: "x-big", value: String(repeating: "v", count: 40_000))]
        let frame = HTTP2Frame(streamID: 1, payload: .headers(HeadersPayload(headers: big, endStream: true)))
        let bytes = encodeFrames([frame])
        let headers = frameHeaders(bytes)
        // Block: 0x40, name (1 + 5), value length (4 octets for 40000), value: 40011 octets.
        #expect(headers.map(\.length) == [16_384, 16_384, 7_243])
        #expect(headers.map(\.type) == [0x1, 0x9, 0x9])
        #expect(headers.map(\.flags) == [0x01, 0x00, 0x04])  // END_STREAM first, END_HEADERS last
        #expect(headers.allSatisfy { $0.stream == 1 })

        var decoder = HTTP2FrameDecoder()
        decoder.append(bytes)
        #expect(try decoder.nextFrame() == frame)
    }

    @Test func splittingFollowsThePeerMaxFrameSize() {
        var encoder = HTTP2FrameEncoder(useHuffman: false)
        encoder.setPeerMaxFrameSize(20_000)
        #expect(encoder.peerMaxFrameSize == 20_000)
        let big = [HPACKHeader(name: "x-big", value: String(repeating: "v", count: 40_000))]
        let bytes = encodeFrames(
            [HTTP2Frame(streamID: 1, payload: .headers(HeadersPayload(headers: big)))], encoder: encoder)
        #expect(frameHeaders(bytes).map(\.length) == [20_000, 20_000, 11])
        // Values outside RFC 9113 § 6.5.2's range are clamped.
        encoder.setPeerMaxFrameSize(100)
        #expect(encoder.peerMaxFrameSize == 16_384)
        encoder.setPeerMaxFrameSize(1 << 30)
        #expect(encoder.peerMaxFrameSize == (1 << 24) - 1)
    }

    @Test func headersWithPriorityLeaveRoomForThePriorityFields() throws {
        let big = [HPACKHeader(name: "x-big", value: String(repeating: "v", count: 20_000))]
        let priority = PriorityPayload(exclusive: false, dependency: 0, weight: 15)
        let frame = HTTP2Frame(streamID: 3, payload: .headers(HeadersPayload(headers: big, priority: priority)))
        let bytes = encodeFrames([frame])
        let headers = frameHeaders(bytes)
        #expect(headers.map(\.length) == [16_384, 20_011 - 16_379])
        #expect(headers.map(\.flags) == [0x20, 0x04])
        var decoder = HTTP2FrameDecoder()
        decoder.append(bytes)
        #expect(try decoder.nextFrame() == frame)
    }

    @Test func pushPromiseIsSplitToo() throws {
        let big = [HPACKHeader(name: "x-big", value: String(repeating: "v", count: 20_000))]
        let frame = HTTP2Frame(streamID: 1, payload: .pushPromise(promisedStreamID: 2, headers: big))
        let bytes = encodeFrames([frame])
        #expect(frameHeaders(bytes).map(\.type) == [0x5, 0x9])
        #expect(frameHeaders(bytes).map(\.flags) == [0x00, 0x04])
        var decoder = HTTP2FrameDecoder()
        decoder.append(bytes)
        #expect(try decoder.nextFrame() == frame)
    }

    @Test func dataFastPathMatchesTheGenericEncoding() {
        let encoder = HTTP2FrameEncoder()
        var fast: [UInt8] = []
        encoder.encodeData(streamID: 5, bytes: [1, 2, 3], endStream: true, into: &fast)
        #expect(
            fast == [
                0x00, 0x00, 0x03,  // length 3
                0x00,  // type DATA
                0x01,  // flags END_STREAM
                0x00, 0x00, 0x00, 0x05,  // stream 5
                0x01, 0x02, 0x03,  // payload
            ])
        let generic = encodeFrames([
            HTTP2Frame(streamID: 5, payload: .data(bytes: [1, 2, 3], endStream: true, flowControlledLength: 3))
        ])
        #expect(fast == generic)

        var headerOnly: [UInt8] = []
        HTTP2FrameEncoder.encodeDataFrameHeader(streamID: 5, length: 3, endStream: true, into: &headerOnly)
        #expect(headerOnly == Array(fast[0..<9]))
    }

    @Test func largeDataIsSplitWithEndStreamOnTheLast() throws {
        let payload = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        var bytes: [UInt8] = []
        HTTP2FrameEncoder().encodeData(streamID: 1, bytes: payload[...], endStream: true, into: &bytes)
        let headers = frameHeaders(bytes)
        #expect(headers.map(\.length) == [16_384, 16_384, 7_232])
        #expect(headers.map(\.flags) == [0x00, 0x00, 0x01])
        var decoder = HTTP2FrameDecoder()
        decoder.append(bytes)
        var joined: [UInt8] = []
        var ended = false
        while let frame = try decoder.nextFrame() {
            guard case .data(let chunk, let endStream, _) = frame.payload else {
                Issue.record("not DATA")
                return
            }
            joined += chunk
            ended = endStream
        }
        #expect(joined == payload)
        #expect(ended)
    }

    @Test func peerHeaderTableSizeChangeIsSignalledInTheNextBlock() throws {
        var encoder = HTTP2FrameEncoder(useHuffman: false)
        encoder.setPeerHeaderTableSize(0)
        let frame = HTTP2Frame(
            streamID: 1, payload: .headers(HeadersPayload(headers: [HPACKHeader(name: ":method", value: "GET")])))
        let bytes = encodeFrames([frame], encoder: encoder)
        #expect(
            bytes == [
                0x00, 0x00, 0x02,  // length 2
                0x01,  // type HEADERS
                0x04,  // flags END_HEADERS
                0x00, 0x00, 0x00, 0x01,  // stream 1
                0x20,  // HPACK dynamic table size update to 0
                0x82,  // :method GET
            ])
    }

    @Test func encoderAndDecoderStayInSyncAcrossManyBlocks() throws {
        var encoder = HTTP2FrameEncoder()
        var decoder = HTTP2FrameDecoder()
        var bytes: [UInt8] = []
        var frames: [HTTP2Frame] = []
        for stream in stride(from: UInt32(1), to: 200, by: 2) {
            let headers = [
                HPACKHeader(name: ":method", value: "POST"),
                HPACKHeader(name: ":path", value: "/runtime.v1.RuntimeService/ListContainers"),
                HPACKHeader(name: "content-type", value: "application/grpc"),
                HPACKHeader(name: "te", value: "trailers"),
                HPACKHeader(name: "x-request", value: "\(stream)"),
                HPACKHeader(name: "authorization", value: "secret", indexing: .neverIndexed),
            ]
            let frame = HTTP2Frame(streamID: stream, payload: .headers(HeadersPayload(headers: headers)))
            frames.append(frame)
            encoder.encode(frame, into: &bytes)
        }
        decoder.append(bytes)
        var decoded: [HTTP2Frame] = []
        while let frame = try decoder.nextFrame() { decoded.append(frame) }
        #expect(decoded == frames)
    }
}
