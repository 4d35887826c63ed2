/// Turns the bytes of one direction of a SPDY/3.1 connection into ``SPDYFrame``s, incrementally.
///
/// Owns that direction's header inflater (one zlib stream across all header blocks, with the SPDY/3
/// dictionary). Limits are checked on the length fields before anything is buffered or allocated for a frame:
/// a frame header claiming 16 MiB costs 8 bytes until the bytes actually arrive, and then only up to
/// `maxFrameLength`. Errors are final: once `nextFrame()` throws, it throws the same error again.
package struct SPDYFrameDecoder: Sendable {
    private let maxFrameLength: Int
    private let maxHeaderBlockSize: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Bytes of an ignored (unknown type) control frame still to drop as they arrive.
    private var skipping = 0
    private var inflater = ZlibInflater(dictionary: SPDYDictionary.bytes)
    private var failure: SPDYError?

    /// Creates a decoder. Frames longer than `maxFrameLength` fail with ``SPDYError/Code/frameTooLarge``; header
    /// blocks inflating past `maxHeaderBlockSize` with ``SPDYError/Code/headerBlockTooLarge``.
    package init(maxFrameLength: Int = 16 * 1024 * 1024, maxHeaderBlockSize: Int = 256 * 1024) {
        self.maxFrameLength = max(0, maxFrameLength)
        self.maxHeaderBlockSize = max(0, maxHeaderBlockSize)
    }

    /// Appends bytes read from the connection (dropped once decoding has failed: nothing more can be decoded).
    package mutating func append(_ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        var rest = bytes[...]
        if skipping > 0, readIndex == buffer.count {
            let dropped = min(skipping, rest.count)
            skipping -= dropped
            rest = rest.dropFirst(dropped)
        }
        buffer.append(contentsOf: rest)
    }

    /// The next complete frame, or nil when more bytes are needed.
    ///
    /// Control frames of unknown types are skipped, as the draft says (§ 2.2.1); so are CREDENTIAL frames.
    ///
    /// - Throws: ``SPDYError``; final for the connection.
    package mutating func nextFrame() throws(SPDYError) -> SPDYFrame? {
        if let failure { throw failure }
        do {
            return try decodeNext()
        } catch {
            failure = error
            buffer = []
            readIndex = 0
            throw error
        }
    }

    /// Decodes recorded bytes, fed in `pieces` in order to a fresh decoder: the frames before any error, and the
    /// error. For replaying captures (tests, fuzzing), where the frames before a failure matter too.
    package static func decode(
        _ pieces: some Sequence<some Collection<UInt8>>, maxFrameLength: Int = 16 * 1024 * 1024,
        maxHeaderBlockSize: Int = 256 * 1024
    ) -> (frames: [SPDYFrame], error: SPDYError?) {
        var decoder = SPDYFrameDecoder(maxFrameLength: maxFrameLength, maxHeaderBlockSize: maxHeaderBlockSize)
        var frames: [SPDYFrame] = []
        for piece in pieces {
            decoder.append(piece)
            do {
                while let frame = try decoder.nextFrame() { frames.append(frame) }
            } catch {
                return (frames, error)
            }
        }
        return (frames, nil)
    }

    private mutating func decodeNext() throws(SPDYError) -> SPDYFrame? {
        while true {
            if skipping > 0 {
                let dropped = min(skipping, buffer.count - readIndex)
                skipping -= dropped
                readIndex += dropped
                if skipping > 0 {
                    compact()
                    return nil
                }
            }
            guard buffer.count - readIndex >= SPDYWire.frameHeaderLength else {
                compact()
                return nil
            }
            let word0 = read32(at: readIndex)
            let word1 = read32(at: readIndex + 4)
            let flags = UInt8(truncatingIfNeeded: word1 >> 24)
            let length = Int(word1 & 0xFF_FFFF)
            let isControl = word0 & 0x8000_0000 != 0
            if isControl {
                let version = UInt16(truncatingIfNeeded: word0 >> 16) & 0x7FFF
                guard version == SPDYWire.version else {
                    throw SPDYError(.unsupportedVersion, "control frame of SPDY version \(version); we speak 3")
                }
                guard let type = SPDYWire.ControlType(rawValue: UInt16(truncatingIfNeeded: word0)) else {
                    readIndex += SPDYWire.frameHeaderLength
                    skipping = length
                    continue
                }
                guard length <= maxFrameLength else { throw tooLarge(length) }
                guard buffer.count - readIndex - SPDYWire.frameHeaderLength >= length else { return nil }
                let start = readIndex + SPDYWire.frameHeaderLength
                readIndex = start + length
                defer { compact() }
                return try control(type, flags: flags, payload: start..<start + length)
            }
            guard length <= maxFrameLength else { throw tooLarge(length) }
            guard buffer.count - readIndex - SPDYWire.frameHeaderLength >= length else { return nil }
            let start = readIndex + SPDYWire.frameHeaderLength
            readIndex = start + length
            defer { compact() }
            return .data(
                streamID: word0 & 0x7FFF_FFFF, fin: flags & SPDYWire.flagFin != 0,
                payload: Array(buffer[start..<start + length]))
        }
    }

    private mutating func control(_ type: SPDYWire.ControlType, flags: UInt8, payload: Range<Int>) throws(SPDYError)
        -> SPDYFrame
    {
        let fin = flags & SPDYWire.flagFin != 0
        switch type {
        case .synStream:
            try expect(type, payload, atLeast: 10)
            let streamID = read32(at: payload.lowerBound) & 0x7FFF_FFFF
            let associatedTo = read32(at: payload.lowerBound + 4) & 0x7FFF_FFFF
            let priority = buffer[payload.lowerBound + 8] >> 5
            let headers = try inflateHeaders(payload.lowerBound + 10..<payload.upperBound)
            return .synStream(
                streamID: streamID, associatedTo: associatedTo, priority: priority, fin: fin,
                unidirectional: flags & SPDYWire.flagUnidirectional != 0, headers: headers)
        case .synReply:
            try expect(type, payload, atLeast: 4)
            let streamID = read32(at: payload.lowerBound) & 0x7FFF_FFFF
            let headers = try inflateHeaders(payload.lowerBound + 4..<payload.upperBound)
            return .synReply(streamID: streamID, fin: fin, headers: headers)
        case .headers:
            try expect(type, payload, atLeast: 4)
            let streamID = read32(at: payload.lowerBound) & 0x7FFF_FFFF
            let headers = try inflateHeaders(payload.lowerBound + 4..<payload.upperBound)
            return .headers(streamID: streamID, fin: fin, headers: headers)
        case .rstStream:
            try expect(type, payload, exactly: 8)
            return .rstStream(
                streamID: read32(at: payload.lowerBound) & 0x7FFF_FFFF, status: read32(at: payload.lowerBound + 4))
        case .settings:
            try expect(type, payload, atLeast: 4)
            let count = Int(read32(at: payload.lowerBound))
            guard count <= (payload.count - 4) / 8, payload.count == 4 + 8 * count else {
                throw SPDYError(.protocolError, "SETTINGS frame of \(payload.count) bytes claims \(count) entries")
            }
            var settings: [SPDYSetting] = []
            settings.reserveCapacity(count)
            for index in 0..<count {
                let entry = payload.lowerBound + 4 + 8 * index
                let word = read32(at: entry)
                settings.append(
                    SPDYSetting(
                        id: word & 0xFF_FFFF, flags: UInt8(truncatingIfNeeded: word >> 24), value: read32(at: entry + 4)
                    ))
            }
            return .settings(clearPrevious: flags & SPDYWire.flagClearSettings != 0, settings)
        case .ping:
            try expect(type, payload, exactly: 4)
            return .ping(id: read32(at: payload.lowerBound))
        case .goAway:
            try expect(type, payload, exactly: 8)
            return .goAway(
                lastGoodStreamID: read32(at: payload.lowerBound) & 0x7FFF_FFFF,
                status: read32(at: payload.lowerBound + 4))
        case .windowUpdate:
            try expect(type, payload, exactly: 8)
            return .windowUpdate(
                streamID: read32(at: payload.lowerBound) & 0x7FFF_FFFF,
                delta: read32(at: payload.lowerBound + 4) & 0x7FFF_FFFF)
        }
    }

    /// Inflates one frame's header block, the next chunk of this direction's zlib stream. An empty block (no
    /// compressed bytes at all) is read as no headers.
    private mutating func inflateHeaders(_ range: Range<Int>) throws(SPDYError) -> SPDYHeaders {
        guard !range.isEmpty else { return SPDYHeaders() }
        let block: [UInt8]
        do {
            block = try inflater.inflate(buffer[range], limit: maxHeaderBlockSize)
        } catch {
            if error.code == .outputLimitExceeded {
                throw SPDYError(
                    .headerBlockTooLarge, "header block inflates past the limit of \(maxHeaderBlockSize) bytes")
            }
            throw SPDYError(.compression, "header block does not inflate: \(error.message)")
        }
        return try SPDYHeaderBlock.decode(block)
    }

    private func expect(_ type: SPDYWire.ControlType, _ payload: Range<Int>, atLeast minimum: Int) throws(SPDYError) {
        guard payload.count >= minimum else {
            throw SPDYError(.protocolError, "\(type) frame of \(payload.count) bytes; at least \(minimum) needed")
        }
    }

    private func expect(_ type: SPDYWire.ControlType, _ payload: Range<Int>, exactly length: Int) throws(SPDYError) {
        guard payload.count == length else {
            throw SPDYError(.protocolError, "\(type) frame of \(payload.count) bytes; it has \(length)")
        }
    }

    private func tooLarge(_ length: Int) -> SPDYError {
        SPDYError(.frameTooLarge, "frame of \(length) bytes exceeds the limit of \(maxFrameLength) bytes")
    }

    private func read32(at index: Int) -> UInt32 {
        UInt32(buffer[index]) << 24 | UInt32(buffer[index + 1]) << 16 | UInt32(buffer[index + 2]) << 8
            | UInt32(buffer[index + 3])
    }

    /// Drops consumed bytes once they are most of the buffer, so a long connection does not keep them.
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            readIndex = 0
        } else if readIndex >= 1 << 14, readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
