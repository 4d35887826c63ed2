/// Serializes SPDY/3.1 frames for one direction of a connection.
///
/// Owns that direction's header deflater: every header block is the next sync-flushed chunk of one zlib stream
/// (draft-mbelshe-httpbis-spdy-00 § 2.6.10.1), so frames must go on the wire in the order they were encoded.
package struct SPDYFrameEncoder: Sendable {
    /// The largest uncompressed header block we send: stored deflate blocks add 5 bytes per 64 KiB plus 11 for
    /// the zlib header and the flush, so this keeps a SYN_STREAM within the 24-bit length field.
    package static let maxHeaderBlockSize = 16_000_000

    private var deflater = ZlibDeflater(dictionary: SPDYDictionary.bytes)

    /// Creates an encoder whose header stream has not started yet.
    package init() {}

    /// Appends `frame` to `buffer`.
    ///
    /// A data payload longer than the 24-bit length field allows goes out as several frames, FIN on the last.
    ///
    /// - Throws: ``SPDYError/Code/headerBlockTooLarge`` when a header block is over ``maxHeaderBlockSize``, or
    ///   ``SPDYError/Code/frameTooLarge`` for a SETTINGS frame with more entries than 24 bits of length can hold;
    ///   checked before anything is written or compressed, so the encoder stays usable.
    package mutating func encode(_ frame: SPDYFrame, into buffer: inout [UInt8]) throws(SPDYError) {
        switch frame {
        case .data(let streamID, let fin, let payload):
            Self.appendData(streamID: streamID, fin: fin, payload: payload, into: &buffer)
        case .synStream(let streamID, let associatedTo, let priority, let fin, let unidirectional, let headers):
            let block = try compressed(headers)
            var flags = fin ? SPDYWire.flagFin : 0
            if unidirectional { flags |= SPDYWire.flagUnidirectional }
            Self.appendControlHeader(.synStream, flags: flags, length: 10 + block.count, into: &buffer)
            Self.append32(streamID & 0x7FFF_FFFF, into: &buffer)
            Self.append32(associatedTo & 0x7FFF_FFFF, into: &buffer)
            buffer.append((priority & 0x07) << 5)
            buffer.append(0)  // the CREDENTIAL slot, unused
            buffer.append(contentsOf: block)
        case .synReply(let streamID, let fin, let headers):
            try appendStreamHeaders(.synReply, streamID: streamID, fin: fin, headers: headers, into: &buffer)
        case .headers(let streamID, let fin, let headers):
            try appendStreamHeaders(.headers, streamID: streamID, fin: fin, headers: headers, into: &buffer)
        case .rstStream(let streamID, let status):
            Self.appendControlHeader(.rstStream, flags: 0, length: 8, into: &buffer)
            Self.append32(streamID & 0x7FFF_FFFF, into: &buffer)
            Self.append32(status, into: &buffer)
        case .settings(let clearPrevious, let settings):
            guard settings.count <= (SPDYWire.maxLength - 4) / 8 else {
                throw SPDYError(.frameTooLarge, "SETTINGS frame with \(settings.count) entries does not fit a frame")
            }
            let flags = clearPrevious ? SPDYWire.flagClearSettings : 0
            Self.appendControlHeader(.settings, flags: flags, length: 4 + 8 * settings.count, into: &buffer)
            Self.append32(UInt32(truncatingIfNeeded: settings.count), into: &buffer)
            for setting in settings {
                // v3 order: flags, then the 24-bit ID (SPDY/2 had it the other way round, little-endian).
                Self.append32(UInt32(setting.flags) << 24 | setting.id & 0xFF_FFFF, into: &buffer)
                Self.append32(setting.value, into: &buffer)
            }
        case .ping(let id):
            Self.appendControlHeader(.ping, flags: 0, length: 4, into: &buffer)
            Self.append32(id, into: &buffer)
        case .goAway(let lastGoodStreamID, let status):
            Self.appendControlHeader(.goAway, flags: 0, length: 8, into: &buffer)
            Self.append32(lastGoodStreamID & 0x7FFF_FFFF, into: &buffer)
            Self.append32(status, into: &buffer)
        case .windowUpdate(let streamID, let delta):
            Self.appendControlHeader(.windowUpdate, flags: 0, length: 8, into: &buffer)
            Self.append32(streamID & 0x7FFF_FFFF, into: &buffer)
            Self.append32(delta & 0x7FFF_FFFF, into: &buffer)
        }
    }

    /// SYN_REPLY and HEADERS share a layout: the stream ID, then the header block.
    private mutating func appendStreamHeaders(
        _ type: SPDYWire.ControlType, streamID: UInt32, fin: Bool, headers: SPDYHeaders, into buffer: inout [UInt8]
    ) throws(SPDYError) {
        let block = try compressed(headers)
        Self.appendControlHeader(type, flags: fin ? SPDYWire.flagFin : 0, length: 4 + block.count, into: &buffer)
        Self.append32(streamID & 0x7FFF_FFFF, into: &buffer)
        buffer.append(contentsOf: block)
    }

    private mutating func compressed(_ headers: SPDYHeaders) throws(SPDYError) -> [UInt8] {
        let block = SPDYHeaderBlock.encode(headers)
        guard block.count <= Self.maxHeaderBlockSize else {
            throw SPDYError(
                .headerBlockTooLarge,
                "header block of \(block.count) bytes exceeds the \(Self.maxHeaderBlockSize) bytes a frame can carry")
        }
        return deflater.deflateSync(block)
    }

    private static func appendData(streamID: UInt32, fin: Bool, payload: [UInt8], into buffer: inout [UInt8]) {
        var rest = payload[...]
        repeat {
            let chunk = rest.prefix(SPDYWire.maxLength)
            rest = rest.dropFirst(chunk.count)
            append32(streamID & 0x7FFF_FFFF, into: &buffer)
            append32(UInt32(fin && rest.isEmpty ? SPDYWire.flagFin : 0) << 24 | UInt32(chunk.count), into: &buffer)
            buffer.append(contentsOf: chunk)
        } while !rest.isEmpty
    }

    private static func appendControlHeader(
        _ type: SPDYWire.ControlType, flags: UInt8, length: Int, into buffer: inout [UInt8]
    ) {
        append32(0x8000_0000 | UInt32(SPDYWire.version) << 16 | UInt32(type.rawValue), into: &buffer)
        append32(UInt32(flags) << 24 | UInt32(truncatingIfNeeded: length) & 0xFF_FFFF, into: &buffer)
    }

    private static func append32(_ value: UInt32, into buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }
}
