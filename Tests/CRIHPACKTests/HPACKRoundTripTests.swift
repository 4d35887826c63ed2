import CRIHPACK
import Foundation
import Testing

/// Seeded random round trips in the spirit of h2's `fuzz.rs`: random header lists, indexing kinds,
/// Huffman on/off and table resizes, checking the decoded list and that both tables stay identical.
@Suite struct HPACKRoundTripTests {
    static let names = [
        ":method", ":path", ":authority", ":status", "content-type", "te", "grpc-timeout", "grpc-status",
        "grpc-message", "user-agent", "set-cookie", "x-custom", "x-trace-id", "authorization",
    ]

    private func randomString(_ rng: inout SeededGenerator, maxLength: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/:;.,= %é✓🙂")
        let length = Int.random(in: 0...maxLength, using: &rng)
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    @Test func randomRoundTrips() throws {
        let seed =
            ProcessInfo.processInfo.environment["HPACK_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 0...UInt64.max)
        print("HPACKRoundTripTests seed: \(seed) (replay with HPACK_SEED=\(seed))")
        var rng = SeededGenerator(seed: seed)
        var encoder = HPACKEncoder()
        var decoder = HPACKDecoder(maxTableSize: 4096, maxHeaderListSize: 1 << 20)

        for round in 0..<300 {
            if Int.random(in: 0..<10, using: &rng) == 0 {
                encoder.setMaxTableSize(Int.random(in: 0...4096, using: &rng))
            }
            encoder.useHuffman = Bool.random(using: &rng)
            var list: [HPACKHeader] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                let name =
                    Bool.random(using: &rng)
                    ? Self.names.randomElement(using: &rng)!
                    : randomString(&rng, maxLength: 20)
                let value =
                    Int.random(in: 0..<4, using: &rng) == 0
                    ? "GET" : randomString(&rng, maxLength: Int.random(in: 0..<20, using: &rng) == 0 ? 3000 : 40)
                let indexing = [HPACKIndexing.indexable, .indexable, .notIndexed, .neverIndexed]
                    .randomElement(using: &rng)!
                list.append(HPACKHeader(name: name, value: value, indexing: indexing))
            }
            // Repeat some fields so the dynamic table gets hits.
            if !list.isEmpty && Bool.random(using: &rng) { list.append(list[0]) }

            var block: [UInt8] = []
            encoder.encode(list, into: &block)
            let decoded = try decoder.decode(block)
            #expect(decoded == list, "seed \(seed) round \(round)")
            #expect(decoder.dynamicTable.entries == encoder.dynamicTable.entries, "seed \(seed) round \(round)")
            #expect(decoder.dynamicTable.size == encoder.dynamicTable.size, "seed \(seed) round \(round)")
            if decoded != list { break }
        }
    }
}
