package import CRIHPACK

/// Turns received bytes into ``HTTP2Frame`` values (RFC 9113 § 4 and § 6).
///
/// Append bytes as they arrive, then call ``nextFrame()`` until it returns nil. HEADERS and
/// PUSH_PROMISE come out joined with their CONTINUATION frames and HPACK-decoded; padding is
/// removed; frame sizes, stream-identifier rules and SETTINGS values are checked here.
///
/// - Note: A value type owned by the connection's reader. After an ``HTTP2ConnectionError`` the
///   connection is over and the decoder must not be used again; after an ``HTTP2StreamError`` the
///   offending frame has been consumed and decoding can continue.
package struct HTTP2FrameDecoder: Sendable {
    /// Limits the decoder enforces; all have documented defaults sized for a local gRPC peer.
    package struct Configuration: Hashable, Sendable {
        /// Our SETTINGS_MAX_FRAME_SIZE: larger frames are a FRAME_SIZE_ERROR (RFC 9113 § 4.2). Default 16384.
        /// Setting the value we advertise from the start is safe: it only admits larger frames.
        package var maxFrameSize: Int
        /// The HPACK table size in force at the start. Leave it at 4096, the initial value the peer's
        /// encoder assumes (RFC 9113 § 6.5.2), and call ``HTTP2FrameDecoder/setHeaderTableSize(_:)`` when
        /// the peer acknowledges a SETTINGS_HEADER_TABLE_SIZE of ours; starting elsewhere desynchronises
        /// HPACK with a peer that has not seen our SETTINGS yet.
        package var headerTableSize: Int
        /// Our SETTINGS_MAX_HEADER_LIST_SIZE; a larger decoded list is a stream error. Default 65536.
        package var maxHeaderListSize: Int
        /// CONTINUATION frames allowed in one field block (CVE-2024-27316 class floods). Default 64.
        package var maxContinuationFrames: Int
        /// Encoded octets allowed in one field block across HEADERS and CONTINUATION. Default 1 MiB.
        package var maxHeaderBlockSize: Int

        /// Creates a configuration; every argument defaults to the value documented on its property.
        package init(
            maxFrameSize: Int = 16_384,
            headerTableSize: Int = 4096,
            maxHeaderListSize: Int = 65_536,
            maxContinuationFrames: Int = 64,
            maxHeaderBlockSize: Int = 1 << 20
        ) {
            self.maxFrameSize = maxFrameSize
            self.headerTableSize = headerTableSize
            self.maxHeaderListSize = maxHeaderListSize
            self.maxContinuationFrames = maxContinuationFrames
            self.maxHeaderBlockSize = maxHeaderBlockSize
        }

        /// The defaults.
        package static var defaults: Configuration { Configuration() }
    }

    /// What a field block started by HEADERS or PUSH_PROMISE becomes once complete.
    enum BlockKind: Sendable {
        case headers(endStream: Bool, priority: PriorityPayload?)
        case pushPromise(promisedStreamID: UInt32)
    }

    /// A field block waiting for CONTINUATION frames (RFC 9113 § 6.10).
    struct PendingBlock: Sendable {
        var streamID: UInt32
        var kind: BlockKind
        var fragments: [UInt8]
        var continuationCount: Int
    }

    /// The limits in force.
    package private(set) var configuration: Configuration
    /// The HPACK decoder for the peer's field blocks.
    package internal(set) var hpackDecoder: HPACKDecoder
    /// Received bytes; `readIndex` marks what has been consumed.
    var buffer: [UInt8] = []
    var readIndex = 0
    /// Preface octets still to match; 0 once matched or when not acting as a server.
    private var prefaceRemaining: Int
    /// Set between a HEADERS/PUSH_PROMISE without END_HEADERS and the CONTINUATION that ends it.
    var pendingBlock: PendingBlock?

    /// Creates a decoder.
    /// - Parameters:
    ///   - expectClientPreface: true when acting as a server: the 24-octet client preface must come
    ///     first (RFC 9113 § 3.4).
    ///   - configuration: the limits to enforce.
    package init(expectClientPreface: Bool = false, configuration: Configuration = .defaults) {
        self.configuration = configuration
        self.hpackDecoder = HPACKDecoder(
            maxTableSize: configuration.headerTableSize,
            maxHeaderListSize: configuration.maxHeaderListSize
        )
        self.prefaceRemaining = expectClientPreface ? HTTP2ConnectionPreface.client.count : 0
    }

    /// Bytes received but not yet returned as frames.
    package var bufferedByteCount: Int { buffer.count - readIndex }

    /// Octets held in the input buffer, consumed ones included: at most about twice the unconsumed
    /// bytes, because the buffer is compacted once more than half is consumed. For tests and metrics.
    package var storedByteCount: Int { buffer.count }

    /// Whether a field block is waiting for CONTINUATION frames.
    package var isInsideHeaderBlock: Bool { pendingBlock != nil }

    /// Adds received bytes.
    package mutating func append(_ bytes: some Collection<UInt8>) {
        // Compact once more than half the buffer is consumed, so memory stays near one frame and the
        // memmove cost is amortised over at least as many consumed bytes.
        if readIndex > 0 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Applies our SETTINGS_MAX_FRAME_SIZE (clamped to 16384 ... 2^24 - 1, RFC 9113 § 6.5.2).
    ///
    /// Call it when the peer may start using the value: for a larger value when our SETTINGS is
    /// sent, for a smaller one when it is acknowledged.
    package mutating func setMaxFrameSize(_ size: Int) {
        configuration.maxFrameSize = min(max(size, HTTP2FrameHeader.defaultMaxFrameSize), HTTP2FrameHeader.maxLength)
    }

    /// Applies our SETTINGS_HEADER_TABLE_SIZE once the peer acknowledged it (RFC 7541 § 4.2).
    package mutating func setHeaderTableSize(_ size: Int) {
        configuration.headerTableSize = size
        hpackDecoder.setMaxTableSize(size)
    }

    /// Applies our SETTINGS_MAX_HEADER_LIST_SIZE.
    package mutating func setMaxHeaderListSize(_ size: Int) {
        configuration.maxHeaderListSize = size
        hpackDecoder.maxHeaderListSize = size
    }

    /// Returns the next complete frame, or nil when more bytes are needed.
    ///
    /// - Throws: ``HTTP2ConnectionError`` for connection errors, ``HTTP2StreamError`` for stream errors.
    package mutating func nextFrame() throws -> HTTP2Frame? {
        while true {
            if prefaceRemaining > 0 {
                guard try matchPreface() else { return nil }
            }
            guard buffer.count - readIndex >= HTTP2FrameHeader.size else { return nil }
            let header = HTTP2FrameHeader.read(from: buffer, at: readIndex)
            // RFC 9113 § 4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the
            // size defined in SETTINGS_MAX_FRAME_SIZE". Checked before buffering, so memory stays bounded; it
            // is a connection error because an oversized frame cannot be skipped safely.
            guard header.length <= configuration.maxFrameSize else {
                throw HTTP2ConnectionError.frameSizeError(
                    "\(header.type) frame of \(header.length) octets exceeds SETTINGS_MAX_FRAME_SIZE "
                        + "\(configuration.maxFrameSize)"
                )
            }
            let payloadStart = readIndex + HTTP2FrameHeader.size
            guard buffer.count - payloadStart >= header.length else { return nil }
            let payload = payloadStart..<(payloadStart + header.length)
            // Consume before interpreting so that a stream error leaves the decoder at the next frame.
            readIndex = payload.upperBound
            if let frame = try decodeFrame(header, payload: payload) { return frame }
        }
    }

    /// Consumes as much of the client preface as is buffered; true once all 24 octets matched.
    private mutating func matchPreface() throws(HTTP2ConnectionError) -> Bool {
        let preface = HTTP2ConnectionPreface.client
        while prefaceRemaining > 0 && readIndex < buffer.count {
            // RFC 9113 § 3.4: "Clients and servers MUST treat an invalid connection preface as a connection
            // error of type PROTOCOL_ERROR."
            guard buffer[readIndex] == preface[preface.count - prefaceRemaining] else {
                throw .protocolError("invalid HTTP/2 client connection preface")
            }
            readIndex += 1
            prefaceRemaining -= 1
        }
        return prefaceRemaining == 0
    }
}
