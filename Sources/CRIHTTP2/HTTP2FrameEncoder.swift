package import CRIHPACK

/// Serialises ``HTTP2Frame`` values (RFC 9113 § 4 and § 6) into bytes for the peer.
///
/// HEADERS and PUSH_PROMISE are HPACK-encoded and split into CONTINUATION frames by the peer's
/// SETTINGS_MAX_FRAME_SIZE; DATA larger than that is split into several DATA frames, END_STREAM on
/// the last. Nothing is padded.
///
/// - Note: A value type owned by the connection's writer; frames must reach the peer in the order
///   they were encoded, because HPACK state changes with every field block.
package struct HTTP2FrameEncoder: Sendable {
    /// The peer's SETTINGS_MAX_FRAME_SIZE: no frame payload we write is larger.
    package private(set) var peerMaxFrameSize: Int
    /// The HPACK encoder for our field blocks.
    package var hpackEncoder: HPACKEncoder
    /// Reused storage for a field block before it is cut into frames.
    private var blockScratch: [UInt8] = []

    /// Creates an encoder.
    /// - Parameters:
    ///   - peerMaxFrameSize: the peer's SETTINGS_MAX_FRAME_SIZE, 16384 until it says otherwise.
    ///   - peerHeaderTableSize: the peer's SETTINGS_HEADER_TABLE_SIZE, 4096 until it says otherwise.
    ///   - useHuffman: whether HPACK strings may be Huffman-coded.
    ///   - hpackTableSizeCeiling: the most HPACK table memory spent on our headers, whatever the peer allows.
    package init(
        peerMaxFrameSize: Int = 16_384,
        peerHeaderTableSize: Int = 4096,
        useHuffman: Bool = true,
        hpackTableSizeCeiling: Int = 4096
    ) {
        self.peerMaxFrameSize = Self.clampFrameSize(peerMaxFrameSize)
        self.hpackEncoder = HPACKEncoder(
            maxTableSize: peerHeaderTableSize, useHuffman: useHuffman, tableSizeCeiling: hpackTableSizeCeiling)
    }

    /// Applies the peer's SETTINGS_MAX_FRAME_SIZE (clamped to 16384 ... 2^24 - 1, RFC 9113 § 6.5.2).
    package mutating func setPeerMaxFrameSize(_ size: Int) {
        peerMaxFrameSize = Self.clampFrameSize(size)
    }

    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE; the next field block starts with a size update.
    package mutating func setPeerHeaderTableSize(_ size: Int) {
        hpackEncoder.setMaxTableSize(size)
    }

    private static func clampFrameSize(_ size: Int) -> Int {
        min(max(size, HTTP2FrameHeader.defaultMaxFrameSize), HTTP2FrameHeader.maxLength)
    }

    /// Appends the bytes of `frame` (one frame, or several for large field blocks and DATA) to `buffer`.
    package mutating func encode(_ frame: HTTP2Frame, into buffer: inout [UInt8]) {
        let streamID = frame.streamID
        switch frame.payload {
        case .data(let bytes, let endStream, _):
            encodeData(streamID: streamID, bytes: bytes, endStream: endStream, into: &buffer)
        case .headers(let headers):
            var flags = headers.endStream ? HTTP2FrameFlags.endStream : 0
            var prefix: [UInt8] = []
            if let priority = headers.priority {
                flags |= HTTP2FrameFlags.priority
                prefix = Self.priorityBytes(priority)
            }
            encodeBlock(
                headers.headers, type: .headers, flags: flags, prefix: prefix, streamID: streamID, into: &buffer)
        case .priority(let priority):
            HTTP2FrameHeader.write(length: 5, type: .priority, flags: 0, streamID: streamID, into: &buffer)
            buffer.append(contentsOf: Self.priorityBytes(priority))
        case .rstStream(let code):
            HTTP2FrameHeader.write(length: 4, type: .rstStream, flags: 0, streamID: streamID, into: &buffer)
            appendUInt32(code.rawValue, to: &buffer)
        case .settings(let settings):
            let flags = settings.ack ? HTTP2FrameFlags.ack : 0
            let length = settings.ack ? 0 : settings.settings.count * 6
            HTTP2FrameHeader.write(length: length, type: .settings, flags: flags, streamID: streamID, into: &buffer)
            if !settings.ack {
                for setting in settings.settings {
                    buffer.append(UInt8(truncatingIfNeeded: setting.parameter.rawValue >> 8))
                    buffer.append(UInt8(truncatingIfNeeded: setting.parameter.rawValue))
                    appendUInt32(setting.value, to: &buffer)
                }
            }
        case .pushPromise(let promisedStreamID, let headers):
            var prefix: [UInt8] = []
            appendUInt32(promisedStreamID & HTTP2FrameHeader.streamIDMask, to: &prefix)
            encodeBlock(headers, type: .pushPromise, flags: 0, prefix: prefix, streamID: streamID, into: &buffer)
        case .ping(let opaqueData, let ack):
            HTTP2FrameHeader.write(
                length: 8, type: .ping, flags: ack ? HTTP2FrameFlags.ack : 0, streamID: streamID, into: &buffer)
            appendUInt32(UInt32(truncatingIfNeeded: opaqueData >> 32), to: &buffer)
            appendUInt32(UInt32(truncatingIfNeeded: opaqueData), to: &buffer)
        case .goAway(let lastStreamID, let errorCode, let debugData):
            // Debug data is advisory; cut it rather than exceed the peer's frame size.
            let debug = debugData.prefix(peerMaxFrameSize - 8)
            HTTP2FrameHeader.write(length: 8 + debug.count, type: .goAway, flags: 0, streamID: streamID, into: &buffer)
            appendUInt32(lastStreamID & HTTP2FrameHeader.streamIDMask, to: &buffer)
            appendUInt32(errorCode.rawValue, to: &buffer)
            buffer.append(contentsOf: debug)
        case .windowUpdate(let increment):
            HTTP2FrameHeader.write(length: 4, type: .windowUpdate, flags: 0, streamID: streamID, into: &buffer)
            appendUInt32(increment & HTTP2FrameHeader.streamIDMask, to: &buffer)
        case .unknown(let type, let flags, let bytes):
            HTTP2FrameHeader.write(
                length: bytes.count, type: HTTP2FrameType(rawValue: type), flags: flags, streamID: streamID,
                into: &buffer)
            buffer.append(contentsOf: bytes)
        }
    }

    /// The DATA fast path: appends frame headers and `bytes` straight into `buffer`, with no
    /// intermediate frame value or copy. Payloads larger than ``peerMaxFrameSize`` become several
    /// frames; END_STREAM goes on the last. Flow control is the caller's job.
    package func encodeData(
        streamID: UInt32,
        bytes: some Collection<UInt8>,
        endStream: Bool,
        into buffer: inout [UInt8]
    ) {
        let total = bytes.count
        let frameCount = max(1, (total + peerMaxFrameSize - 1) / peerMaxFrameSize)
        buffer.reserveCapacity(buffer.count + total + frameCount * HTTP2FrameHeader.size)
        if total <= peerMaxFrameSize {
            Self.encodeDataFrameHeader(streamID: streamID, length: total, endStream: endStream, into: &buffer)
            buffer.append(contentsOf: bytes)
            return
        }
        var start = bytes.startIndex
        var remaining = total
        while remaining > 0 {
            let length = min(remaining, peerMaxFrameSize)
            let end = bytes.index(start, offsetBy: length)
            remaining -= length
            Self.encodeDataFrameHeader(
                streamID: streamID, length: length, endStream: endStream && remaining == 0, into: &buffer)
            buffer.append(contentsOf: bytes[start..<end])
            start = end
        }
    }

    /// Appends only the 9-octet header of a DATA frame, for callers that append the `length` payload
    /// octets themselves (e.g. a gRPC message prefix and body). `length` must not exceed the peer's
    /// SETTINGS_MAX_FRAME_SIZE.
    package static func encodeDataFrameHeader(
        streamID: UInt32, length: Int, endStream: Bool, into buffer: inout [UInt8]
    ) {
        HTTP2FrameHeader.write(
            length: length, type: .data, flags: endStream ? HTTP2FrameFlags.endStream : 0, streamID: streamID,
            into: &buffer)
    }

    /// HPACK-encodes `headers` and writes the first frame (`type`, `prefix` fields before the fragment)
    /// followed by CONTINUATION frames as needed; END_HEADERS goes on the last (RFC 9113 § 6.10).
    private mutating func encodeBlock(
        _ headers: [HPACKHeader],
        type: HTTP2FrameType,
        flags: UInt8,
        prefix: [UInt8],
        streamID: UInt32,
        into buffer: inout [UInt8]
    ) {
        blockScratch.removeAll(keepingCapacity: true)
        hpackEncoder.encode(headers, into: &blockScratch)
        let block = blockScratch
        let firstLength = min(block.count, peerMaxFrameSize - prefix.count)
        var firstFlags = flags
        if firstLength == block.count { firstFlags |= HTTP2FrameFlags.endHeaders }
        let frameCount = 1 + (block.count - firstLength + peerMaxFrameSize - 1) / peerMaxFrameSize
        buffer.reserveCapacity(buffer.count + prefix.count + block.count + frameCount * HTTP2FrameHeader.size)
        HTTP2FrameHeader.write(
            length: prefix.count + firstLength, type: type, flags: firstFlags, streamID: streamID, into: &buffer)
        buffer.append(contentsOf: prefix)
        buffer.append(contentsOf: block[0..<firstLength])
        var offset = firstLength
        while offset < block.count {
            let length = min(block.count - offset, peerMaxFrameSize)
            let isLast = offset + length == block.count
            HTTP2FrameHeader.write(
                length: length, type: .continuation, flags: isLast ? HTTP2FrameFlags.endHeaders : 0,
                streamID: streamID, into: &buffer)
            buffer.append(contentsOf: block[offset..<(offset + length)])
            offset += length
        }
    }

    private static func priorityBytes(_ priority: PriorityPayload) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(5)
        appendUInt32(
            (priority.exclusive ? 0x8000_0000 : 0) | (priority.dependency & HTTP2FrameHeader.streamIDMask), to: &bytes)
        bytes.append(priority.weight)
        return bytes
    }
}
