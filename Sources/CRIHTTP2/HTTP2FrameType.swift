/// A frame type (RFC 9113 § 6, § 11.2); unknown types stay representable and are ignored (RFC 9113 § 4.1).
package struct HTTP2FrameType: Hashable, Sendable, CustomStringConvertible {
    /// The 8-bit type on the wire.
    package var rawValue: UInt8

    /// Wraps a wire value.
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    /// DATA (0x0).
    package static let data = HTTP2FrameType(rawValue: 0x0)
    /// HEADERS (0x1).
    package static let headers = HTTP2FrameType(rawValue: 0x1)
    /// PRIORITY (0x2).
    package static let priority = HTTP2FrameType(rawValue: 0x2)
    /// RST_STREAM (0x3).
    package static let rstStream = HTTP2FrameType(rawValue: 0x3)
    /// SETTINGS (0x4).
    package static let settings = HTTP2FrameType(rawValue: 0x4)
    /// PUSH_PROMISE (0x5).
    package static let pushPromise = HTTP2FrameType(rawValue: 0x5)
    /// PING (0x6).
    package static let ping = HTTP2FrameType(rawValue: 0x6)
    /// GOAWAY (0x7).
    package static let goAway = HTTP2FrameType(rawValue: 0x7)
    /// WINDOW_UPDATE (0x8).
    package static let windowUpdate = HTTP2FrameType(rawValue: 0x8)
    /// CONTINUATION (0x9).
    package static let continuation = HTTP2FrameType(rawValue: 0x9)

    private static let names = [
        "DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE",
        "CONTINUATION",
    ]

    /// The RFC name, e.g. `WINDOW_UPDATE`, or `UNKNOWN(0x…)`.
    package var description: String {
        rawValue < Self.names.count ? Self.names[Int(rawValue)] : "UNKNOWN(0x\(String(rawValue, radix: 16)))"
    }
}

/// Frame flag bits (RFC 9113 § 6); which apply depends on the frame type.
enum HTTP2FrameFlags {
    /// END_STREAM on DATA and HEADERS.
    static let endStream: UInt8 = 0x01
    /// ACK on SETTINGS and PING.
    static let ack: UInt8 = 0x01
    /// END_HEADERS on HEADERS, PUSH_PROMISE and CONTINUATION.
    static let endHeaders: UInt8 = 0x04
    /// PADDED on DATA, HEADERS and PUSH_PROMISE.
    static let padded: UInt8 = 0x08
    /// PRIORITY on HEADERS.
    static let priority: UInt8 = 0x20
}
