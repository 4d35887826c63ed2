import CRIHPACK
import Testing

@Suite struct HPACKEncoderTests {
    @Test func neverIndexedUsesAStaticNameAndIsNotStored() {
        var encoder = HPACKEncoder(useHuffman: false)
        var bytes: [UInt8] = []
        encoder.encode([HPACKHeader(name: "authorization", value: "k", indexing: .neverIndexed)], into: &bytes)
        // RFC 7541 § 6.2.3: 0001 + name index 23 (15 + 8), then the raw value.
        #expect(bytes == [0x1f, 0x08, 0x01, 0x6b])
        #expect(encoder.dynamicTable.count == 0)
    }

    @Test func neverIndexedIsNotSentAsAnIndexEvenWhenTheFieldIsInTheTable() {
        var encoder = HPACKEncoder(useHuffman: false)
        var first: [UInt8] = []
        encoder.encode(headers(["x": "y"]), into: &first)
        var second: [UInt8] = []
        encoder.encode([HPACKHeader(name: "x", value: "y", indexing: .neverIndexed)], into: &second)
        // Name from dynamic index 62 (15 + 47), value literal.
        #expect(second == [0x1f, 0x2f, 0x01, 0x79])
    }

    @Test func tableSizeChangesAreSignalledSmallestThenFinal() throws {
        var encoder = HPACKEncoder()
        encoder.setMaxTableSize(0)
        encoder.setMaxTableSize(256)
        var bytes: [UInt8] = []
        encoder.encode(headers([":method": "GET"]), into: &bytes)
        // RFC 7541 § 4.2: update to 0 (0x20), update to 256 (0x3f 0xe1 0x01), then the field.
        #expect(bytes == [0x20, 0x3f, 0xe1, 0x01, 0x82])

        var next: [UInt8] = []
        encoder.encode(headers([":method": "GET"]), into: &next)
        #expect(next == [0x82])

        var decoder = HPACKDecoder()
        _ = try decoder.decode(bytes)
        #expect(decoder.dynamicTable.maxSize == 256)
    }

    @Test func unchangedTableSizeIsNotSignalled() {
        var encoder = HPACKEncoder()
        encoder.setMaxTableSize(4096)
        var bytes: [UInt8] = []
        encoder.encode([], into: &bytes)
        #expect(bytes.isEmpty)
    }

    @Test func fieldLargerThanTheTableEmptiesIt() throws {
        var encoder = HPACKEncoder(maxTableSize: 64, useHuffman: false)
        var decoder = HPACKDecoder(maxTableSize: 64)
        var bytes: [UInt8] = []
        encoder.encode(headers(["a": "b"]), into: &bytes)
        encoder.encode(headers(["big": String(repeating: "v", count: 40)]), into: &bytes)
        #expect(encoder.dynamicTable.count == 0)
        _ = try decoder.decode(bytes)
        #expect(decoder.dynamicTable.count == 0)
        #expect(decoder.dynamicTable.size == 0)
    }
}

@Suite struct HPACKEncoderTableCeilingTests {
    @Test func aHugePeerTableIsCappedWithoutAnUpdate() {
        var encoder = HPACKEncoder()
        encoder.setMaxTableSize(1 << 31)
        #expect(encoder.dynamicTable.maxSize == 4096)
        var bytes: [UInt8] = []
        encoder.encode([HPACKHeader(name: ":method", value: "GET")], into: &bytes)
        #expect(bytes == [0x82])
    }

    @Test func theCeilingIsConfigurable() throws {
        var encoder = HPACKEncoder(tableSizeCeiling: 8192)
        encoder.setMaxTableSize(65_536)
        #expect(encoder.dynamicTable.maxSize == 8192)
        var bytes: [UInt8] = []
        encoder.encode([], into: &bytes)
        // RFC 7541 § 4.2: the size in use changed, so it is signalled: 001 + 8192 (31 + 8161).
        #expect(bytes == [0x3f, 0xe1, 0x3f])
        var decoder = HPACKDecoder(maxTableSize: 65_536)
        _ = try decoder.decode(bytes)
        #expect(decoder.dynamicTable.maxSize == 8192)
    }
}
