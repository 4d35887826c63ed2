import CRIWire
import Foundation
import Testing

/// Paths relative to the package root, found from this file's location.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CRIv1Tests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/CRIv1Tests/Fixtures")
    static let proto = root.appendingPathComponent("Protos/cri/runtime/v1/api.proto")

    /// The protoc-made golden bytes of a fixture; a missing file fails the test (never skips it).
    static func golden(_ name: String) throws -> [UInt8] {
        let url = fixtures.appendingPathComponent(name + ".binpb")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FixtureMissing(path: url.path)
        }
        return [UInt8](data)
    }
}

struct FixtureMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "missing golden \(path); run Scripts/make-goldens.sh" }
}

/// A small deterministic generator (SplitMix64) so failures replay from a printed seed.
struct SeededGenerator: RandomNumberGenerator {
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

enum TestSeed {
    /// `CRI_TEST_SEED` replays a run; otherwise a fresh seed, printed so a failure can be reproduced.
    static func make(_ testName: String) -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["CRI_TEST_SEED"], let seed = UInt64(text) {
            print("\(testName): replaying CRI_TEST_SEED=\(seed)")
            return seed
        }
        let seed = UInt64.random(in: 0...UInt64.max)
        print("\(testName): seed \(seed) (replay with CRI_TEST_SEED=\(seed))")
        return seed
    }
}

/// Hex rendering for readable byte mismatches.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
}

/// Decodes `bytes` as `M`, returning nil on a thrown error (used where only "no crash" matters).
func tryDecode<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> M? {
    try? M(serializedBytes: bytes)
}
