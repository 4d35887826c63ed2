package import CRIHPACK

// CONTRACT between the frame codec and the connection code. The frame codec owner may split
// this into files and add members; the names below stay.

/// An HTTP/2 frame after parsing (RFC 9113 § 4.1 and § 6). HEADERS arrive already joined with
/// their CONTINUATION frames and HPACK-decoded; padding is already removed.
package struct HTTP2Frame: Hashable, Sendable {
    /// The stream the frame belongs to; 0 for connection frames.
    package var streamID: UInt32
    /// The frame's type-specific content.
    package var payload: Payload

    package init(streamID: UInt32, payload: Payload) {
        self.streamID = streamID
        self.payload = payload
    }

    /// The content of each frame type.
    package enum Payload: Hashable, Sendable {
        case data(bytes: [UInt8], endStream: Bool, flowControlledLength: Int)  // length incl. padding
        case headers(HeadersPayload)
        case priority(PriorityPayload)
        case rstStream(HTTP2ErrorCode)
        case settings(SettingsPayload)
        case pushPromise(promisedStreamID: UInt32, headers: [HPACKHeader])
        case ping(opaqueData: UInt64, ack: Bool)
        case goAway(lastStreamID: UInt32, errorCode: HTTP2ErrorCode, debugData: [UInt8])
        case windowUpdate(increment: UInt32)
        case unknown(type: UInt8, flags: UInt8, bytes: [UInt8])  // RFC 9113 § 4.1: ignore
    }
}
// Also expected from the frame codec (names fixed, exact signatures the owner's choice):
// - `HTTP2ErrorCode` (struct, static members .noError ... .http11Required, unknown values kept)
// - `HTTP2SettingsParameter` (struct, static members), `HTTP2Setting(parameter:value:)`, `SettingsPayload(ack:settings:)`
// - `HeadersPayload(headers: [HPACKHeader], endStream: Bool, priority: PriorityPayload?)`
// - `HTTP2FrameDecoder`: owns the HPACKDecoder; `append(bytes)` then `nextFrame() throws -> HTTP2Frame?`,
//   enforcing SETTINGS_MAX_FRAME_SIZE, CONTINUATION sequencing and a CONTINUATION-count/byte limit,
//   throwing `HTTP2ConnectionError(code:reason:)` or `HTTP2StreamError(streamID:code:reason:)`.
// - `HTTP2FrameEncoder`: owns the HPACKEncoder; `encode(frame, into: &[UInt8])` splitting HEADERS
//   into CONTINUATION frames by the peer's max frame size; `encodeData(streamID:bytes:endStream:into:)` fast path.
// - `HTTP2ConnectionPreface.client` (the 24-octet preface bytes).
