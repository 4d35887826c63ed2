/// A WebSocket opcode (RFC 6455 § 5.2); a struct so the reserved values 3–7 and 11–15 stay representable.
package struct WebSocketOpcode: Hashable, Sendable, CustomStringConvertible {
    /// The 4-bit wire value.
    package var rawValue: UInt8

    /// Wraps a 4-bit wire value.
    package init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    /// A fragment continuing the current message.
    package static let continuation = WebSocketOpcode(rawValue: 0x0)
    /// A UTF-8 text message (or its first fragment).
    package static let text = WebSocketOpcode(rawValue: 0x1)
    /// A binary message (or its first fragment).
    package static let binary = WebSocketOpcode(rawValue: 0x2)
    /// The closing handshake.
    package static let close = WebSocketOpcode(rawValue: 0x8)
    /// A keep-alive probe; the peer answers with a pong carrying the same payload.
    package static let ping = WebSocketOpcode(rawValue: 0x9)
    /// The answer to a ping (or an unsolicited heartbeat).
    package static let pong = WebSocketOpcode(rawValue: 0xA)

    /// RFC 6455 § 5.5: opcodes with the high bit set are control frames.
    package var isControl: Bool { rawValue & 0x8 != 0 }

    /// Whether RFC 6455 defines this opcode (the rest are reserved and fail the connection).
    package var isDefined: Bool { [0x0, 0x1, 0x2, 0x8, 0x9, 0xA].contains(rawValue) }

    /// The opcode's name, or its number when reserved.
    package var description: String {
        switch rawValue {
        case 0x0: "continuation"
        case 0x1: "text"
        case 0x2: "binary"
        case 0x8: "close"
        case 0x9: "ping"
        case 0xA: "pong"
        default: "reserved(\(rawValue))"
        }
    }
}

/// A close status code (RFC 6455 § 7.4).
package struct WebSocketCloseCode: Hashable, Sendable {
    /// The 16-bit wire value.
    package var rawValue: UInt16

    /// Wraps a wire value.
    package init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 1000: the purpose of the connection is fulfilled.
    package static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown).
    package static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: a framing or protocol error.
    package static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: a message type the endpoint cannot accept.
    package static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1007: a text message or close reason that is not UTF-8.
    package static let invalidPayload = WebSocketCloseCode(rawValue: 1007)
    /// 1008: a policy violation.
    package static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a message too big to process.
    package static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1011: the server hit an unexpected condition.
    package static let internalError = WebSocketCloseCode(rawValue: 1011)

    /// RFC 6455 § 7.4.1/7.4.2: whether the code may appear in a close frame. 1005, 1006 and 1015 are reserved for
    /// reporting and "MUST NOT be set as a status code in a Close control frame"; below 1000 is unused, 1016–2999
    /// is reserved for future protocol revisions, 3000–4999 is for libraries and applications.
    package var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014: true
        case 3000...4999: true
        default: false
        }
    }
}

/// One WebSocket frame as it travels (RFC 6455 § 5.2), payload already unmasked.
package struct WebSocketFrame: Hashable, Sendable {
    /// Whether this is the final fragment of its message.
    package var fin: Bool
    /// The frame's opcode.
    package var opcode: WebSocketOpcode
    /// The application data (unmasked).
    package var payload: [UInt8]

    /// Creates a frame.
    package init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }
}
