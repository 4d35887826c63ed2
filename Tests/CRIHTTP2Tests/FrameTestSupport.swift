import CRIHPACK
import CRIHTTP2
import Testing

/// The ways a decoder test feeds its bytes: whole, one byte at a time, and split in two at every offset.
func frameChunkings(_ bytes: [UInt8]) -> [(name: String, chunks: [[UInt8]])] {
    var result: [(String, [[UInt8]])] = [("whole", [bytes]), ("byte by byte", bytes.map { [$0] })]
    for offset in 1..<max(1, bytes.count) {
        result.append(("split at \(offset)", [Array(bytes[..<offset]), Array(bytes[offset...])]))
    }
    return result
}

/// Feeds `chunks` to a copy of `decoder`, collecting every frame.
func decodeFrames(_ chunks: [[UInt8]], decoder: HTTP2FrameDecoder) throws -> (frames: [HTTP2Frame], rest: Int) {
    var decoder = decoder
    var frames: [HTTP2Frame] = []
    for chunk in chunks {
        decoder.append(chunk)
        while let frame = try decoder.nextFrame() { frames.append(frame) }
    }
    return (frames, decoder.bufferedByteCount)
}

/// Decodes `bytes` whole, byte by byte and split at every offset, expecting `expected` each time with
/// nothing left over.
func expectDecodes(
    _ bytes: [UInt8],
    _ expected: [HTTP2Frame],
    decoder: HTTP2FrameDecoder = HTTP2FrameDecoder(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for (name, chunks) in frameChunkings(bytes) {
        do {
            let (frames, rest) = try decodeFrames(chunks, decoder: decoder)
            #expect(frames == expected, "\(name)", sourceLocation: sourceLocation)
            #expect(rest == 0, "\(name): bytes left over", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(name): unexpected \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Decodes `bytes` in every chunking and expects `error` each time.
func expectDecodeError<E: Error & Equatable>(
    _ bytes: [UInt8],
    _ error: E,
    decoder: HTTP2FrameDecoder = HTTP2FrameDecoder(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for (name, chunks) in frameChunkings(bytes) {
        do {
            let (frames, _) = try decodeFrames(chunks, decoder: decoder)
            Issue.record("\(name): expected \(error), decoded \(frames)", sourceLocation: sourceLocation)
        } catch let thrown as E {
            #expect(thrown == error, "\(name): \(thrown)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(name): expected \(E.self), got \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Encodes `frames` with a fresh encoder (Huffman off unless asked).
func encodeFrames(_ frames: [HTTP2Frame], encoder: HTTP2FrameEncoder = HTTP2FrameEncoder(useHuffman: false)) -> [UInt8]
{
    var encoder = encoder
    var bytes: [UInt8] = []
    for frame in frames { encoder.encode(frame, into: &bytes) }
    return bytes
}

/// A connection error with `code`, for comparisons (equality ignores the reason).
func connectionError(_ code: HTTP2ErrorCode) -> HTTP2ConnectionError { HTTP2ConnectionError(code: code, reason: "") }

/// A stream error, for comparisons (equality ignores the reason).
func streamError(_ streamID: UInt32, _ code: HTTP2ErrorCode) -> HTTP2StreamError {
    HTTP2StreamError(streamID: streamID, code: code, reason: "")
}

/// ":method: GET", ":scheme: http", ":path: /" — static indices 2, 6, 4 (block 0x82 0x86 0x84).
let getRequestHeaders = [
    HPACKHeader(name: ":method", value: "GET"),
    HPACKHeader(name: ":scheme", value: "http"),
    HPACKHeader(name: ":path", value: "/"),
]
