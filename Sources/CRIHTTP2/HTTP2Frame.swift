package import CRIHPACK

/// An HTTP/2 frame after parsing (RFC 9113 § 4.1 and § 6). HEADERS arrive already joined with
/// their CONTINUATION frames and HPACK-decoded; padding is already removed.
package struct HTTP2Frame: Hashable, Sendable {
    /// The stream the frame belongs to; 0 for connection frames. The reserved high bit is cleared.
    package var streamID: UInt32
    /// The frame's type-specific content.
    package var payload: Payload

    /// Creates a frame.
    package init(streamID: UInt32, payload: Payload) {
        self.streamID = streamID
        self.payload = payload
    }

    /// The content of each frame type.
    package enum Payload: Hashable, Sendable {
        /// DATA (RFC 9113 § 6.1). `flowControlledLength` is the whole frame payload length, padding and
        /// pad-length octet included, because all of it counts against flow control (RFC 9113 § 6.9).
        /// The encoder ignores `flowControlledLength` (we never pad).
        case data(bytes: [UInt8], endStream: Bool, flowControlledLength: Int)
        /// HEADERS plus any CONTINUATION frames (RFC 9113 § 6.2, § 6.10).
        case headers(HeadersPayload)
        /// PRIORITY (RFC 9113 § 6.3), deprecated but still parsed.
        case priority(PriorityPayload)
        /// RST_STREAM (RFC 9113 § 6.4).
        case rstStream(HTTP2ErrorCode)
        /// SETTINGS (RFC 9113 § 6.5).
        case settings(SettingsPayload)
        /// PUSH_PROMISE plus any CONTINUATION frames (RFC 9113 § 6.6).
        case pushPromise(promisedStreamID: UInt32, headers: [HPACKHeader])
        /// PING (RFC 9113 § 6.7); the 8 opaque octets read big-endian.
        case ping(opaqueData: UInt64, ack: Bool)
        /// GOAWAY (RFC 9113 § 6.8).
        case goAway(lastStreamID: UInt32, errorCode: HTTP2ErrorCode, debugData: [UInt8])
        /// WINDOW_UPDATE (RFC 9113 § 6.9); `increment` is 1 ... 2^31 - 1 when decoded.
        case windowUpdate(increment: UInt32)
        /// A frame type we do not know (RFC 9113 § 4.1: "Implementations MUST ignore and discard frames of
        /// unknown types").
        case unknown(type: UInt8, flags: UInt8, bytes: [UInt8])

        /// The wire type of this payload.
        package var frameType: HTTP2FrameType {
            switch self {
            case .data: .data
            case .headers: .headers
            case .priority: .priority
            case .rstStream: .rstStream
            case .settings: .settings
            case .pushPromise: .pushPromise
            case .ping: .ping
            case .goAway: .goAway
            case .windowUpdate: .windowUpdate
            case .unknown(let type, _, _): HTTP2FrameType(rawValue: type)
            }
        }
    }
}

/// HEADERS frame content (RFC 9113 § 6.2), joined with its CONTINUATION frames.
package struct HeadersPayload: Hashable, Sendable {
    /// The decoded field block.
    package var headers: [HPACKHeader]
    /// END_STREAM: no DATA follows on this stream.
    package var endStream: Bool
    /// The priority fields when the PRIORITY flag was set.
    package var priority: PriorityPayload?

    /// Creates a HEADERS payload.
    package init(headers: [HPACKHeader], endStream: Bool = false, priority: PriorityPayload? = nil) {
        self.headers = headers
        self.endStream = endStream
        self.priority = priority
    }
}

/// Stream priority fields (RFC 9113 § 5.3.2, § 6.3), deprecated by RFC 9113 but still parsed.
package struct PriorityPayload: Hashable, Sendable {
    /// The E flag: exclusive dependency.
    package var exclusive: Bool
    /// The stream this one depends on (31 bits).
    package var dependency: UInt32
    /// The weight octet as sent: weight minus one (0 ... 255 for weights 1 ... 256).
    package var weight: UInt8

    /// Creates priority fields.
    package init(exclusive: Bool, dependency: UInt32, weight: UInt8) {
        self.exclusive = exclusive
        self.dependency = dependency
        self.weight = weight
    }
}
