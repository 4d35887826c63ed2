/// Which masking the parser demands of incoming frames (RFC 6455 § 5.1).
package enum WebSocketMasking: Sendable {
    /// A server reading client frames: "The server MUST close the connection upon receiving a frame that is not
    /// masked."
    case required
    /// A client reading server frames: "A client MUST close a connection if it detects a masked frame."
    case forbidden
}

/// An incremental frame parser: append bytes as they arrive, then take whole frames.
///
/// - Note: value type owned by one connection's reader thread. It buffers at most one frame header plus
///   `maxPayloadSize` bytes and whatever the last `append` brought; a longer frame fails before its payload arrives.
package struct WebSocketFrameParser: Sendable {
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private let maxPayloadSize: Int
    private let masking: WebSocketMasking

    /// Creates a parser that rejects frames longer than `maxPayloadSize` bytes.
    package init(masking: WebSocketMasking, maxPayloadSize: Int) {
        self.masking = masking
        self.maxPayloadSize = maxPayloadSize
    }

    /// Bytes received but not yet consumed as frames.
    package var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends bytes read from the connection.
    package mutating func append(_ bytes: some Collection<UInt8>) {
        // Drop consumed bytes once they are at least half the buffer, so appends stay amortized O(1).
        if readIndex > 0, readIndex * 2 >= buffer.count {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete frame, or nil until more bytes arrive.
    ///
    /// - Throws: ``StreamingError`` (``StreamingError/Code/protocolViolation`` or
    ///   ``StreamingError/Code/messageTooLarge``) with the close code to send.
    package mutating func nextFrame() throws(StreamingError) -> WebSocketFrame? {
        let available = buffer.count - readIndex
        guard available >= 2 else { return nil }
        let first = buffer[readIndex]
        let second = buffer[readIndex + 1]
        let fin = first & 0x80 != 0
        let opcode = WebSocketOpcode(rawValue: first & 0x0F)
        // RFC 6455 § 5.2: RSV1-3 "MUST be 0 unless an extension is negotiated"; we negotiate none.
        guard first & 0x70 == 0 else { throw .framing("reserved bits set (0x\(String(first & 0x70, radix: 16)))") }
        // RFC 6455 § 5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket
        // Connection_."
        guard opcode.isDefined else { throw .framing("reserved opcode \(opcode.rawValue)") }
        // RFC 6455 § 5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be
        // fragmented."
        if opcode.isControl {
            guard fin else { throw .framing("fragmented \(opcode) frame") }
            guard second & 0x7F <= 125 else { throw .framing("\(opcode) frame longer than 125 bytes") }
        }
        let masked = second & 0x80 != 0
        switch masking {
        case .required where !masked: throw .framing("unmasked frame from the client")
        case .forbidden where masked: throw .framing("masked frame from the server")
        default: break
        }
        var headerLength = 2
        var payloadLength = UInt64(second & 0x7F)
        if payloadLength == 126 {
            guard available >= 4 else { return nil }
            payloadLength = UInt64(buffer[readIndex + 2]) << 8 | UInt64(buffer[readIndex + 3])
            headerLength = 4
        } else if payloadLength == 127 {
            guard available >= 10 else { return nil }
            payloadLength = 0
            for offset in 2..<10 {
                payloadLength = payloadLength << 8 | UInt64(buffer[readIndex + offset])
            }
            // RFC 6455 § 5.2: "the most significant bit MUST be 0".
            guard payloadLength & (1 << 63) == 0 else { throw .framing("64-bit payload length with the top bit set") }
            headerLength = 10
        }
        guard payloadLength <= UInt64(maxPayloadSize) else { throw .tooLarge(payloadLength, limit: maxPayloadSize) }
        let length = Int(payloadLength)  // Fits: at most maxPayloadSize, an Int.
        let maskOffset = headerLength
        if masked { headerLength += 4 }
        guard available - headerLength >= length else { return nil }
        let start = readIndex + headerLength
        var payload = Array(buffer[start..<(start + length)])
        if masked {
            let key = (
                buffer[readIndex + maskOffset], buffer[readIndex + maskOffset + 1],
                buffer[readIndex + maskOffset + 2], buffer[readIndex + maskOffset + 3]
            )
            let keyBytes = [key.0, key.1, key.2, key.3]
            for index in payload.indices {
                payload[index] ^= keyBytes[index & 3]
            }
        }
        readIndex = start + length
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }
}
