import CRIWire
import Testing

/// A map entry on the wire: field 14 of `Everything`, key = 1, value = 2.
private func entry(_ key: String, _ value: String) -> [UInt8] {
    let body = [0x0A, UInt8(key.utf8.count)] + Array(key.utf8) + [0x12, UInt8(value.utf8.count)] + Array(value.utf8)
    return [0x72, UInt8(body.count)] + body
}

@Suite("StringMap: proto map<string, string>")
struct StringMapTests {
    @Test func keepsInsertionOrderAndReplacesInPlace() {
        var map: StringMap = ["b": "1", "a": "2"]
        map["c"] = "3"
        #expect(map.updateValue("20", forKey: "a") == "2")
        #expect(map.keys == ["b", "a", "c"])
        #expect(map.values == ["1", "20", "3"])
        #expect(map.count == 3)
        #expect(map["a"] == "20")
        #expect(map["missing"] == nil)
        #expect(map["missing", default: "x"] == "x")
    }

    @Test func removingKeepsTheOthersInOrder() {
        var map: StringMap = ["a": "1", "b": "2", "c": "3"]
        #expect(map.removeValue(forKey: "b") == "2")
        #expect(map.removeValue(forKey: "b") == nil)
        map["a"] = nil
        #expect(map.keys == ["c"])
        map.removeAll()
        #expect(map.isEmpty)
    }

    @Test func literalWithARepeatedKeyKeepsTheLastValue() {
        let map: StringMap = ["k": "first", "other": "o", "k": "last"]
        #expect(map.keys == ["k", "other"])
        #expect(map["k"] == "last")
    }

    @Test func equalityAndHashIgnoreOrder() {
        let forward: StringMap = ["a": "1", "b": "2", "c": "3"]
        let backward: StringMap = ["c": "3", "b": "2", "a": "1"]
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(forward != ["a": "1", "b": "2", "c": "4"])
        #expect(forward != ["a": "1", "b": "2"])
        #expect(forward != ["a": "1", "b": "2", "d": "3"])
        // Swapped values under the same keys: same multiset of strings, still unequal.
        #expect(StringMap(["a": "1", "b": "2"]) != ["a": "2", "b": "1"])
    }

    @Test func fromDictionaryIsOrderedByKey() {
        let map = StringMap(["zeta": "z", "alpha": "a", "mid": "m"])
        #expect(map.keys == ["alpha", "mid", "zeta"])
        #expect(map.dictionary == ["zeta": "z", "alpha": "a", "mid": "m"])
    }

    @Test func describesLikeADictionary() {
        let map: StringMap = ["k": "v", "quote": "a\"b"]
        #expect(map.description == #"["k": "v", "quote": "a\"b"]"#)
        #expect(StringMap().description == "[:]")
    }

    /// Random operations against a `Dictionary` model, crossing the indexed size both ways.
    @Test(arguments: [7, 42, 1234])
    func behavesLikeADictionaryAcrossTheIndexThreshold(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var map = StringMap()
        var model: [String: String] = [:]
        for step in 0..<4000 {
            // Grow past the threshold in the first half, shrink back under it in the second.
            let keySpace = step < 2000 ? 64 : 24
            let key = "key-\(Int.random(in: 0..<keySpace, using: &generator))"
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                #expect(map.updateValue("v\(step)", forKey: key) == model.updateValue("v\(step)", forKey: key))
            case 5..<7:
                #expect(map.removeValue(forKey: key) == model.removeValue(forKey: key))
            default:
                #expect(map[key] == model[key])
            }
            if step >= 2000 {
                // Trim keys outside the smaller key space, so the map shrinks below the threshold.
                let stale = "key-\(Int.random(in: 24..<64, using: &generator))"
                #expect(map.removeValue(forKey: stale) == model.removeValue(forKey: stale))
            }
            #expect(map.count == model.count)
        }
        #expect(map.dictionary == model)
        #expect(map == StringMap(model))
        #expect(map.count <= 24)
    }

    @Test func decodingKeepsWireOrderAndReEncodesTheSameBytes() throws {
        let bytes = entry("zz", "1") + entry("aa", "2") + entry("mm", "3")
        let message = try Everything(serializedBytes: bytes)
        #expect(message.labels.keys == ["zz", "aa", "mm"])
        #expect(message.serializedBytes() == bytes)
    }

    @Test func decodingARepeatedKeyKeepsTheLastValueInTheFirstPlace() throws {
        let bytes = entry("a", "1") + entry("b", "2") + entry("a", "3")
        let message = try Everything(serializedBytes: bytes)
        #expect(message.labels.keys == ["a", "b"])
        #expect(message.labels["a"] == "3")
    }

    @Test func decodingALargeMapWithRepeatsMatchesTheDictionaryModel() throws {
        var bytes: [UInt8] = []
        var model: [String: String] = [:]
        for index in 0..<3000 {
            let key = "k\(index % 700)"
            bytes += entry(key, "v\(index)")
            model[key] = "v\(index)"
        }
        let message = try Everything(serializedBytes: bytes)
        #expect(message.labels.count == 700)
        #expect(message.labels.dictionary == model)
        #expect(try Everything(serializedBytes: message.serializedBytes()).labels == message.labels)
    }
}

/// SplitMix64: a deterministic generator so that a failing seed reproduces.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
