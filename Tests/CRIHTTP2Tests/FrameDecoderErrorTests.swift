import CRIHPACK
import CRIHTTP2
import Testing

/// The RFC 9113 § 4 and § 6 checks, each fed whole, byte by byte and split at every offset.
@Suite struct FrameDecoderErrorTests {
    /// A 9-octet frame header.
    static func header(length: Int, type: UInt8, flags: UInt8 = 0, stream: UInt32) -> [UInt8] {
        [
            UInt8(length >> 16), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
            UInt8(stream >> 24), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff),
        ]
    }

    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
        header(length: payload.count, type: type, flags: flags, stream: stream) + payload
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: HTTP2ErrorCode
        var testDescription: String { name }
    }

    static let connectionErrors: [Case] = [
        // RFC 9113 § 4.2: larger than our SETTINGS_MAX_FRAME_SIZE (the header alone suffices).
        Case(
            name: "DATA over max frame size", bytes: header(length: 16_385, type: 0x0, stream: 1), code: .frameSizeError
        ),
        Case(
            name: "SETTINGS over max frame size", bytes: header(length: 0xff_ffff, type: 0x4, stream: 0),
            code: .frameSizeError),
        // RFC 9113 § 6.1 / § 6.2: padding.
        Case(
            name: "DATA pad length = payload length",
            bytes: frame(type: 0x0, flags: 0x08, stream: 1, [0x05, 1, 2, 3, 4]),
            code: .protocolError),
        Case(
            name: "DATA pad length > payload", bytes: frame(type: 0x0, flags: 0x08, stream: 1, [0xff]),
            code: .protocolError),
        Case(
            name: "DATA padded without pad length", bytes: frame(type: 0x0, flags: 0x08, stream: 1, []),
            code: .frameSizeError),
        Case(
            name: "HEADERS padding eats priority",
            bytes: frame(
                type: 0x1, flags: 0x2c, stream: 1, [0x01, 0, 0, 0, 0, 0x10]), code: .protocolError),
        Case(
            name: "HEADERS too short for priority", bytes: frame(type: 0x1, flags: 0x24, stream: 1, [0, 0, 0]),
            code: .frameSizeError),
        Case(
            name: "PUSH_PROMISE too short", bytes: frame(type: 0x5, flags: 0x04, stream: 1, [0, 0]),
            code: .frameSizeError),
        // RFC 9113 § 6.2 / § 6.10: CONTINUATION sequencing.
        Case(
            name: "DATA inside a header block",
            bytes: frame(type: 0x1, stream: 1, [0x82]) + frame(type: 0x0, stream: 1, [0x61]), code: .protocolError),
        Case(
            name: "CONTINUATION on another stream",
            bytes: frame(type: 0x1, stream: 1, [0x82]) + frame(type: 0x9, flags: 0x04, stream: 3, [0x84]),
            code: .protocolError),
        Case(
            name: "unknown frame inside a header block",
            bytes: frame(type: 0x1, stream: 1, [0x82]) + frame(type: 0xfa, stream: 1, []), code: .protocolError),
        Case(
            name: "SETTINGS inside a header block",
            bytes: frame(type: 0x1, stream: 1, [0x82]) + frame(type: 0x4, stream: 0, []), code: .protocolError),
        Case(
            name: "HEADERS inside a header block",
            bytes: frame(type: 0x1, stream: 1, [0x82]) + frame(type: 0x1, flags: 0x04, stream: 1, [0x84]),
            code: .protocolError),
        Case(
            name: "CONTINUATION without HEADERS", bytes: frame(type: 0x9, flags: 0x04, stream: 1, [0x82]),
            code: .protocolError),
        Case(
            name: "CONTINUATION after a complete HEADERS",
            bytes: frame(type: 0x1, flags: 0x04, stream: 1, [0x82]) + frame(type: 0x9, flags: 0x04, stream: 1, [0x84]),
            code: .protocolError),
        // RFC 9113 § 4.3: a bad field block is COMPRESSION_ERROR.
        Case(name: "HPACK index 0", bytes: frame(type: 0x1, flags: 0x04, stream: 1, [0x80]), code: .compressionError),
        Case(
            name: "HPACK truncated across CONTINUATION",
            bytes: frame(type: 0x1, stream: 1, [0x82]) + frame(type: 0x9, flags: 0x04, stream: 1, [0x41]),
            code: .compressionError),
        // Frame sizes per type.
        Case(name: "SETTINGS length 5", bytes: frame(type: 0x4, stream: 0, [0, 1, 0, 0, 0]), code: .frameSizeError),
        Case(
            name: "SETTINGS ack with payload", bytes: frame(type: 0x4, flags: 0x01, stream: 0, [0, 1, 0, 0, 0x10, 0]),
            code: .frameSizeError),
        Case(name: "PING length 7", bytes: frame(type: 0x6, stream: 0, [0, 0, 0, 0, 0, 0, 0]), code: .frameSizeError),
        Case(
            name: "PING length 9", bytes: frame(type: 0x6, stream: 0, [0, 0, 0, 0, 0, 0, 0, 0, 0]),
            code: .frameSizeError),
        Case(name: "WINDOW_UPDATE length 3", bytes: frame(type: 0x8, stream: 0, [0, 0, 1]), code: .frameSizeError),
        Case(
            name: "WINDOW_UPDATE length 5", bytes: frame(type: 0x8, stream: 1, [0, 0, 0, 1, 0]), code: .frameSizeError),
        Case(name: "RST_STREAM length 5", bytes: frame(type: 0x3, stream: 1, [0, 0, 0, 8, 0]), code: .frameSizeError),
        Case(name: "RST_STREAM length 3", bytes: frame(type: 0x3, stream: 1, [0, 0, 8]), code: .frameSizeError),
        Case(
            name: "GOAWAY length 7", bytes: frame(type: 0x7, stream: 0, [0, 0, 0, 1, 0, 0, 0]), code: .frameSizeError),
        // Stream identifier rules.
        Case(name: "DATA on stream 0", bytes: frame(type: 0x0, stream: 0, [0x61]), code: .protocolError),
        Case(
            name: "HEADERS on stream 0", bytes: frame(type: 0x1, flags: 0x04, stream: 0, [0x82]), code: .protocolError),
        Case(name: "PRIORITY on stream 0", bytes: frame(type: 0x2, stream: 0, [0, 0, 0, 1, 0]), code: .protocolError),
        Case(name: "RST_STREAM on stream 0", bytes: frame(type: 0x3, stream: 0, [0, 0, 0, 8]), code: .protocolError),
        Case(
            name: "PUSH_PROMISE on stream 0", bytes: frame(type: 0x5, flags: 0x04, stream: 0, [0, 0, 0, 2, 0x82]),
            code: .protocolError),
        Case(
            name: "CONTINUATION on stream 0",
            bytes: frame(type: 0x9, flags: 0x04, stream: 0, [0x82]), code: .protocolError),
        Case(name: "SETTINGS on stream 1", bytes: frame(type: 0x4, stream: 1, []), code: .protocolError),
        Case(
            name: "PING on stream 1", bytes: frame(type: 0x6, stream: 1, [0, 0, 0, 0, 0, 0, 0, 0]), code: .protocolError
        ),
        Case(
            name: "GOAWAY on stream 1", bytes: frame(type: 0x7, stream: 1, [0, 0, 0, 0, 0, 0, 0, 0]),
            code: .protocolError),
        // RFC 9113 § 6.5.2 value ranges.
        Case(name: "ENABLE_PUSH 2", bytes: frame(type: 0x4, stream: 0, [0, 2, 0, 0, 0, 2]), code: .protocolError),
        Case(
            name: "INITIAL_WINDOW_SIZE 2^31", bytes: frame(type: 0x4, stream: 0, [0, 4, 0x80, 0, 0, 0]),
            code: .flowControlError),
        Case(
            name: "MAX_FRAME_SIZE 16383", bytes: frame(type: 0x4, stream: 0, [0, 5, 0, 0, 0x3f, 0xff]),
            code: .protocolError),
        Case(
            name: "MAX_FRAME_SIZE 2^24", bytes: frame(type: 0x4, stream: 0, [0, 5, 0x01, 0, 0, 0]), code: .protocolError
        ),
        // RFC 9113 § 6.9: a 0 increment on the connection.
        Case(
            name: "WINDOW_UPDATE 0 on stream 0", bytes: frame(type: 0x8, stream: 0, [0x80, 0, 0, 0]),
            code: .protocolError),
        // RFC 9113 § 3.4: a wrong preface when acting as a server is tested separately.
    ]

    @Test(arguments: connectionErrors)
    func rejectsAsConnectionError(_ testCase: Case) {
        expectDecodeError(testCase.bytes, connectionError(testCase.code))
    }

    static let streamErrors: [Case] = [
        // RFC 9113 § 6.3: PRIORITY of the wrong length is a stream error.
        Case(name: "PRIORITY length 4", bytes: frame(type: 0x2, stream: 3, [0, 0, 0, 1]), code: .frameSizeError),
        Case(name: "PRIORITY length 6", bytes: frame(type: 0x2, stream: 3, [0, 0, 0, 1, 0, 0]), code: .frameSizeError),
        // RFC 9113 § 5.3.1: a stream cannot depend on itself.
        Case(name: "PRIORITY on itself", bytes: frame(type: 0x2, stream: 3, [0, 0, 0, 3, 0]), code: .protocolError),
        Case(
            name: "HEADERS priority on itself",
            bytes: frame(type: 0x1, flags: 0x24, stream: 3, [0x80, 0, 0, 3, 0, 0x82]), code: .protocolError),
        // RFC 9113 § 6.9: a 0 increment on a stream.
        Case(
            name: "WINDOW_UPDATE 0 on a stream", bytes: frame(type: 0x8, stream: 3, [0, 0, 0, 0]),
            code: .protocolError),
    ]

    /// A stream error names stream 3 and leaves the decoder ready for the next frame.
    @Test(arguments: streamErrors)
    func streamErrorThenContinues(_ testCase: Case) throws {
        expectDecodeError(testCase.bytes, streamError(3, testCase.code))
        var decoder = HTTP2FrameDecoder()
        decoder.append(testCase.bytes + Self.frame(type: 0x6, stream: 0, [0, 0, 0, 0, 0, 0, 0, 9]))
        #expect(throws: streamError(3, testCase.code)) { try decoder.nextFrame() }
        #expect(try decoder.nextFrame() == HTTP2Frame(streamID: 0, payload: .ping(opaqueData: 9, ack: false)))
    }

    @Test func headerListTooLargeIsAStreamErrorAndKeepsHPACKInSync() throws {
        var decoder = HTTP2FrameDecoder(configuration: .init(maxHeaderListSize: 50))
        // ":authority: a" with incremental indexing (10 + 1 + 32 = 43) then ":method: GET" (42): 85 > 50.
        let tooLarge = Self.frame(type: 0x1, flags: 0x04, stream: 1, [0x41, 0x01, 0x61, 0x82])
        // Index 62 is the ":authority: a" entry the rejected block added.
        let next = Self.frame(type: 0x1, flags: 0x05, stream: 3, [0xbe])
        decoder.append(tooLarge + next)
        #expect(throws: streamError(1, .protocolError)) { try decoder.nextFrame() }
        let frame = try decoder.nextFrame()
        #expect(
            frame
                == HTTP2Frame(
                    streamID: 3,
                    payload: .headers(
                        HeadersPayload(
                            headers: [HPACKHeader(name: ":authority", value: "a")], endStream: true))))
    }

    @Test func continuationCountIsLimited() {
        let decoder = HTTP2FrameDecoder(configuration: .init(maxContinuationFrames: 2))
        let start = Self.frame(type: 0x1, stream: 1, [0x82])
        let empty = Self.frame(type: 0x9, stream: 1, [])
        let last = Self.frame(type: 0x9, flags: 0x04, stream: 1, [])
        // Two CONTINUATION frames are fine.
        expectDecodes(
            start + empty + last,
            [
                HTTP2Frame(
                    streamID: 1,
                    payload: .headers(
                        HeadersPayload(
                            headers: [HPACKHeader(name: ":method", value: "GET")])))
            ], decoder: decoder)
        // A third is ENHANCE_YOUR_CALM, before END_HEADERS ever arrives.
        expectDecodeError(start + empty + empty + empty, connectionError(.enhanceYourCalm), decoder: decoder)
    }

    @Test func headerBlockSizeIsLimited() {
        let decoder = HTTP2FrameDecoder(configuration: .init(maxHeaderBlockSize: 4))
        let fits =
            Self.frame(type: 0x1, stream: 1, [0x82, 0x86])
            + Self.frame(type: 0x9, flags: 0x04, stream: 1, [0x84, 0x82])
        expectDecodes(
            fits,
            [
                HTTP2Frame(
                    streamID: 1,
                    payload: .headers(
                        HeadersPayload(
                            headers: getRequestHeaders + [HPACKHeader(name: ":method", value: "GET")])))
            ], decoder: decoder)
        let tooBig =
            Self.frame(type: 0x1, stream: 1, [0x82, 0x86, 0x84]) + Self.frame(type: 0x9, stream: 1, [0x82, 0x82])
        expectDecodeError(tooBig, connectionError(.enhanceYourCalm), decoder: decoder)
        let firstTooBig = Self.frame(type: 0x1, stream: 1, [0x82, 0x86, 0x84, 0x82, 0x82])
        expectDecodeError(firstTooBig, connectionError(.enhanceYourCalm), decoder: decoder)
    }

    @Test func maxFrameSizeFollowsOurSetting() throws {
        let payload = [UInt8](repeating: 0x61, count: 16_385)
        let bytes = Self.frame(type: 0x0, stream: 1, payload)
        var decoder = HTTP2FrameDecoder()
        decoder.append(bytes)
        #expect(throws: connectionError(.frameSizeError)) { try decoder.nextFrame() }

        var larger = HTTP2FrameDecoder()
        larger.setMaxFrameSize(32_768)
        larger.append(bytes)
        #expect(
            try larger.nextFrame()
                == HTTP2Frame(
                    streamID: 1, payload: .data(bytes: payload, endStream: false, flowControlledLength: 16_385)))
    }

    @Test func wrongPrefaceIsAProtocolError() {
        var bytes = HTTP2ConnectionPreface.client
        bytes[5] = 0x21  // "PRI *!HTTP/2.0…"
        expectDecodeError(bytes, connectionError(.protocolError), decoder: HTTP2FrameDecoder(expectClientPreface: true))
        // An HTTP/1.1 request fails at its first differing octet.
        expectDecodeError(
            Array("GET / HTTP/1.1\r\n".utf8), connectionError(.protocolError),
            decoder: HTTP2FrameDecoder(expectClientPreface: true))
    }

    @Test func incompleteInputReturnsNil() throws {
        var decoder = HTTP2FrameDecoder()
        #expect(try decoder.nextFrame() == nil)
        decoder.append(Self.header(length: 4, type: 0x8, stream: 0))
        #expect(try decoder.nextFrame() == nil)
        decoder.append([0, 0, 0])
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bufferedByteCount == 12)
        decoder.append([1])
        #expect(try decoder.nextFrame() == HTTP2Frame(streamID: 0, payload: .windowUpdate(increment: 1)))
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func errorTypesCompareByCodeAndDescribeThemselves() {
        let error = HTTP2ConnectionError(code: .frameSizeError, reason: "PING not 8 octets")
        #expect(error == connectionError(.frameSizeError))
        #expect(error.description == "HTTP2ConnectionError(FRAME_SIZE_ERROR): PING not 8 octets")
        #expect(streamError(1, .cancel) != streamError(3, .cancel))
        #expect(
            HTTP2StreamError(streamID: 5, code: .cancel, reason: "x").description
                == "HTTP2StreamError(stream 5, CANCEL): x")
        #expect(HTTP2ErrorCode(rawValue: 0xd).description == "HTTP_1_1_REQUIRED")
        #expect(HTTP2ErrorCode(rawValue: 0xff).description == "UNKNOWN(0xff)")
        #expect(HTTP2SettingsParameter.maxHeaderListSize.description == "SETTINGS_MAX_HEADER_LIST_SIZE")
        #expect(HTTP2FrameType(rawValue: 0x8).description == "WINDOW_UPDATE")
    }
}

