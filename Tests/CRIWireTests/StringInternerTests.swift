import Testing

@testable import CRIWire

/// Where a string's bytes live: two strings that share storage have the same address.
private func storageAddress(_ string: String) -> UnsafeRawPointer? {
    string.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
}

@Suite("StringInterner: sharing repeated strings within a decode")
struct StringInternerTests {
    private func intern(_ text: String, in interner: StringInterner) -> String? {
        var text = text
        return text.withUTF8 { interner.string($0) }
    }

    @Test func stringsThatDifferOnlyAtTheirEndGetSlotsOfTheirOwn() throws {
        // Image names of one registry differ in their last bytes only. When slots were picked by the
        // hash's low bits, all fifty landed in one slot and evicted each other on every sighting.
        let interner = StringInterner()
        let names = (0..<50).map { "registry.k8s.io/e2e-test-images/agnhost:2.\($0)" }
        var ids = SplitMix64(seed: 9)
        for _ in 0..<3 {
            for name in names {
                _ = intern(name, in: interner)
                // IDs between the sightings, as in a container list: they never repeat.
                _ = intern(String(ids.next(), radix: 16) + String(ids.next(), radix: 16), in: interner)
            }
        }
        var shared = 0
        for name in names {
            let first = try #require(intern(name, in: interner))
            let second = try #require(intern(name, in: interner))
            #expect(first == name && second == name)
            if storageAddress(first) == storageAddress(second) { shared += 1 }
        }
        // A few names may share a slot by chance; most must be cached.
        #expect(shared >= 45, "\(shared) of 50 names were shared")
    }

    @Test func invalidUTF8IsRefusedAndNeverCached() {
        let interner = StringInterner()
        let bytes: [UInt8] = Array("registry.k8s.io/pause:3.".utf8) + [0xFF]
        for _ in 0..<3 {
            #expect(bytes.withUnsafeBufferPointer { interner.string($0) } == nil)
        }
    }
}
