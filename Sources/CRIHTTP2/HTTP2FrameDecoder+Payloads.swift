import CRIHPACK

// Per-type payload checks and parsing (RFC 9113 § 6). Each frame is fully consumed before these run.
extension HTTP2FrameDecoder {
    /// Interprets one consumed frame; nil when it only continued a field block.
    mutating func decodeFrame(_ header: HTTP2FrameHeader, payload: Range<Int>) throws -> HTTP2Frame? {
        if let pending = pendingBlock, header.type != .continuation || header.streamID != pending.streamID {
            // RFC 9113 § 6.2: "A HEADERS frame without the END_HEADERS flag set MUST be followed by a
            // CONTINUATION frame for the same stream. A receiver MUST treat the receipt of any other type of
            // frame or a frame on a different stream as a connection error of type PROTOCOL_ERROR."
            throw HTTP2ConnectionError.protocolError(
                "\(header.type) on stream \(header.streamID) inside the field block of stream \(pending.streamID)"
            )
        }
        let streamID = header.streamID
        let content: HTTP2Frame.Payload
        switch header.type {
        case .data:
            try requireStream(header)
            let range = try unpadded(header, payload, fixedBytes: 0)
            content = .data(
                bytes: Array(buffer[range]),
                endStream: header.flags & HTTP2FrameFlags.endStream != 0,
                flowControlledLength: header.length
            )
        case .headers:
            return try decodeHeaders(header, payload)
        case .priority:
            try requireStream(header)
            // RFC 9113 § 6.3: "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream
            // error of type FRAME_SIZE_ERROR."
            guard header.length == 5 else {
                throw HTTP2StreamError.make(streamID, .frameSizeError, "PRIORITY of \(header.length) octets")
            }
            let priority = readPriority(at: payload.lowerBound)
            try checkPriority(priority, streamID: streamID)
            content = .priority(priority)
        case .rstStream:
            try requireStream(header)
            // RFC 9113 § 6.4: "A RST_STREAM frame with a length other than 4 octets MUST be treated as a
            // connection error of type FRAME_SIZE_ERROR."
            guard header.length == 4 else { throw HTTP2ConnectionError.frameSizeError("RST_STREAM not 4 octets") }
            content = .rstStream(HTTP2ErrorCode(rawValue: readUInt32(buffer, at: payload.lowerBound)))
        case .settings:
            content = .settings(try decodeSettings(header, payload))
        case .pushPromise:
            return try decodePushPromise(header, payload)
        case .ping:
            try requireConnection(header)
            // RFC 9113 § 6.7: "Receipt of a PING frame with a length field value other than 8 MUST be treated as
            // a connection error of type FRAME_SIZE_ERROR."
            guard header.length == 8 else { throw HTTP2ConnectionError.frameSizeError("PING not 8 octets") }
            let opaque =
                UInt64(readUInt32(buffer, at: payload.lowerBound)) << 32
                | UInt64(readUInt32(buffer, at: payload.lowerBound + 4))
            content = .ping(opaqueData: opaque, ack: header.flags & HTTP2FrameFlags.ack != 0)
        case .goAway:
            try requireConnection(header)
            // RFC 9113 § 6.8: last-stream-ID and error code are mandatory (8 octets).
            guard header.length >= 8 else { throw HTTP2ConnectionError.frameSizeError("GOAWAY under 8 octets") }
            content = .goAway(
                lastStreamID: readUInt32(buffer, at: payload.lowerBound) & HTTP2FrameHeader.streamIDMask,
                errorCode: HTTP2ErrorCode(rawValue: readUInt32(buffer, at: payload.lowerBound + 4)),
                debugData: Array(buffer[(payload.lowerBound + 8)..<payload.upperBound])
            )
        case .windowUpdate:
            // RFC 9113 § 6.9: "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a
            // connection error of type FRAME_SIZE_ERROR."
            guard header.length == 4 else { throw HTTP2ConnectionError.frameSizeError("WINDOW_UPDATE not 4 octets") }
            let increment = readUInt32(buffer, at: payload.lowerBound) & HTTP2FrameHeader.streamIDMask
            // RFC 9113 § 6.9: a 0 increment is a stream error PROTOCOL_ERROR, or a connection error on stream 0.
            if increment == 0 {
                if streamID == 0 { throw HTTP2ConnectionError.protocolError("WINDOW_UPDATE increment 0") }
                throw HTTP2StreamError.make(streamID, .protocolError, "WINDOW_UPDATE increment 0")
            }
            content = .windowUpdate(increment: increment)
        case .continuation:
            return try decodeContinuation(header, payload)
        default:
            // RFC 9113 § 4.1: "Implementations MUST ignore and discard frames of unknown types"; handed up so
            // the connection can count or log them.
            content = .unknown(type: header.type.rawValue, flags: header.flags, bytes: Array(buffer[payload]))
        }
        return HTTP2Frame(streamID: streamID, payload: content)
    }

    // MARK: - Field blocks