@Suite struct FrameDecoderSettingsTests {
    @Test func loweredHeaderTableSizeRequiresAnUpdateFromThePeer() throws {
        var decoder = HTTP2FrameDecoder()
        decoder.setHeaderTableSize(0)
        // RFC 7541 § 4.2: the first block after the change must start with a size update; without it the
        // block is undecodable, a COMPRESSION_ERROR (RFC 9113 § 4.3).
        decoder.append(FrameDecoderErrorTests.frame(type: 0x1, flags: 0x04, stream: 1, [0x82]))
        #expect(throws: connectionError(.compressionError)) { try decoder.nextFrame() }

        var updated = HTTP2FrameDecoder()
        updated.setHeaderTableSize(0)
        updated.append(FrameDecoderErrorTests.frame(type: 0x1, flags: 0x04, stream: 1, [0x20, 0x82]))
        #expect(
            try updated.nextFrame()
                == HTTP2Frame(
                    streamID: 1,
                    payload: .headers(HeadersPayload(headers: [HPACKHeader(name: ":method", value: "GET")]))))
    }

    @Test func maxHeaderListSizeCanChange() throws {
        var decoder = HTTP2FrameDecoder()
        decoder.setMaxHeaderListSize(41)
        decoder.append(FrameDecoderErrorTests.frame(type: 0x1, flags: 0x04, stream: 1, [0x82]))
        #expect(throws: streamError(1, .protocolError)) { try decoder.nextFrame() }
        #expect(decoder.configuration.maxHeaderListSize == 41)
    }
}
