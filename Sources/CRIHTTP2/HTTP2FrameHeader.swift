/// The 9-octet frame header (RFC 9113 § 4.1).
struct HTTP2FrameHeader: Hashable, Sendable {
    /// Octets in the header.
    static let size = 9
    /// The largest value the 24-bit length field can carry, and the largest SETTINGS_MAX_FRAME_SIZE.
    static let maxLength = (1 << 24) - 1
    /// RFC 9113 § 4.2: the initial and smallest SETTINGS_MAX_FRAME_SIZE.
    static let defaultMaxFrameSize = 16_384
    /// The 31 bits of a stream identifier; the high bit is reserved (RFC 9113 § 4.1).
    static let streamIDMask: UInt32 = 0x7fff_ffff

    var length: Int
    var type: HTTP2FrameType
    var flags: UInt8
    var streamID: UInt32

    /// Reads a header at `offset`, which the caller checked has 9 readable octets.
    static func read(from buffer: [UInt8], at offset: Int) -> HTTP2FrameHeader {
        buffer.withUnsafeBufferPointer { pointer in
            // One bounds check up front (the caller's `count - offset >= 9`) instead of nine.
            let bytes = UnsafeBufferPointer(rebasing: pointer[offset..<(offset + size)])
            let length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
            let streamID = (UInt32(bytes[5]) << 24 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 8 | UInt32(bytes[8]))
            // RFC 9113 § 4.1: the reserved bit "MUST be ignored when receiving".
            return HTTP2FrameHeader(
                length: length,
                type: HTTP2FrameType(rawValue: bytes[3]),
                flags: bytes[4],
                streamID: streamID & streamIDMask
            )
        }
    }

    /// Appends a header; `length` must fit 24 bits (the encoder's frame sizes are at most 2^24 - 1).
    static func write(
        length: Int,
        type: HTTP2FrameType,
        flags: UInt8,
        streamID: UInt32,
        into buffer: inout [UInt8]
    ) {
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(type.rawValue)
        buffer.append(flags)
        appendUInt32(streamID & streamIDMask, to: &buffer)
    }
}

/// Appends `value` big-endian.
func appendUInt32(_ value: UInt32, to buffer: inout [UInt8]) {
    buffer.append(UInt8(truncatingIfNeeded: value >> 24))
    buffer.append(UInt8(truncatingIfNeeded: value >> 16))
    buffer.append(UInt8(truncatingIfNeeded: value >> 8))
    buffer.append(UInt8(truncatingIfNeeded: value))
}

/// Reads a big-endian UInt32 at `offset` (the caller checked 4 octets are there).
func readUInt32(_ buffer: [UInt8], at offset: Int) -> UInt32 {
    UInt32(buffer[offset]) << 24 | UInt32(buffer[offset + 1]) << 16 | UInt32(buffer[offset + 2]) << 8
        | UInt32(buffer[offset + 3])
}
