/// A SETTINGS parameter identifier (RFC 9113 § 6.5.2); unknown identifiers stay representable
/// because RFC 9113 § 6.5.2 says they MUST be ignored, not rejected.
package struct HTTP2SettingsParameter: Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit identifier on the wire.
    package var rawValue: UInt16

    /// Wraps a wire value.
    package init(rawValue: UInt16) { self.rawValue = rawValue }

    /// SETTINGS_HEADER_TABLE_SIZE (0x1), initially 4096.
    package static let headerTableSize = HTTP2SettingsParameter(rawValue: 0x1)
    /// SETTINGS_ENABLE_PUSH (0x2), 0 or 1.
    package static let enablePush = HTTP2SettingsParameter(rawValue: 0x2)
    /// SETTINGS_MAX_CONCURRENT_STREAMS (0x3), initially unlimited.
    package static let maxConcurrentStreams = HTTP2SettingsParameter(rawValue: 0x3)
    /// SETTINGS_INITIAL_WINDOW_SIZE (0x4), initially 65535, at most 2^31 - 1.
    package static let initialWindowSize = HTTP2SettingsParameter(rawValue: 0x4)
    /// SETTINGS_MAX_FRAME_SIZE (0x5), 16384 ... 16777215.
    package static let maxFrameSize = HTTP2SettingsParameter(rawValue: 0x5)
    /// SETTINGS_MAX_HEADER_LIST_SIZE (0x6), advisory, initially unlimited.
    package static let maxHeaderListSize = HTTP2SettingsParameter(rawValue: 0x6)
    /// SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8, RFC 8441).
    package static let enableConnectProtocol = HTTP2SettingsParameter(rawValue: 0x8)
    /// SETTINGS_NO_RFC7540_PRIORITIES (0x9, RFC 9218).
    package static let noRFC7540Priorities = HTTP2SettingsParameter(rawValue: 0x9)

    /// The RFC name, e.g. `SETTINGS_MAX_FRAME_SIZE`, or `UNKNOWN(0x…)`.
    package var description: String {
        switch self {
        case .headerTableSize: "SETTINGS_HEADER_TABLE_SIZE"
        case .enablePush: "SETTINGS_ENABLE_PUSH"
        case .maxConcurrentStreams: "SETTINGS_MAX_CONCURRENT_STREAMS"
        case .initialWindowSize: "SETTINGS_INITIAL_WINDOW_SIZE"
        case .maxFrameSize: "SETTINGS_MAX_FRAME_SIZE"
        case .maxHeaderListSize: "SETTINGS_MAX_HEADER_LIST_SIZE"
        case .enableConnectProtocol: "SETTINGS_ENABLE_CONNECT_PROTOCOL"
        case .noRFC7540Priorities: "SETTINGS_NO_RFC7540_PRIORITIES"
        default: "UNKNOWN(0x\(String(rawValue, radix: 16)))"
        }
    }
}

/// One SETTINGS entry: a parameter and its 32-bit value.
package struct HTTP2Setting: Hashable, Sendable {
    /// The parameter.
    package var parameter: HTTP2SettingsParameter
    /// The value.
    package var value: UInt32

    /// Creates a setting.
    package init(parameter: HTTP2SettingsParameter, value: UInt32) {
        self.parameter = parameter
        self.value = value
    }
}

/// SETTINGS frame content (RFC 9113 § 6.5): either an acknowledgement (no settings) or a list of
/// settings in wire order, unknown parameters included.
package struct SettingsPayload: Hashable, Sendable {
    /// Whether this is an acknowledgement (ACK flag 0x1).
    package var ack: Bool
    /// The settings, in the order they were sent; empty for an acknowledgement.
    package var settings: [HTTP2Setting]

    /// Creates a SETTINGS payload.
    package init(ack: Bool = false, settings: [HTTP2Setting] = []) {
        self.ack = ack
        self.settings = settings
    }

    /// An acknowledgement.
    package static let ack = SettingsPayload(ack: true)
}