    private mutating func decodeHeaders(_ header: HTTP2FrameHeader, _ payload: Range<Int>) throws -> HTTP2Frame? {
        try requireStream(header)
        let hasPriority = header.flags & HTTP2FrameFlags.priority != 0
        var range = try unpadded(header, payload, fixedBytes: hasPriority ? 5 : 0)
        var priority: PriorityPayload?
        if hasPriority {
            priority = readPriority(at: range.lowerBound)
            range = (range.lowerBound + 5)..<range.upperBound
        }
        let kind = BlockKind.headers(endStream: header.flags & HTTP2FrameFlags.endStream != 0, priority: priority)
        return try startBlock(header, kind: kind, fragment: range)
    }

    private mutating func decodePushPromise(_ header: HTTP2FrameHeader, _ payload: Range<Int>) throws -> HTTP2Frame? {
        try requireStream(header)
        var range = try unpadded(header, payload, fixedBytes: 4)
        let promised = readUInt32(buffer, at: range.lowerBound) & HTTP2FrameHeader.streamIDMask
        range = (range.lowerBound + 4)..<range.upperBound
        return try startBlock(header, kind: .pushPromise(promisedStreamID: promised), fragment: range)
    }

    private mutating func startBlock(
        _ header: HTTP2FrameHeader,
        kind: BlockKind,
        fragment: Range<Int>
    ) throws -> HTTP2Frame? {
        if header.flags & HTTP2FrameFlags.endHeaders != 0 {
            // The common case: the whole block is in this frame, decode it in place without copying.
            return try finishBlock(streamID: header.streamID, kind: kind, block: buffer[fragment])
        }
        guard fragment.count <= configuration.maxHeaderBlockSize else { throw blockTooLarge(fragment.count) }
        pendingBlock = PendingBlock(
            streamID: header.streamID,
            kind: kind,
            fragments: Array(buffer[fragment]),
            continuationCount: 0
        )
        return nil
    }

    private mutating func decodeContinuation(_ header: HTTP2FrameHeader, _ payload: Range<Int>) throws -> HTTP2Frame? {
        try requireStream(header)
        // Take the pending block out so appending to its fragments does not copy (no second reference).
        guard var pending = pendingBlock.take() else {
            // RFC 9113 § 6.10: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or CONTINUATION
            // frame without the END_HEADERS flag set. A recipient that observes violation of this rule MUST
            // respond with a connection error of type PROTOCOL_ERROR."
            throw HTTP2ConnectionError.protocolError("CONTINUATION on stream \(header.streamID) without a field block")
        }
        pending.continuationCount += 1
        guard pending.continuationCount <= configuration.maxContinuationFrames else {
            throw HTTP2ConnectionError.enhanceYourCalm(
                "more than \(configuration.maxContinuationFrames) CONTINUATION frames in one field block"
            )
        }
        let total = pending.fragments.count + payload.count
        guard total <= configuration.maxHeaderBlockSize else { throw blockTooLarge(total) }
        pending.fragments.append(contentsOf: buffer[payload])
        if header.flags & HTTP2FrameFlags.endHeaders != 0 {
            return try finishBlock(streamID: pending.streamID, kind: pending.kind, block: pending.fragments)
        }
        pendingBlock = pending
        return nil
    }

    @inline(never) private func blockTooLarge(_ size: Int) -> HTTP2ConnectionError {
        .enhanceYourCalm("field block of \(size) octets exceeds \(configuration.maxHeaderBlockSize)")
    }

    private mutating func finishBlock(
        streamID: UInt32,
        kind: BlockKind,
        block: some Collection<UInt8>
    ) throws -> HTTP2Frame {
        let headers: [HPACKHeader]
        do {
            headers = try hpackDecoder.decode(block)
        } catch {
            if error.code == .headerListTooLarge {
                // The block was decoded to the end, so the HPACK state is intact: only this stream fails
                // (as grpc-go does, with PROTOCOL_ERROR; RFC 9113 § 10.5.1).
                throw HTTP2StreamError.make(streamID, .protocolError, error.reason)
            }
            // RFC 9113 § 4.3: "A decoding error in a field block MUST be treated as a connection error of type
            // COMPRESSION_ERROR."
            throw HTTP2ConnectionError.compressionError(error.description)
        }
        switch kind {
        case .headers(let endStream, let priority):
            if let priority { try checkPriority(priority, streamID: streamID) }
            let payload = HeadersPayload(headers: headers, endStream: endStream, priority: priority)
            return HTTP2Frame(streamID: streamID, payload: .headers(payload))
        case .pushPromise(let promisedStreamID):
            return HTTP2Frame(
                streamID: streamID, payload: .pushPromise(promisedStreamID: promisedStreamID, headers: headers))
        }
    }

    // MARK: - SETTINGS

