import Testing

import CRIHTTP2

@Suite struct FrameDecoderBufferTests {
    /// The input buffer is compacted once more than half is consumed, so it stays near one frame's size.
    @Test func bufferIsCompactedAsFramesAreConsumed() throws {
        var decoder = HTTP2FrameDecoder()
        let ping = FrameDecoderErrorTests.frame(type: 0x6, stream: 0, [0, 0, 0, 0, 0, 0, 0, 1])
        for _ in 0..<1000 {
            decoder.append(ping + ping[0..<5])
            #expect(try decoder.nextFrame() != nil)
            #expect(try decoder.nextFrame() == nil)
            decoder.append(ping[5...])
            #expect(try decoder.nextFrame() != nil)
            #expect(decoder.bufferedByteCount == 0)
            #expect(decoder.storedByteCount <= 3 * ping.count)
        }
    }
}
