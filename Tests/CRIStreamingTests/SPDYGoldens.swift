import Foundation
import Testing

@testable import CRIStreaming

/// Fixtures/spdy-goldens.json, written by Scripts/make-spdy-goldens.py with Python's zlib (not our deflater).
struct SPDYGoldens: Decodable {
    /// One zlib stream, cut into the chunks the script flushed (or one chunk for a finished stream).
    struct ZlibStream: Decodable, CustomStringConvertible {
        var name: String
        var dictionary: Bool
        var finished: Bool
        var chunks: [String]
        var outputs: [Digest]

        var chunkBytes: [[UInt8]] { chunks.map(bytes(hex:)) }
        var allBytes: [UInt8] { chunkBytes.flatMap { $0 } }
        var description: String { name }
    }

    /// The length and SHA-1 of what a chunk inflates to.
    struct Digest: Decodable, Equatable, CustomStringConvertible {
        var count: Int
        var sha1: String

        init(count: Int, sha1: String) {
            self.count = count
            self.sha1 = sha1
        }

        init(of bytes: [UInt8]) {
            self.init(count: bytes.count, sha1: SHA1.hash(bytes).map { String(format: "%02x", $0) }.joined())
        }

        var description: String { "\(count) bytes, SHA-1 \(sha1.prefix(12))…" }
    }

    /// A run of SPDY frames in one direction and the frames it decodes to.
    struct SPDYStream: Decodable, CustomStringConvertible {
        var name: String
        var wire: String
        var frames: [Frame]

        var wireBytes: [UInt8] { bytes(hex: wire) }
        var expectedFrames: [SPDYFrame] { frames.map(\.frame) }
        var description: String { name }
    }

    /// A frame as the script describes it.
    struct Frame: Decodable {
        struct Setting: Decodable {
            var id: UInt32
            var flags: UInt8
            var value: UInt32
        }

        var type: String
        var streamID: UInt32?
        var associatedTo: UInt32?
        var priority: UInt8?
        var fin: Bool?
        var unidirectional: Bool?
        var headers: [[String]]?
        var status: UInt32?
        var clearPrevious: Bool?
        var settings: [Setting]?
        var id: UInt32?
        var lastGoodStreamID: UInt32?
        var delta: UInt32?
        var payload: String?

        var frame: SPDYFrame {
            let headers = SPDYHeaders((self.headers ?? []).map { ($0[0], $0[1]) })
            let streamID = self.streamID ?? 0
            let fin = self.fin ?? false
            switch type {
            case "synStream":
                return .synStream(
                    streamID: streamID, associatedTo: associatedTo ?? 0, priority: priority ?? 0, fin: fin,
                    unidirectional: unidirectional ?? false, headers: headers)
            case "synReply": return .synReply(streamID: streamID, fin: fin, headers: headers)
            case "headers": return .headers(streamID: streamID, fin: fin, headers: headers)
            case "rstStream": return .rstStream(streamID: streamID, status: status ?? 0)
            case "settings":
                return .settings(
                    clearPrevious: clearPrevious ?? false,
                    (settings ?? []).map { SPDYSetting(id: $0.id, flags: $0.flags, value: $0.value) })
            case "ping": return .ping(id: id ?? 0)
            case "goAway": return .goAway(lastGoodStreamID: lastGoodStreamID ?? 0, status: status ?? 0)
            case "windowUpdate": return .windowUpdate(streamID: streamID, delta: delta ?? 0)
            default: return .data(streamID: streamID, fin: fin, payload: bytes(hex: payload ?? ""))
            }
        }
    }

    /// Small streams that inflate to far more than they take: header bombs.
    struct Bombs: Decodable {
        /// 1 MiB of zeros, level 9, with the SPDY dictionary, sync-flushed (a SPDY header block chunk).
        var spdyBlock: String
        /// The same without a dictionary, finished.
        var plain: String
    }

    var dictionaryAdler32: String
    var zlibStreams: [ZlibStream]
    var spdyStreams: [SPDYStream]
    var bombs: Bombs

    /// The decoded fixture (loaded once).
    static let shared: SPDYGoldens = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/spdy-goldens.json")
        do {
            return try JSONDecoder().decode(SPDYGoldens.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    /// The zlib stream named `name`.
    static func zlib(_ name: String) -> ZlibStream {
        shared.zlibStreams.first { $0.name == name }
            ?? ZlibStream(
                name: name, dictionary: false, finished: false, chunks: [], outputs: [])
    }
}

/// The bytes of a hex string (pairs of hex digits; anything else is a fixture bug and yields what parsed).
func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(hex.utf8.count / 2)
    var high: UInt8?
    for digit in hex.utf8 {
        let value: UInt8
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
        default: continue
        }
        if let first = high {
            result.append(first << 4 | value)
            high = nil
        } else {
            high = value
        }
    }
    return result
}
