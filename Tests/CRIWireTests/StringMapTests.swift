import Testing

@testable import CRIWire

/// A map entry on the wire: field 14 of `Everything`, key = 1, value = 2.
private func entry(_ key: String, _ value: String) -> [UInt8] {
    let body = [0x0A, UInt8(key.utf8.count)] + Array(key.utf8) + [0x12, UInt8(value.utf8.count)] + Array(value.utf8)
    return [0x72, UInt8(body.count)] + body
}

/// The binary size of `map` as a map field, counted from its entries.
private func countedSize(_ map: StringMap, tagSize: Int) -> Int {
    func varintSize(_ value: Int) -> Int { value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : 4 }
    var total = 0
    for (key, value) in map {
        let body = 2 + varintSize(key.utf8.count) + key.utf8.count + varintSize(value.utf8.count) + value.utf8.count
        total += tagSize + varintSize(body) + body
    }
    return total
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

    /// Key lengths 1, 65 and 129 share a bit of the length mask; lookups must still tell them apart.
    @Test func keysWhoseLengthsShareAMaskBit() {
        let short = "a"
        let medium = String(repeating: "a", count: 65)
        let long = String(repeating: "a", count: 129)
        var map: StringMap = [short: "1", long: "3"]
        #expect(map[medium] == nil)
        map[medium] = "2"
        #expect(map[short] == "1" && map[medium] == "2" && map[long] == "3")
        map[short] = nil
        #expect(map[short] == nil && map[medium] == "2" && map[long] == "3")
        map[medium] = nil
        map[long] = nil
        #expect(map.isEmpty && map[long] == nil)
        map["b"] = "4"
        #expect(map["b"] == "4" && map[short] == nil)
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
        var generator = SplitMix64(seed: seed)
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
            if step % 97 == 0 {
                // The size kept by every mutation matches the entries, for one- and two-byte tags.
                #expect(ProtoSize.stringMap(tagSize: 1, map) == countedSize(map, tagSize: 1))
                #expect(ProtoSize.stringMap(tagSize: 2, map) == countedSize(map, tagSize: 2))
            }
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

    @Test func keptSizeFollowsLongEntriesAndReplacements() {
        var map: StringMap = ["k": "v"]
        map["long"] = String(repeating: "x", count: 200)  // two-byte lengths
        map["k"] = String(repeating: "y", count: 20_000)  // a replacement that grows the entry
        map["é"] = ""
        #expect(ProtoSize.stringMap(tagSize: 1, map) == countedSize(map, tagSize: 1))
        map["k"] = "short"
        map.removeValue(forKey: "long")
        #expect(ProtoSize.stringMap(tagSize: 1, map) == countedSize(map, tagSize: 1))
        map.removeAll()
        #expect(ProtoSize.stringMap(tagSize: 1, map) == 0)
    }

    /// Entries in shapes other than key-then-value with one-byte lengths take the decoder's general path.
    @Test func decodingEntriesOfEveryShape() throws {
        func field(_ number: UInt8, _ text: String) -> [UInt8] {
            let bytes = Array(text.utf8)
            var length: [UInt8] = []
            var value = bytes.count
            while value >= 0x80 {
                length.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            length.append(UInt8(value))
            return [number << 3 | 2] + length + bytes
        }
        func wrap(_ body: [UInt8]) -> [UInt8] {
            precondition(body.count < 0x4000)
            return body.count < 0x80
                ? [0x72, UInt8(body.count)] + body
                : [0x72, UInt8(body.count & 0x7F) | 0x80, UInt8(body.count >> 7)] + body
        }
        let long = String(repeating: "L", count: 130)
        let bytes =
            wrap(field(2, "value-first") + field(1, "a"))  // value before key
            + wrap(field(2, "no key"))  // key missing: the empty key
            + wrap(field(1, "no value"))  // value missing: the empty value
            + wrap(field(1, "b") + [0x18, 0x05] + field(2, "unknown field inside"))  // field 3 varint
            + wrap(field(1, long) + field(2, "long key"))  // two-byte key length
            + wrap(field(1, "c") + field(2, long))  // two-byte value length
            + wrap(field(1, "d") + field(2, "first") + field(2, "second"))  // repeated value: the last counts
            + entry("a", "replaced")  // the fast path replacing a general-path entry
            // A 204-byte entry: one-byte key and value lengths, a two-byte entry length.
            + wrap(field(1, String(repeating: "k", count: 100)) + field(2, String(repeating: "v", count: 100)))
        let message = try Everything(serializedBytes: bytes)
        let expected: StringMap = [
            "a": "replaced", "": "no key", "no value": "", "b": "unknown field inside", long: "long key", "c": long,
            "d": "second", String(repeating: "k", count: 100): String(repeating: "v", count: 100),
        ]
        #expect(message.labels == expected)
        #expect(message.labels.keys == ["a", "", "no value", "b", long, "c", "d", String(repeating: "k", count: 100)])
        #expect(ProtoSize.stringMap(tagSize: 1, message.labels) == countedSize(message.labels, tagSize: 1))
        #expect(message.serializedBytes().count == message.encodedSize())
        #expect(try Everything(serializedBytes: message.serializedBytes()) == message)
    }

    @Test func decodingInvalidUTF8InAnEntryFails() {
        for bytes in [
            [0x72, 0x06, 0x0A, 0x01, 0xFF, 0x12, 0x01, 0x61], [0x72, 0x06, 0x0A, 0x01, 0x61, 0x12, 0x01, 0xC3],
        ] as [[UInt8]] {
            #expect(throws: ProtoDecodingError(code: .invalidUTF8)) { _ = try Everything(serializedBytes: bytes) }
        }
    }

    @Test func decodingARepeatedKeyKeepsTheLastValueInTheFirstPlace() throws {
        let bytes = entry("a", "1") + entry("b", "2") + entry("a", "3")
        let message = try Everything(serializedBytes: bytes)
        #expect(message.labels.keys == ["a", "b"])
        #expect(message.labels["a"] == "3")
    }

    @Test func decodingAnEntryWithAPaddedLengthStoresItMinimally() throws {
        // The entry's length 8 as a two-byte varint (0x88 0x00): the byte before the body is not the
        // length, so the body cannot be stored together with it.
        let body: [UInt8] = [0x0A, 0x01] + Array("k".utf8) + [0x12, 0x03] + Array("val".utf8)
        let bytes: [UInt8] = [0x72, 0x88, 0x00] + body + entry("j", "w")
        let message = try Everything(serializedBytes: bytes)
        #expect(message.labels == ["k": "val", "j": "w"])
        #expect(message.serializedBytes() == entry("k", "val") + entry("j", "w"))
        #expect(ProtoSize.stringMap(tagSize: 1, message.labels) == countedSize(message.labels, tagSize: 1))
    }

    @Test func repeatingAKeyBeforeALongValueNeverMovesTheLongValue() throws {
        // Each replacement of another length would move every packed byte after the entry; past a few
        // hundred the map holds strings instead, replaced in place.
        let long = String(repeating: "L", count: 300)
        var bytes = entry("a", "first")
        bytes += [0x72, 0xB2, 0x02, 0x0A, 0x01, 0x62, 0x12, 0xAC, 0x02] + Array(long.utf8)  // "b": long
        for index in 0..<1000 { bytes += entry("a", String(repeating: "x", count: index % 7)) }
        let message = try Everything(serializedBytes: bytes)
        #expect(message.labels.large != nil)
        #expect(message.labels.keys == ["a", "b"])
        #expect(message.labels["a"] == String(repeating: "x", count: 999 % 7))
        #expect(message.labels["b"] == long)
        #expect(try Everything(serializedBytes: message.serializedBytes()) == message)
        // A short tail is moved: the map stays packed.
        let short = try Everything(serializedBytes: entry("a", "1") + entry("b", "2") + entry("a", "33"))
        #expect(short.labels.large == nil)
        #expect(short.labels.keys == ["a", "b"] && short.labels["a"] == "33")
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
