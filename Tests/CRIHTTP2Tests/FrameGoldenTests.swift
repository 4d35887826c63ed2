import CRIHPACK
import CRIHTTP2
import Testing

/// Every frame type as exact bytes, both directions: encode → bytes and bytes → frame (whole, byte by byte,
/// split at every offset).
@Suite struct FrameGoldenTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var name: String
        var frame: HTTP2Frame
        var bytes: [UInt8]
        var testDescription: String { name }
    }

    static let goldens: [Golden] = [
        Golden(
            name: "DATA",
            frame: HTTP2Frame(
                streamID: 1, payload: .data(bytes: Array("hello".utf8), endStream: true, flowControlledLength: 5)),
            bytes: [
                0x00, 0x00, 0x05,  // length 5
                0x00,  // type DATA
                0x01,  // flags END_STREAM
                0x00, 0x00, 0x00, 0x01,  // stream 1
                0x68, 0x65, 0x6c, 0x6c, 0x6f,  // "hello"
            ]),
        Golden(
            name: "DATA empty",
            frame: HTTP2Frame(
                streamID: 3, payload: .data(bytes: [], endStream: false, flowControlledLength: 0)),
            bytes: [
                0x00, 0x00, 0x00,  // length 0
                0x00,  // type DATA
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x03,  // stream 3
            ]),
        Golden(
            name: "HEADERS",
            frame: HTTP2Frame(
                streamID: 3, payload: .headers(HeadersPayload(headers: getRequestHeaders, endStream: true))),
            bytes: [
                0x00, 0x00, 0x03,  // length 3
                0x01,  // type HEADERS
                0x05,  // flags END_STREAM | END_HEADERS
                0x00, 0x00, 0x00, 0x03,  // stream 3
                0x82, 0x86, 0x84,  // HPACK: :method GET, :scheme http, :path /
            ]),
        Golden(
            name: "HEADERS with priority",
            frame: HTTP2Frame(
                streamID: 3,
                payload: .headers(
                    HeadersPayload(
                        headers: [HPACKHeader(name: ":method", value: "GET")], endStream: false,
                        priority: PriorityPayload(exclusive: true, dependency: 1, weight: 15)))),
            bytes: [
                0x00, 0x00, 0x06,  // length 6
                0x01,  // type HEADERS
                0x24,  // flags PRIORITY | END_HEADERS
                0x00, 0x00, 0x00, 0x03,  // stream 3
                0x80, 0x00, 0x00, 0x01,  // E=1, stream dependency 1
                0x0f,  // weight 15 (16)
                0x82,  // HPACK: :method GET
            ]),
        Golden(
            name: "PRIORITY",
            frame: HTTP2Frame(
                streamID: 5, payload: .priority(PriorityPayload(exclusive: false, dependency: 3, weight: 255))),
            bytes: [
                0x00, 0x00, 0x05,  // length 5
                0x02,  // type PRIORITY
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x05,  // stream 5
                0x00, 0x00, 0x00, 0x03,  // E=0, stream dependency 3
                0xff,  // weight 255 (256)
            ]),
        Golden(
            name: "RST_STREAM", frame: HTTP2Frame(streamID: 1, payload: .rstStream(.cancel)),
            bytes: [
                0x00, 0x00, 0x04,  // length 4
                0x03,  // type RST_STREAM
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x01,  // stream 1
                0x00, 0x00, 0x00, 0x08,  // CANCEL
            ]),
        Golden(
            name: "SETTINGS",
            frame: HTTP2Frame(
                streamID: 0,
                payload: .settings(
                    SettingsPayload(settings: [
                        HTTP2Setting(parameter: .enablePush, value: 0),
                        HTTP2Setting(parameter: .initialWindowSize, value: 65_535),
                        HTTP2Setting(parameter: .maxFrameSize, value: 16_384),
                        HTTP2Setting(parameter: HTTP2SettingsParameter(rawValue: 0x1234), value: 7),
                    ]))),
            bytes: [
                0x00, 0x00, 0x18,  // length 24
                0x04,  // type SETTINGS
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x00,  // stream 0
                0x00, 0x02, 0x00, 0x00, 0x00, 0x00,  // SETTINGS_ENABLE_PUSH = 0
                0x00, 0x04, 0x00, 0x00, 0xff, 0xff,  // SETTINGS_INITIAL_WINDOW_SIZE = 65535
                0x00, 0x05, 0x00, 0x00, 0x40, 0x00,  // SETTINGS_MAX_FRAME_SIZE = 16384
                0x12, 0x34, 0x00, 0x00, 0x00, 0x07,  // unknown 0x1234 = 7 (kept, to be ignored)
            ]),
        Golden(
            name: "SETTINGS ack", frame: HTTP2Frame(streamID: 0, payload: .settings(.ack)),
            bytes: [
                0x00, 0x00, 0x00,  // length 0
                0x04,  // type SETTINGS
                0x01,  // flags ACK
                0x00, 0x00, 0x00, 0x00,  // stream 0
            ]),
        Golden(
            name: "PUSH_PROMISE",
            frame: HTTP2Frame(
                streamID: 1,
                payload: .pushPromise(promisedStreamID: 2, headers: [HPACKHeader(name: ":method", value: "GET")])),
            bytes: [
                0x00, 0x00, 0x05,  // length 5
                0x05,  // type PUSH_PROMISE
                0x04,  // flags END_HEADERS
                0x00, 0x00, 0x00, 0x01,  // stream 1
                0x00, 0x00, 0x00, 0x02,  // promised stream 2
                0x82,  // HPACK: :method GET
            ]),
        Golden(
            name: "PING", frame: HTTP2Frame(streamID: 0, payload: .ping(opaqueData: 0x0102_0304_0506_0708, ack: false)),
            bytes: [
                0x00, 0x00, 0x08,  // length 8
                0x06,  // type PING
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x00,  // stream 0
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // opaque data
            ]),
        Golden(
            name: "PING ack", frame: HTTP2Frame(streamID: 0, payload: .ping(opaqueData: 42, ack: true)),
            bytes: [
                0x00, 0x00, 0x08,  // length 8
                0x06,  // type PING
                0x01,  // flags ACK
                0x00, 0x00, 0x00, 0x00,  // stream 0
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a,  // opaque data 42
            ]),
        Golden(
            name: "GOAWAY",
            frame: HTTP2Frame(
                streamID: 0, payload: .goAway(lastStreamID: 7, errorCode: .protocolError, debugData: Array("hi".utf8))),
            bytes: [
                0x00, 0x00, 0x0a,  // length 10
                0x07,  // type GOAWAY
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x00,  // stream 0
                0x00, 0x00, 0x00, 0x07,  // last stream 7
                0x00, 0x00, 0x00, 0x01,  // PROTOCOL_ERROR
                0x68, 0x69,  // debug data "hi"
            ]),
        Golden(
            name: "WINDOW_UPDATE connection", frame: HTTP2Frame(streamID: 0, payload: .windowUpdate(increment: 65_535)),
            bytes: [
                0x00, 0x00, 0x04,  // length 4
                0x08,  // type WINDOW_UPDATE
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x00,  // stream 0
                0x00, 0x00, 0xff, 0xff,  // increment 65535
            ]),
        Golden(
            name: "WINDOW_UPDATE stream",
            frame: HTTP2Frame(
                streamID: 0x7fff_ffff, payload: .windowUpdate(increment: 0x7fff_ffff)),
            bytes: [
                0x00, 0x00, 0x04,  // length 4
                0x08,  // type WINDOW_UPDATE
                0x00,  // no flags
                0x7f, 0xff, 0xff, 0xff,  // stream 2^31 - 1
                0x7f, 0xff, 0xff, 0xff,  // increment 2^31 - 1
            ]),
        Golden(
            name: "unknown type",
            frame: HTTP2Frame(
                streamID: 9, payload: .unknown(type: 0xfa, flags: 0x05, bytes: [0xde, 0xad, 0x00])),
            bytes: [
                0x00, 0x00, 0x03,  // length 3
                0xfa,  // type 0xfa (unknown)
                0x05,  // flags, meaningless here
                0x00, 0x00, 0x00, 0x09,  // stream 9
                0xde, 0xad, 0x00,  // opaque payload
            ]),
    ]

    @Test(arguments: goldens)
    func encodesExactBytes(_ golden: Golden) {
        #expect(encodeFrames([golden.frame]) == golden.bytes)
    }

    @Test(arguments: goldens)
    func decodesExactBytes(_ golden: Golden) {
        expectDecodes(golden.bytes, [golden.frame])
    }

    @Test func decodesAllGoldensBackToBack() {
        expectDecodes(Self.goldens.flatMap(\.bytes), Self.goldens.map(\.frame))
    }

    @Test func decodesPaddedData() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x09,  // length 9
            0x00,  // type DATA
            0x09,  // flags PADDED | END_STREAM
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x03,  // pad length 3
            0x68, 0x65, 0x6c, 0x6c, 0x6f,  // "hello"
            0x00, 0x00, 0x00,  // padding
        ]
        // All 9 octets count against flow control (RFC 9113 § 6.1).
        expectDecodes(
            bytes,
            [
                HTTP2Frame(
                    streamID: 1, payload: .data(bytes: Array("hello".utf8), endStream: true, flowControlledLength: 9))
            ])
    }

    @Test func decodesPaddingThatFillsTheWholeFrame() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x03,  // length 3
            0x00,  // type DATA
            0x08,  // flags PADDED
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x02,  // pad length 2: everything after it is padding
            0x00, 0x00,  // padding
        ]
        expectDecodes(
            bytes, [HTTP2Frame(streamID: 1, payload: .data(bytes: [], endStream: false, flowControlledLength: 3))])
    }

    @Test func decodesPaddedHeadersWithPriority() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x09,  // length 9
            0x01,  // type HEADERS
            0x2c,  // flags PRIORITY | PADDED | END_HEADERS
            0x00, 0x00, 0x00, 0x03,  // stream 3
            0x02,  // pad length 2
            0x00, 0x00, 0x00, 0x01,  // E=0, dependency 1
            0x10,  // weight 16 (17)
            0x82,  // HPACK: :method GET
            0x00, 0x00,  // padding
        ]
        expectDecodes(
            bytes,
            [
                HTTP2Frame(
                    streamID: 3,
                    payload: .headers(
                        HeadersPayload(
                            headers: [HPACKHeader(name: ":method", value: "GET")],
                            priority: PriorityPayload(exclusive: false, dependency: 1, weight: 16))))
            ])
    }

    @Test func decodesPaddedPushPromise() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x07,  // length 7
            0x05,  // type PUSH_PROMISE
            0x0c,  // flags PADDED | END_HEADERS
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x01,  // pad length 1
            0x80, 0x00, 0x00, 0x04,  // reserved bit set (ignored), promised stream 4
            0x82,  // HPACK: :method GET
            0x00,  // padding
        ]
        expectDecodes(
            bytes,
            [
                HTTP2Frame(
                    streamID: 1,
                    payload: .pushPromise(promisedStreamID: 4, headers: [HPACKHeader(name: ":method", value: "GET")]))
            ])
    }

    @Test func ignoresTheReservedBitsAndUnknownFlags() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x04,  // length 4
            0x08,  // type WINDOW_UPDATE
            0xff,  // every flag bit set: none defined for WINDOW_UPDATE
            0x80, 0x00, 0x00, 0x01,  // reserved bit set, stream 1
            0x80, 0x00, 0x00, 0x10,  // reserved bit set, increment 16
        ]
        expectDecodes(bytes, [HTTP2Frame(streamID: 1, payload: .windowUpdate(increment: 16))])
    }

    @Test func decodesHeadersJoinedWithContinuation() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x02,  // length 2
            0x01,  // type HEADERS
            0x01,  // flags END_STREAM (no END_HEADERS)
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x82, 0x86,  // HPACK fragment: :method GET, :scheme http
            0x00, 0x00, 0x00,  // length 0
            0x09,  // type CONTINUATION
            0x00,  // no flags
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x00, 0x00, 0x01,  // length 1
            0x09,  // type CONTINUATION
            0x04,  // flags END_HEADERS
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x84,  // HPACK fragment: :path /
        ]
        expectDecodes(
            bytes,
            [
                HTTP2Frame(
                    streamID: 1, payload: .headers(HeadersPayload(headers: getRequestHeaders, endStream: true)))
            ])
    }

    @Test func decodesPushPromiseJoinedWithContinuation() {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x05,  // length 5
            0x05,  // type PUSH_PROMISE
            0x00,  // no flags
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x00, 0x00, 0x00, 0x02,  // promised stream 2
            0x82,  // HPACK fragment
            0x00, 0x00, 0x02,  // length 2
            0x09,  // type CONTINUATION
            0x04,  // flags END_HEADERS
            0x00, 0x00, 0x00, 0x01,  // stream 1
            0x86, 0x84,  // HPACK fragment
        ]
        expectDecodes(
            bytes, [HTTP2Frame(streamID: 1, payload: .pushPromise(promisedStreamID: 2, headers: getRequestHeaders))])
    }

    @Test func decodesTheClientPrefaceWhenActingAsServer() {
        let bytes =
            HTTP2ConnectionPreface.client + [
                0x00, 0x00, 0x00,  // length 0
                0x04,  // type SETTINGS
                0x00,  // no flags
                0x00, 0x00, 0x00, 0x00,  // stream 0
            ]
        expectDecodes(
            bytes, [HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload()))],
            decoder: HTTP2FrameDecoder(expectClientPreface: true))
    }

    @Test func prefaceIsTheRFCString() {
        #expect(HTTP2ConnectionPreface.client == Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8))
        #expect(HTTP2ConnectionPreface.client.count == 24)
    }
}
