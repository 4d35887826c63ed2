/// What the peer said, at the message level: data messages reassembled from fragments, control frames as they come.
package enum WebSocketEvent: Hashable, Sendable {
    /// A complete text or binary message (text already checked to be UTF-8).
    case message(opcode: WebSocketOpcode, payload: [UInt8])
    /// A ping; the connection answers it with a pong carrying the same payload.
    case ping([UInt8])
    /// A pong.
    case pong([UInt8])
    /// A close frame: the code if one was sent (nil means "no status", 1005) and the reason.
    case close(code: WebSocketCloseCode?, reason: String)
}

/// Turns bytes into ``WebSocketEvent``s: frame parsing plus fragment reassembly (RFC 6455 § 5.4) with a message
/// size limit.
///
/// - Note: value type owned by one connection's reader thread.
package struct WebSocketDecoder: Sendable {
    private var parser: WebSocketFrameParser
    private var fragmentOpcode: WebSocketOpcode?
    private var fragments: [UInt8] = []
    private let maxMessageSize: Int

    /// Creates a decoder; messages (all fragments together) longer than `maxMessageSize` fail with close code 1009.
    package init(masking: WebSocketMasking, maxMessageSize: Int) {
        self.parser = WebSocketFrameParser(masking: masking, maxPayloadSize: maxMessageSize)
        self.maxMessageSize = maxMessageSize
    }

    /// Appends bytes read from the connection.
    package mutating func append(_ bytes: some Collection<UInt8>) {
        parser.append(bytes)
    }

    /// Returns the next event, or nil until more bytes arrive.
    ///
    /// - Throws: ``StreamingError`` carrying the close code to send before closing.
    package mutating func nextEvent() throws(StreamingError) -> WebSocketEvent? {
        while let frame = try parser.nextFrame() {
            if let event = try receive(frame) { return event }
        }
        return nil
    }

    private mutating func receive(_ frame: WebSocketFrame) throws(StreamingError) -> WebSocketEvent? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return try Self.closeEvent(frame.payload)
        case .continuation:
            // RFC 6455 § 5.4: a continuation frame belongs to a message begun by a text or binary frame.
            guard let opcode = fragmentOpcode else {
                throw .framing("continuation frame without a message to continue")
            }
            guard fragments.count + frame.payload.count <= maxMessageSize else {
                throw .tooLarge(UInt64(fragments.count + frame.payload.count), limit: maxMessageSize)
            }
            fragments.append(contentsOf: frame.payload)
            guard frame.fin else { return nil }
            let payload = fragments
            fragments = []
            fragmentOpcode = nil
            return try Self.message(opcode, payload)
        default:
            // RFC 6455 § 5.4: fragments of one message are not interleaved with another data message.
            guard fragmentOpcode == nil else {
                throw .framing("new \(frame.opcode) message inside a fragmented message")
            }
            if frame.fin { return try Self.message(frame.opcode, frame.payload) }
            fragmentOpcode = frame.opcode
            fragments = frame.payload
            return nil
        }
    }

    private static func message(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws(StreamingError) -> WebSocketEvent
    {
        // RFC 6455 § 8.1: an endpoint that receives a text message that is not UTF-8 "MUST _Fail the WebSocket
        // Connection_" (close code 1007).
        if opcode == .text, String(validating: payload, as: UTF8.self) == nil {
            throw .framing("text message is not UTF-8", closeCode: WebSocketCloseCode.invalidPayload.rawValue)
        }
        return .message(opcode: opcode, payload: payload)
    }

    private static func closeEvent(_ payload: [UInt8]) throws(StreamingError) -> WebSocketEvent {
        if payload.isEmpty { return .close(code: nil, reason: "") }
        // RFC 6455 § 5.5.1: a close body, if present, starts with a 2-byte status code.
        guard payload.count >= 2 else { throw .framing("close frame with a 1-byte body") }
        let code = WebSocketCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
        guard code.isValidOnWire else { throw .framing("close frame with invalid status code \(code.rawValue)") }
        guard let reason = String(validating: payload[2...], as: UTF8.self) else {
            throw .framing("close reason is not UTF-8", closeCode: WebSocketCloseCode.invalidPayload.rawValue)
        }
        return .close(code: code, reason: reason)
    }
}
