import CRIHPACK

// TEMPORARY: a minimal frame codec written against the frame contract so the connection code can be
// built and tested before the `hpack` branch lands. Delete this file when merging `hpack`.
// Header blocks use only "literal without indexing, new name, no Huffman" (RFC 7541 § 6.2.2), which is
// valid HPACK but only decodable by this shim's own decoder.

extension HTTP2ErrorCode {
    package static let noError = HTTP2ErrorCode(rawValue: 0x0)
    package static let protocolError = HTTP2ErrorCode(rawValue: 0x1)
    package static let internalError = HTTP2ErrorCode(rawValue: 0x2)
    package static let flowControlError = HTTP2ErrorCode(rawValue: 0x3)
    package static let settingsTimeout = HTTP2ErrorCode(rawValue: 0x4)
    package static let streamClosed = HTTP2ErrorCode(rawValue: 0x5)
    package static let frameSizeError = HTTP2ErrorCode(rawValue: 0x6)
    package static let refusedStream = HTTP2ErrorCode(rawValue: 0x7)
    package static let cancel = HTTP2ErrorCode(rawValue: 0x8)
    package static let compressionError = HTTP2ErrorCode(rawValue: 0x9)
    package static let connectError = HTTP2ErrorCode(rawValue: 0xa)
    package static let enhanceYourCalm = HTTP2ErrorCode(rawValue: 0xb)
    package static let inadequateSecurity = HTTP2ErrorCode(rawValue: 0xc)
    package static let http11Required = HTTP2ErrorCode(rawValue: 0xd)
}

/// TEMPORARY shim of the contract's settings parameter.
package struct HTTP2SettingsParameter: Hashable, Sendable {
    package var rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }
    package static let headerTableSize = HTTP2SettingsParameter(rawValue: 1)
    package static let enablePush = HTTP2SettingsParameter(rawValue: 2)
    package static let maxConcurrentStreams = HTTP2SettingsParameter(rawValue: 3)
    package static let initialWindowSize = HTTP2SettingsParameter(rawValue: 4)
    package static let maxFrameSize = HTTP2SettingsParameter(rawValue: 5)
    package static let maxHeaderListSize = HTTP2SettingsParameter(rawValue: 6)
}

/// TEMPORARY shim of the contract's setting.
package struct HTTP2Setting: Hashable, Sendable {
    package var parameter: HTTP2SettingsParameter
    package var value: UInt32
    package init(parameter: HTTP2SettingsParameter, value: UInt32) {
        self.parameter = parameter
        self.value = value
    }
}

extension SettingsPayload {
    package init(ack: Bool, settings: [HTTP2Setting]) {
        self.init(ack: ack, rawSettings: settings.map { UInt64($0.parameter.rawValue) << 32 | UInt64($0.value) })
    }
    package var settings: [HTTP2Setting] {
        rawSettings.map {
            HTTP2Setting(
                parameter: HTTP2SettingsParameter(rawValue: UInt16(truncatingIfNeeded: $0 >> 32)),
                value: UInt32(truncatingIfNeeded: $0))
        }
    }
}

/// TEMPORARY shim of the contract's connection error.
package struct HTTP2ConnectionError: Error, Hashable, Sendable {
    package var code: HTTP2ErrorCode
    package var reason: String
    package init(code: HTTP2ErrorCode, reason: String) {
        self.code = code
        self.reason = reason
    }
}

/// TEMPORARY shim of the contract's stream error.
package struct HTTP2StreamError: Error, Hashable, Sendable {
    package var streamID: UInt32
    package var code: HTTP2ErrorCode
    package var reason: String
    package init(streamID: UInt32, code: HTTP2ErrorCode, reason: String) {
        self.streamID = streamID
        self.code = code
        self.reason = reason
    }
}

/// TEMPORARY shim of the connection preface.
package enum HTTP2ConnectionPreface {
    package static let client: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
}

