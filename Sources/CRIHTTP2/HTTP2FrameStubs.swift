package import CRIHPACK

// STUBS for the frame codec owner to replace.

/// An HTTP/2 error code (RFC 9113 § 7); unknown codes stay representable.
package struct HTTP2ErrorCode: Hashable, Sendable {
    package var rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }
}

/// HEADERS frame content.
package struct HeadersPayload: Hashable, Sendable {
    package var headers: [HPACKHeader]
    package var endStream: Bool
    package var priority: PriorityPayload?
}

/// PRIORITY content (deprecated by RFC 9113 but still parsed).
package struct PriorityPayload: Hashable, Sendable {
    package var exclusive: Bool
    package var dependency: UInt32
    package var weight: UInt8
}

/// SETTINGS frame content.
package struct SettingsPayload: Hashable, Sendable {
    package var ack: Bool
    package var rawSettings: [UInt64] = []
}
