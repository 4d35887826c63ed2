/// Splits DATA payloads into gRPC messages (PROTOCOL-HTTP2 "Length-Prefixed-Message": a 1-octet
/// compressed flag, a 4-octet big-endian length, the message).
///
/// The size limit is checked from the prefix, before any of the message is buffered.
/// `package` (not internal) so the CRIFuzzTargets fuzz target can drive it.
package struct GRPCMessageDeframer {
    /// The largest message accepted.
    let maxMessageSize: Int
    /// Prefix octets collected so far.
    private var prefix: [UInt8] = []
    /// The message being collected and how many octets it still needs.
    private var message: [UInt8] = []
    private var remaining = 0
    private var inMessage = false
    /// Completed messages in order.
    private(set) var messages: [[UInt8]] = []

    package init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Why a payload was rejected.
    package enum Failure: Error {
        /// The prefix announces more than `maxMessageSize`.
        case tooLarge(size: Int)
        /// The compressed flag is set, but no compression was negotiated.
        case compressed
        /// The flag octet is neither 0 nor 1.
        case badFlag(UInt8)
    }

    /// Whether a partial message is pending (a stream ending now is truncated).
    package var hasPartialMessage: Bool { inMessage || !prefix.isEmpty }

    /// Takes the completed messages.
    package mutating func takeMessages() -> [[UInt8]] {
        defer { messages.removeAll() }
        return messages
    }

    /// Consumes one DATA payload.
    package mutating func append(_ bytes: [UInt8]) throws(Failure) {
        var index = 0
        let count = bytes.count
        // Fast path: the payload is exactly one whole message (typical unary case).
        if !hasPartialMessage, count >= 5 {
            let length = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
            if length == count - 5 {
                try Self.checkFlag(bytes[0])
                guard length <= maxMessageSize else { throw .tooLarge(size: length) }
                messages.append(Array(bytes[5...]))
                return
            }
        }
        while index < count {
            if !inMessage {
                let take = min(5 - prefix.count, count - index)
                prefix += bytes[index..<(index + take)]
                index += take
                guard prefix.count == 5 else { break }
                try Self.checkFlag(prefix[0])
                let length = Int(prefix[1]) << 24 | Int(prefix[2]) << 16 | Int(prefix[3]) << 8 | Int(prefix[4])
                prefix.removeAll(keepingCapacity: true)
                guard length <= maxMessageSize else { throw .tooLarge(size: length) }
                if length == 0 {
                    messages.append([])
                    continue
                }
                message = []
                message.reserveCapacity(length)
                remaining = length
                inMessage = true
            }
            let take = min(remaining, count - index)
            message += bytes[index..<(index + take)]
            index += take
            remaining -= take
            if remaining == 0 {
                messages.append(message)
                message = []
                inMessage = false
            }
        }
    }

    private static func checkFlag(_ flag: UInt8) throws(Failure) {
        // PROTOCOL-HTTP2: compressed flag 1 needs a negotiated grpc-encoding; we never offer one.
        if flag == 1 { throw .compressed }
        if flag != 0 { throw .badFlag(flag) }
    }
}

/// Frames one message: the 5-octet prefix (uncompressed) and the bytes.
func grpcFramed(_ message: [UInt8]) -> [UInt8] {
    var framed: [UInt8] = []
    framed.reserveCapacity(message.count + 5)
    let length = UInt32(truncatingIfNeeded: message.count)
    framed += [0, UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
    framed += message
    return framed
}