    private func decodeSettings(_ header: HTTP2FrameHeader, _ payload: Range<Int>) throws -> SettingsPayload {
        try requireConnection(header)
        if header.flags & HTTP2FrameFlags.ack != 0 {
            // RFC 9113 § 6.5: "Receipt of a SETTINGS frame with the ACK flag set and a length field value other
            // than 0 MUST be treated as a connection error of type FRAME_SIZE_ERROR."
            guard header.length == 0 else { throw HTTP2ConnectionError.frameSizeError("SETTINGS ack with a payload") }
            return .ack
        }
        // RFC 9113 § 6.5: "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated as a
        // connection error of type FRAME_SIZE_ERROR."
        guard header.length % 6 == 0 else {
            throw HTTP2ConnectionError.frameSizeError("SETTINGS of \(header.length) octets, not a multiple of 6")
        }
        var settings: [HTTP2Setting] = []
        settings.reserveCapacity(header.length / 6)
        for offset in stride(from: payload.lowerBound, to: payload.upperBound, by: 6) {
            let parameter = HTTP2SettingsParameter(rawValue: UInt16(buffer[offset]) << 8 | UInt16(buffer[offset + 1]))
            let setting = HTTP2Setting(parameter: parameter, value: readUInt32(buffer, at: offset + 2))
            try checkSetting(setting)
            settings.append(setting)
        }
        return SettingsPayload(ack: false, settings: settings)
    }

    /// RFC 9113 § 6.5.2 value ranges.
    private func checkSetting(_ setting: HTTP2Setting) throws(HTTP2ConnectionError) {
        switch setting.parameter {
        case .enablePush:
            // "Any value other than 0 or 1 MUST be treated as a connection error of type PROTOCOL_ERROR."
            guard setting.value <= 1 else { throw .protocolError("SETTINGS_ENABLE_PUSH = \(setting.value)") }
        case .initialWindowSize:
            // "Values above the maximum flow-control window size of 2^31-1 MUST be treated as a connection error
            // of type FLOW_CONTROL_ERROR."
            guard setting.value <= HTTP2FrameHeader.streamIDMask else {
                throw .flowControlError("SETTINGS_INITIAL_WINDOW_SIZE = \(setting.value)")
            }
        case .maxFrameSize:
            // "Values outside this range MUST be treated as a connection error of type PROTOCOL_ERROR."
            guard setting.value >= HTTP2FrameHeader.defaultMaxFrameSize, setting.value <= HTTP2FrameHeader.maxLength
            else { throw .protocolError("SETTINGS_MAX_FRAME_SIZE = \(setting.value)") }
        default:
            break
        }
    }

    // MARK: - Shared checks

    /// Frames that belong to a stream (RFC 9113 § 6.1, 6.2, 6.3, 6.4, 6.6, 6.10: "MUST be associated with a
    /// stream. If a … frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a
    /// connection error of type PROTOCOL_ERROR").
    private func requireStream(_ header: HTTP2FrameHeader) throws(HTTP2ConnectionError) {
        guard header.streamID != 0 else { throw .protocolError("\(header.type) on stream 0") }
    }

    /// Frames that belong to the connection (RFC 9113 § 6.5, 6.7, 6.8: a stream identifier other than 0x00 is
    /// a connection error of type PROTOCOL_ERROR).
    private func requireConnection(_ header: HTTP2FrameHeader) throws(HTTP2ConnectionError) {
        guard header.streamID == 0 else { throw .protocolError("\(header.type) on stream \(header.streamID)") }
    }

    /// The payload without the Pad Length octet and padding (RFC 9113 § 6.1, 6.2, 6.6); `fixedBytes` are the
    /// mandatory fields that must precede the padding.
    private func unpadded(
        _ header: HTTP2FrameHeader,
        _ payload: Range<Int>,
        fixedBytes: Int
    ) throws(HTTP2ConnectionError) -> Range<Int> {
        guard header.flags & HTTP2FrameFlags.padded != 0 else {
            guard payload.count >= fixedBytes else { throw .frameSizeError("\(header.type) too short") }
            return payload
        }
        guard payload.count >= 1 + fixedBytes else { throw .frameSizeError("\(header.type) too short for padding") }
        let padLength = Int(buffer[payload.lowerBound])
        // RFC 9113 § 6.1: "If the length of the padding is the length of the frame payload or greater, the
        // recipient MUST treat this as a connection error of type PROTOCOL_ERROR."
        guard padLength < payload.count - fixedBytes else {
            throw .protocolError("\(header.type) pad length \(padLength) with a \(payload.count)-octet payload")
        }
        return (payload.lowerBound + 1)..<(payload.upperBound - padLength)
    }

    /// Reads the 5 priority octets at `offset`.
    private func readPriority(at offset: Int) -> PriorityPayload {
        let word = readUInt32(buffer, at: offset)
        return PriorityPayload(
            exclusive: word & 0x8000_0000 != 0,
            dependency: word & HTTP2FrameHeader.streamIDMask,
            weight: buffer[offset + 4]
        )
    }

    /// RFC 9113 § 5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this as a stream error of
    /// type PROTOCOL_ERROR."
    private func checkPriority(_ priority: PriorityPayload, streamID: UInt32) throws(HTTP2StreamError) {
        guard priority.dependency != streamID else {
            throw .make(streamID, .protocolError, "stream \(streamID) depends on itself")
        }
    }
}