/// TEMPORARY shim frame decoder.
package struct HTTP2FrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0
    package var maxFrameSize: Int
    private var pendingHeaders: (streamID: UInt32, endStream: Bool, block: [UInt8], push: UInt32?)?

    package init(maxFrameSize: Int = 16384, maxHeaderListSize: Int = 65536) {
        self.maxFrameSize = maxFrameSize
    }

    package mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    package mutating func nextFrame() throws -> HTTP2Frame? {
        while true {
            guard buffer.count - start >= 9 else { return nil }
            let b = start
            let length = Int(buffer[b]) << 16 | Int(buffer[b + 1]) << 8 | Int(buffer[b + 2])
            let type = buffer[b + 3]
            let flags = buffer[b + 4]
            let streamID =
                (UInt32(buffer[b + 5]) << 24 | UInt32(buffer[b + 6]) << 16 | UInt32(buffer[b + 7]) << 8
                    | UInt32(buffer[b + 8])) & 0x7fff_ffff
            if length > maxFrameSize {
                throw HTTP2ConnectionError(code: .frameSizeError, reason: "frame of \(length) octets")
            }
            guard buffer.count - start >= 9 + length else { return nil }
            var payload = Array(buffer[(b + 9)..<(b + 9 + length)])
            start += 9 + length
            if let pending = pendingHeaders {
                guard type == 9, streamID == pending.streamID else {
                    throw HTTP2ConnectionError(code: .protocolError, reason: "expected CONTINUATION")
                }
                pendingHeaders!.block += payload
                if flags & 0x4 != 0 {
                    pendingHeaders = nil
                    return try headersFrame(
                        streamID: streamID, block: pending.block + payload, endStream: pending.endStream,
                        push: pending.push)
                }
                continue
            }
            switch type {
            case 0:
                let total = payload.count
                if flags & 0x8 != 0 { payload = try Self.unpad(payload) }
                return HTTP2Frame(
                    streamID: streamID,
                    payload: .data(bytes: payload, endStream: flags & 0x1 != 0, flowControlledLength: total))
            case 1, 5:
                if flags & 0x8 != 0 { payload = try Self.unpad(payload) }
                var push: UInt32? = nil
                if type == 5 {
                    guard payload.count >= 4 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                    push = UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16 | UInt32(payload[2]) << 8
                        | UInt32(payload[3])
                    payload.removeFirst(4)
                }
                if type == 1 && flags & 0x20 != 0 {
                    guard payload.count >= 5 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                    payload.removeFirst(5)
                }
                if flags & 0x4 != 0 {
                    return try headersFrame(streamID: streamID, block: payload, endStream: flags & 0x1 != 0, push: push)
                }
                pendingHeaders = (streamID, flags & 0x1 != 0, payload, push)
            case 2:
                return HTTP2Frame(
                    streamID: streamID, payload: .priority(PriorityPayload(exclusive: false, dependency: 0, weight: 0)))
            case 3:
                guard payload.count == 4 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                return HTTP2Frame(streamID: streamID, payload: .rstStream(HTTP2ErrorCode(rawValue: Self.u32(payload, 0))))
            case 4:
                guard payload.count % 6 == 0 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                var settings: [HTTP2Setting] = []
                var i = 0
                while i < payload.count {
                    let id = UInt16(payload[i]) << 8 | UInt16(payload[i + 1])
                    settings.append(
                        HTTP2Setting(parameter: HTTP2SettingsParameter(rawValue: id), value: Self.u32(payload, i + 2)))
                    i += 6
                }
                return HTTP2Frame(streamID: streamID, payload: .settings(SettingsPayload(ack: flags & 1 != 0, settings: settings)))
            case 6:
                guard payload.count == 8 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                let data = UInt64(Self.u32(payload, 0)) << 32 | UInt64(Self.u32(payload, 4))
                return HTTP2Frame(streamID: streamID, payload: .ping(opaqueData: data, ack: flags & 1 != 0))
            case 7:
                guard payload.count >= 8 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                return HTTP2Frame(
                    streamID: streamID,
                    payload: .goAway(
                        lastStreamID: Self.u32(payload, 0) & 0x7fff_ffff,
                        errorCode: HTTP2ErrorCode(rawValue: Self.u32(payload, 4)), debugData: Array(payload[8...])))
            case 8:
                guard payload.count == 4 else { throw HTTP2ConnectionError(code: .frameSizeError, reason: "") }
                return HTTP2Frame(streamID: streamID, payload: .windowUpdate(increment: Self.u32(payload, 0) & 0x7fff_ffff))
            case 9:
                throw HTTP2ConnectionError(code: .protocolError, reason: "unexpected CONTINUATION")
            default:
                return HTTP2Frame(streamID: streamID, payload: .unknown(type: type, flags: flags, bytes: payload))
            }
        }
    }

    private func headersFrame(streamID: UInt32, block: [UInt8], endStream: Bool, push: UInt32?) throws -> HTTP2Frame {
        var headers: [HPACKHeader] = []
        var i = 0
        func string() throws -> String {
            guard i < block.count else { throw HTTP2ConnectionError(code: .compressionError, reason: "") }
            var length = Int(block[i] & 0x7f)
            i += 1
            if length == 0x7f {
                var shift = 0
                while true {
                    guard i < block.count, shift < 28 else { throw HTTP2ConnectionError(code: .compressionError, reason: "") }
                    length += Int(block[i] & 0x7f) << shift
                    shift += 7
                    i += 1
                    if block[i - 1] & 0x80 == 0 { break }
                }
            }
            guard block.count - i >= length else { throw HTTP2ConnectionError(code: .compressionError, reason: "") }
            defer { i += length }
            return String(decoding: block[i..<(i + length)], as: UTF8.self)
        }
        while i < block.count {
            guard block[i] == 0 else { throw HTTP2ConnectionError(code: .compressionError, reason: "shim HPACK") }
            i += 1
            let name = try string()
            let value = try string()
            headers.append(HPACKHeader(name: name, value: value))
        }
        if let push {
            return HTTP2Frame(streamID: streamID, payload: .pushPromise(promisedStreamID: push, headers: headers))
        }
        return HTTP2Frame(
            streamID: streamID, payload: .headers(HeadersPayload(headers: headers, endStream: endStream, priority: nil)))
    }

    private static func unpad(_ payload: [UInt8]) throws -> [UInt8] {
        guard let pad = payload.first, Int(pad) < payload.count else {
            throw HTTP2ConnectionError(code: .protocolError, reason: "bad padding")
        }
        return Array(payload[1..<(payload.count - Int(pad))])
    }

    private static func u32(_ p: [UInt8], _ i: Int) -> UInt32 {
        UInt32(p[i]) << 24 | UInt32(p[i + 1]) << 16 | UInt32(p[i + 2]) << 8 | UInt32(p[i + 3])
    }
}

