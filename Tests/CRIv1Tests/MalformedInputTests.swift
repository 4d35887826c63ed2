import CRIWire
import CRIv1
import Testing

/// Hostile bytes must only ever throw or decode: never trap, never hang.
@Suite("Malformed input")
struct MalformedInputTests {
    static func feed<M: ProtoMessage>(_ type: M.Type, _ inputs: [[UInt8]]) -> Int {
        var decoded = 0
        for input in inputs {
            if let value = tryDecode(M.self, input) {
                decoded += 1
                // Whatever decoded must also re-encode and decode again.
                _ = tryDecode(M.self, value.serializedBytes())
                _ = value.jsonString()
            }
        }
        return decoded
    }

    @Test("random bytes into every message type")
    func randomBytes() {
        let seed = TestSeed.make("MalformedInputTests.randomBytes")
        var rng = SeededGenerator(seed: seed)
        for type in CRIv1Schema.allMessageTypes {
            let inputs = (0..<40).map { _ in
                (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            }
            _ = Self.feed(type, inputs)
        }
    }

    @Test("mutated valid messages into every message type")
    func mutatedBytes() {
        let seed = TestSeed.make("MalformedInputTests.mutatedBytes")
        var rng = SeededGenerator(seed: seed)
        for type in CRIv1Schema.allMessageTypes {
            var inputs: [[UInt8]] = []
            for _ in 0..<15 {
                var bytes = RandomWire.shared.bytes(for: type.protoMessageName, using: &rng)
                guard !bytes.isEmpty else { continue }
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let index = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<4, using: &rng) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes[index] ^= 0x80
                    case 2: bytes.insert(0xFF, at: index)
                    default: bytes.removeSubrange(index...)
                    }
                    if bytes.isEmpty { break }
                }
                inputs.append(bytes)
            }
            _ = Self.feed(type, inputs)
        }
    }

    @Test("every prefix of every golden throws or decodes", arguments: GoldenTests.goldens.map(\.name))
    func truncatedGoldens(name: String) throws {
        let golden = try Paths.golden(name)
        for type in CRIv1Schema.allMessageTypes where type.protoMessageName == "runtime.v1." + name {
            let prefixes = (0..<golden.count).map { Array(golden[..<$0]) }
            _ = Self.feed(type, prefixes)
        }
    }

    @Test("specific malformed inputs throw", arguments: [
        [0x0A, 0x05, 0x61] as [UInt8],  // length past the end
        [0x08],  // varint missing
        [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // 11-byte varint
        [0x00, 0x01],  // field number 0
        [0x0B],  // start group (wire type 3)
        [0x0E, 0x00],  // wire type 6
        [0x0F, 0x00],  // wire type 7
        [0x0A, 0x02, 0xC3, 0x28],  // invalid UTF-8 in a string field
    ])
    func specificMalformed(bytes: [UInt8]) {
        #expect(throws: ProtoDecodingError.self) { try VersionResponse(serializedBytes: bytes) }
    }
}
