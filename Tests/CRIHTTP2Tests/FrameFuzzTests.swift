import CRIHPACK
import CRIHTTP2
import Foundation
import Testing

/// Seeded random input: the decoders must only ever return frames or throw, never trap.
@Suite struct FrameFuzzTests {
    private static func seed(_ name: String) -> UInt64 {
        let seed =
            ProcessInfo.processInfo.environment["FRAME_FUZZ_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 0...UInt64.max)
        print("\(name) seed: \(seed) (replay with FRAME_FUZZ_SEED=\(seed))")
        return seed
    }

    /// Plausible frames: real types and flags, small random lengths and payloads, random chunking.
    @Test func randomFramesNeverTrap() {
        var rng = FuzzGenerator(seed: Self.seed("randomFramesNeverTrap"))
        var outcomes = (frames: 0, connectionErrors: 0, streamErrors: 0)
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let length = Int.random(in: 0...24, using: &rng)
                let type = UInt8.random(in: 0...10, using: &rng)
                let flags = [UInt8(0), 0x01, 0x04, 0x05, 0x08, 0x20, 0x2c, 0xff].randomElement(using: &rng)!
                let stream = [UInt32(0), 1, 3, 0x8000_0001].randomElement(using: &rng)!
                bytes += FrameDecoderErrorTests.header(length: length, type: type, flags: flags, stream: stream)
                bytes += (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            var decoder = HTTP2FrameDecoder(expectClientPreface: false)
            var offset = 0
            feeding: while offset < bytes.count {
                let end = min(bytes.count, offset + Int.random(in: 1...20, using: &rng))
                decoder.append(bytes[offset..<end])
                offset = end
                while true {
                    do {
                        guard try decoder.nextFrame() != nil else { break }
                        outcomes.frames += 1
                    } catch is HTTP2StreamError {
                        outcomes.streamErrors += 1
                    } catch {
                        #expect(error is HTTP2ConnectionError)
                        outcomes.connectionErrors += 1
                        break feeding
                    }
                }
            }
        }
        #expect(outcomes.frames > 0)
        #expect(outcomes.connectionErrors > 0)
        #expect(outcomes.streamErrors > 0)
    }

    /// Random header blocks: HPACK must throw or decode, and never trap.
    @Test func randomHeaderBlocksNeverTrap() {
        var rng = FuzzGenerator(seed: Self.seed("randomHeaderBlocksNeverTrap"))
        var decoded = 0
        for _ in 0..<20_000 {
            var decoder = HPACKDecoder(maxTableSize: 256, maxHeaderListSize: 4096)
            let block = (0..<Int.random(in: 0...32, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if (try? decoder.decode(block)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}

/// SplitMix64, so a printed seed replays the run.
struct FuzzGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