/// TEMPORARY shim frame encoder.
package struct HTTP2FrameEncoder: Sendable {
    package var maxFrameSize: Int = 16384

    package init() {}

    package mutating func setMaxHeaderTableSize(_ size: Int) {}

    package mutating func encodeData(streamID: UInt32, bytes: some Collection<UInt8>, endStream: Bool, into buffer: inout [UInt8]) {
        Self.header(length: bytes.count, type: 0, flags: endStream ? 1 : 0, streamID: streamID, into: &buffer)
        buffer.append(contentsOf: bytes)
    }

    package mutating func encode(_ frame: HTTP2Frame, into buffer: inout [UInt8]) {
        let id = frame.streamID
        switch frame.payload {
        case .data(let bytes, let endStream, _):
            encodeData(streamID: id, bytes: bytes, endStream: endStream, into: &buffer)
        case .headers(let headers):
            var block: [UInt8] = []
            for h in headers.headers {
                block.append(0)
                Self.string(h.name, into: &block)
                Self.string(h.value, into: &block)
            }
            var first = true
            var offset = 0
            repeat {
                let n = min(maxFrameSize, block.count - offset)
                let last = offset + n == block.count
                var flags: UInt8 = last ? 0x4 : 0
                if first && headers.endStream { flags |= 1 }
                Self.header(length: n, type: first ? 1 : 9, flags: flags, streamID: id, into: &buffer)
                buffer.append(contentsOf: block[offset..<(offset + n)])
                offset += n
                first = false
            } while offset < block.count
        case .priority:
            break
        case .rstStream(let code):
            Self.header(length: 4, type: 3, flags: 0, streamID: id, into: &buffer)
            Self.u32(code.rawValue, into: &buffer)
        case .settings(let settings):
            Self.header(length: settings.settings.count * 6, type: 4, flags: settings.ack ? 1 : 0, streamID: 0, into: &buffer)
            for s in settings.settings {
                buffer.append(UInt8(s.parameter.rawValue >> 8))
                buffer.append(UInt8(truncatingIfNeeded: s.parameter.rawValue))
                Self.u32(s.value, into: &buffer)
            }
        case .pushPromise:
            break
        case .ping(let data, let ack):
            Self.header(length: 8, type: 6, flags: ack ? 1 : 0, streamID: 0, into: &buffer)
            Self.u32(UInt32(truncatingIfNeeded: data >> 32), into: &buffer)
            Self.u32(UInt32(truncatingIfNeeded: data), into: &buffer)
        case .goAway(let last, let code, let debug):
            Self.header(length: 8 + debug.count, type: 7, flags: 0, streamID: 0, into: &buffer)
            Self.u32(last, into: &buffer)
            Self.u32(code.rawValue, into: &buffer)
            buffer += debug
        case .windowUpdate(let increment):
            Self.header(length: 4, type: 8, flags: 0, streamID: id, into: &buffer)
            Self.u32(increment, into: &buffer)
        case .unknown(let type, let flags, let bytes):
            Self.header(length: bytes.count, type: type, flags: flags, streamID: id, into: &buffer)
            buffer += bytes
        }
    }

    private static func string(_ s: String, into buffer: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        if utf8.count < 0x7f {
            buffer.append(UInt8(utf8.count))
        } else {
            buffer.append(0x7f)
            var rest = utf8.count - 0x7f
            while rest >= 0x80 {
                buffer.append(UInt8(rest & 0x7f) | 0x80)
                rest >>= 7
            }
            buffer.append(UInt8(rest))
        }
        buffer += utf8
    }

    private static func header(length: Int, type: UInt8, flags: UInt8, streamID: UInt32, into buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(type)
        buffer.append(flags)
        u32(streamID, into: &buffer)
    }

    private static func u32(_ v: UInt32, into buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: v >> 24))
        buffer.append(UInt8(truncatingIfNeeded: v >> 16))
        buffer.append(UInt8(truncatingIfNeeded: v >> 8))
        buffer.append(UInt8(truncatingIfNeeded: v))
    }
}
