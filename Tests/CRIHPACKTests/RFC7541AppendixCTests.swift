import CRIHPACK
import Testing

@Suite struct RFC7541AppendixCTests {
    /// RFC 7541 § C.3 – § C.6: decode each block in order, then check the list and the table.
    @Test(arguments: RFC7541.appendixC)
    func decodesAppendixC(_ story: AppendixCStory) throws {
        var decoder = HPACKDecoder(maxTableSize: story.maxTableSize)
        for (number, block) in story.blocks.enumerated() {
            let decoded = try decoder.decode(hexBytes(block.hex))
            #expect(decoded == block.headers, "§ \(story.section).\(number + 1) headers")
            #expect(decoder.dynamicTable.entries == block.table, "§ \(story.section).\(number + 1) table")
            #expect(decoder.dynamicTable.size == block.tableSize, "§ \(story.section).\(number + 1) size")
        }
    }

    /// RFC 7541 § C.3 – § C.6: our encoder, configured like the RFC's, produces the exact bytes.
    @Test(arguments: RFC7541.appendixC)
    func encodesAppendixC(_ story: AppendixCStory) {
        var encoder = HPACKEncoder(maxTableSize: story.maxTableSize, useHuffman: story.huffman)
        for (number, block) in story.blocks.enumerated() {
            var bytes: [UInt8] = []
            encoder.encode(block.headers, into: &bytes)
            #expect(bytes == hexBytes(block.hex), "§ \(story.section).\(number + 1) bytes")
            #expect(encoder.dynamicTable.entries == block.table, "§ \(story.section).\(number + 1) table")
            #expect(encoder.dynamicTable.size == block.tableSize, "§ \(story.section).\(number + 1) size")
        }
    }

    // RFC 7541 § C.2.1: literal header field with indexing.
    @Test func literalWithIndexing() throws {
        let bytes = hexBytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")
        var decoder = HPACKDecoder()
        #expect(try decoder.decode(bytes) == headers(["custom-key": "custom-header"]))
        #expect(decoder.dynamicTable.entries == headers(["custom-key": "custom-header"]))
        #expect(decoder.dynamicTable.size == 55)

        var encoder = HPACKEncoder(useHuffman: false)
        var encoded: [UInt8] = []
        encoder.encode(headers(["custom-key": "custom-header"]), into: &encoded)
        #expect(encoded == bytes)
        #expect(encoder.dynamicTable.size == 55)
    }

    // RFC 7541 § C.2.2: literal header field without indexing.
    @Test func literalWithoutIndexing() throws {
        let bytes = hexBytes("040c 2f73 616d 706c 652f 7061 7468")
        let field = HPACKHeader(name: ":path", value: "/sample/path", indexing: .notIndexed)
        var decoder = HPACKDecoder()
        #expect(try decoder.decode(bytes) == [field])
        #expect(decoder.dynamicTable.count == 0)
        #expect(decoder.dynamicTable.size == 0)

        var encoder = HPACKEncoder(useHuffman: false)
        var encoded: [UInt8] = []
        encoder.encode([field], into: &encoded)
        #expect(encoded == bytes)
        #expect(encoder.dynamicTable.count == 0)
    }

    // RFC 7541 § C.2.3: literal header field never indexed.
    @Test func literalNeverIndexed() throws {
        let bytes = hexBytes("1008 7061 7373 776f 7264 0673 6563 7265 74")
        let field = HPACKHeader(name: "password", value: "secret", indexing: .neverIndexed)
        var decoder = HPACKDecoder()
        #expect(try decoder.decode(bytes) == [field])
        #expect(decoder.dynamicTable.count == 0)

        var encoder = HPACKEncoder(useHuffman: false)
        var encoded: [UInt8] = []
        encoder.encode([field], into: &encoded)
        #expect(encoded == bytes)
        #expect(encoder.dynamicTable.count == 0)
    }

    // RFC 7541 § C.2.4: indexed header field.
    @Test func indexedField() throws {
        var decoder = HPACKDecoder()
        #expect(try decoder.decode([0x82]) == headers([":method": "GET"]))
        #expect(decoder.dynamicTable.count == 0)

        var encoder = HPACKEncoder()
        var encoded: [UInt8] = []
        encoder.encode(headers([":method": "GET"]), into: &encoded)
        #expect(encoded == [0x82])
    }
}
