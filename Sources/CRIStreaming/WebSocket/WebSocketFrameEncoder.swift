/// Serializes WebSocket frames (RFC 6455 § 5.2).
package enum WebSocketFrameEncoder {
    /// Encodes `frame`, masking its payload with `maskingKey` when given.
    ///
    /// RFC 6455 § 5.3: "a client MUST mask all frames that it sends to the server"; a server MUST NOT mask.
    /// Lengths use the minimal form § 5.2 requires: 7 bits up to 125, 16 bits up to 65535, else 64 bits.
    package static func encode(_ frame: WebSocketFrame, maskingKey: (UInt8, UInt8, UInt8, UInt8)?) -> [UInt8] {
        var bytes: [UInt8] = []
        let count = frame.payload.count
        bytes.reserveCapacity(count + 14)
        bytes.append((frame.fin ? 0x80 : 0) | frame.opcode.rawValue)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        if count <= 125 {
            bytes.append(maskBit | UInt8(count))
        } else if count <= 0xFFFF {
            bytes.append(maskBit | 126)
            bytes.append(UInt8(truncatingIfNeeded: count >> 8))
            bytes.append(UInt8(truncatingIfNeeded: count))
        } else {
            bytes.append(maskBit | 127)
            let length = UInt64(count)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: length >> UInt64(shift)))
            }
        }
        if let key = maskingKey {
            let keyBytes = [key.0, key.1, key.2, key.3]
            bytes.append(contentsOf: keyBytes)
            for (index, byte) in frame.payload.enumerated() {
                bytes.append(byte ^ keyBytes[index & 3])
            }
        } else {
            bytes.append(contentsOf: frame.payload)
        }
        return bytes
    }

    /// A fresh random masking key (RFC 6455 § 5.3: "derived from a strong source of entropy").
    package static func randomMaskingKey() -> (UInt8, UInt8, UInt8, UInt8) {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt32
        return (
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)
        )
    }

    /// The payload of a close frame: the code big-endian, then the UTF-8 reason (RFC 6455 § 5.5.1), cut so the
    /// payload stays within the 125 bytes allowed for control frames.
    package static func closePayload(code: WebSocketCloseCode, reason: String) -> [UInt8] {
        var payload: [UInt8] = [
            UInt8(truncatingIfNeeded: code.rawValue >> 8), UInt8(truncatingIfNeeded: code.rawValue),
        ]
        var reasonBytes: [UInt8] = []
        for character in reason {
            let utf8 = Array(String(character).utf8)
            guard reasonBytes.count + utf8.count <= 123 else { break }
            reasonBytes.append(contentsOf: utf8)
        }
        payload.append(contentsOf: reasonBytes)
        return payload
    }
}
