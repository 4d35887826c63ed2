import CRIHPACK

/// Parses an RFC-style hex dump ("8286 8441 …"), ignoring whitespace.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// Shorthand for building header lists in tests.
func headers(_ pairs: KeyValuePairs<String, String>) -> [HPACKHeader] {
    pairs.map { HPACKHeader(name: $0.key, value: $0.value) }
}

/// Small deterministic PRNG (SplitMix64) so failures replay from a printed seed.
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
