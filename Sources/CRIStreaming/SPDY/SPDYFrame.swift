/// One SPDY/3.1 frame (draft-mbelshe-httpbis-spdy-00 § 2.2 and § 2.6, plus SPDY/3.1's session-level
/// WINDOW_UPDATE), header blocks already inflated.
///
/// Stream IDs and the associated stream ID are 31-bit: the encoder writes the low 31 bits, the decoder clears
/// the reserved high bit. The session layer, not the codec, checks that IDs make sense (odd for the client,
/// increasing, open).
package enum SPDYFrame: Sendable, Hashable {
    /// Application bytes for a stream; `fin` half-closes the stream from the sender's side.
    case data(streamID: UInt32, fin: Bool, payload: [UInt8])
    /// Opens a stream (§ 2.6.1). `priority` is 3 bits (0 highest); `unidirectional` means the receiver
    /// half-closes at once. Kubernetes streaming opens one stream per channel (stdin, stdout, error…).
    case synStream(
        streamID: UInt32, associatedTo: UInt32, priority: UInt8, fin: Bool, unidirectional: Bool,
        headers: SPDYHeaders)
    /// Accepts a stream the peer opened (§ 2.6.2).
    case synReply(streamID: UInt32, fin: Bool, headers: SPDYHeaders)
    /// Ends a stream abnormally (§ 2.6.3); `status` is a ``SPDYRstStatus`` raw value (kept raw: unknown values
    /// are legal on the wire).
    case rstStream(streamID: UInt32, status: UInt32)
    /// Session parameters (§ 2.6.4); `clearPrevious` is FLAG_SETTINGS_CLEAR_SETTINGS.
    case settings(clearPrevious: Bool, [SPDYSetting])
    /// A liveness probe (§ 2.6.5), echoed back with the same ID.
    case ping(id: UInt32)
    /// The sender will open no more streams after `lastGoodStreamID` (§ 2.6.6); `status` 0 OK, 1 protocol error,
    /// 2 internal error.
    case goAway(lastGoodStreamID: UInt32, status: UInt32)
    /// More headers for an open stream (§ 2.6.7).
    case headers(streamID: UInt32, fin: Bool, headers: SPDYHeaders)
    /// Lets the peer send `delta` more data bytes on a stream (§ 2.6.8), or on the whole session when
    /// `streamID` is 0 (SPDY/3.1). `delta` is 31-bit.
    case windowUpdate(streamID: UInt32, delta: UInt32)
}

/// One entry of a SETTINGS frame (§ 2.6.4): a 24-bit ID, 8 bits of flags, a 32-bit value.
package struct SPDYSetting: Sendable, Hashable {
    /// The setting's 24-bit ID (see the static IDs such as ``initialWindowSize``).
    package var id: UInt32
    /// FLAG_SETTINGS_PERSIST_VALUE (0x1) or FLAG_SETTINGS_PERSISTED (0x2); 0 for ordinary settings.
    package var flags: UInt8
    /// The setting's value.
    package var value: UInt32

    /// Creates a setting; `id` keeps its low 24 bits on the wire.
    package init(id: UInt32, flags: UInt8 = 0, value: UInt32) {
        self.id = id
        self.flags = flags
        self.value = value
    }

    /// SETTINGS_MAX_CONCURRENT_STREAMS: how many streams the sender lets the peer open at once.
    package static let maxConcurrentStreams: UInt32 = 4
    /// SETTINGS_INITIAL_WINDOW_SIZE: the flow-control window each new stream starts with (64 KiB by default).
    package static let initialWindowSize: UInt32 = 7
}

/// The status of a RST_STREAM frame (§ 2.6.3). Values the draft does not define have no case; decode them with
/// `SPDYRstStatus(rawValue:)`, which returns nil.
package enum SPDYRstStatus: UInt32, Sendable {
    /// A generic error; the stream is unusable.
    case protocolError = 1
    /// A frame for a stream that is not active.
    case invalidStream
    /// The stream was refused before any processing (safe to retry).
    case refusedStream
    /// The receiver does not support the SPDY version.
    case unsupportedVersion
    /// The sender no longer wants the stream.
    case cancel
    /// An error not related to the protocol.
    case internalError
    /// The peer broke flow control.
    case flowControlError
    /// A SYN_STREAM for a stream that is already open.
    case streamInUse
    /// Data or a SYN_REPLY for a stream already half-closed.
    case streamAlreadyClosed
    /// A credential the server did not accept (unused by Kubernetes).
    case invalidCredentials
    /// A frame too large for the receiver.
    case frameTooLarge
}

/// The wire constants of SPDY/3 frames, shared by the encoder and the decoder.
enum SPDYWire {
    /// The only version this codec speaks.
    static let version: UInt16 = 3
    /// Every frame starts with 8 bytes: control bit, version/stream ID, type, flags, 24-bit length.
    static let frameHeaderLength = 8
    /// The largest 24-bit length.
    static let maxLength = 0xFF_FFFF
    /// FLAG_FIN: the sender's last frame on the stream.
    static let flagFin: UInt8 = 0x01
    /// FLAG_UNIDIRECTIONAL (SYN_STREAM only).
    static let flagUnidirectional: UInt8 = 0x02
    /// FLAG_SETTINGS_CLEAR_SETTINGS (SETTINGS only).
    static let flagClearSettings: UInt8 = 0x01

    /// Control frame types (§ 2.6); 5 was SPDY/2's NOOP, 10 CREDENTIAL is ignored like unknown types.
    enum ControlType: UInt16 {
        case synStream = 1
        case synReply = 2
        case rstStream = 3
        case settings = 4
        case ping = 6
        case goAway = 7
        case headers = 8
        case windowUpdate = 9
    }
}
