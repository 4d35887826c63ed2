import CRIHPACK
import Testing

@Suite struct HPACKMalformedInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: HPACKError.Code
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "truncated index integer", bytes: [0xff], code: .truncated),
        Case(name: "truncated index continuation", bytes: [0xff, 0x80], code: .truncated),
        Case(name: "integer overflow", bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0x0f], code: .integerOverflow),
        // RFC 7541 § 6.1: "The index value of 0 is not used."
        Case(name: "index 0", bytes: [0x80], code: .invalidIndex),
        Case(name: "index past an empty dynamic table", bytes: [0xbe], code: .invalidIndex),
        Case(name: "literal name index past the tables", bytes: [0x7e, 0x00], code: .invalidIndex),
        Case(name: "literal missing its name", bytes: [0x40], code: .truncated),
        Case(name: "literal missing its value", bytes: [0x41], code: .truncated),
        Case(name: "string longer than the block", bytes: [0x00, 0x05, 0x61], code: .stringTooLong),
        Case(name: "truncated string length", bytes: [0x00, 0x7f], code: .truncated),
        // RFC 7541 § 5.2: padding must be the most significant bits of EOS.
        Case(name: "Huffman padding of zeros", bytes: [0x00, 0x81, 0x18, 0x00], code: .invalidHuffman),
        Case(name: "Huffman padding over 7 bits", bytes: [0x00, 0x82, 0x1f, 0xff, 0x00], code: .invalidHuffman),
        Case(name: "Huffman EOS", bytes: [0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00], code: .invalidHuffman),
        // RFC 7541 § 6.3: 4097 > the 4096 we advertised.
        Case(name: "size update too large", bytes: [0x3f, 0xe2, 0x1f], code: .tableSizeUpdateTooLarge),
        // RFC 7541 § 4.2: updates only at the beginning of a block.
        Case(name: "size update mid-block", bytes: [0x82, 0x20], code: .misplacedTableSizeUpdate),
        Case(name: "three size updates", bytes: [0x20, 0x20, 0x20, 0x82], code: .tooManyTableSizeUpdates),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: Case) {
        var decoder = HPACKDecoder()
        #expect(throws: HPACKError(code: testCase.code, reason: "")) { try decoder.decode(testCase.bytes) }
    }

    @Test func acceptsTwoSizeUpdatesAndEmptyHuffmanStrings() throws {
        var decoder = HPACKDecoder()
        // 0x20: size 0, 0x3f 0xe1 0x1f: size 4096; then a literal with an empty Huffman name and value.
        let decoded = try decoder.decode([0x20, 0x3f, 0xe1, 0x1f, 0x00, 0x80, 0x80])
        #expect(decoded == [HPACKHeader(name: "", value: "", indexing: .notIndexed)])
        #expect(decoder.dynamicTable.maxSize == 4096)
    }

    @Test func headerListLimitCountsNameValueAnd32() throws {
        // ":method: GET" costs 7 + 3 + 32 = 42 octets.
        var decoder = HPACKDecoder(maxHeaderListSize: 84)
        #expect(try decoder.decode([0x82, 0x82]).count == 2)
        #expect(throws: HPACKError(code: .headerListTooLarge, reason: "")) { try decoder.decode([0x82, 0x82, 0x82]) }
    }

    @Test func headerListTooLargeStillUpdatesTheTable() throws {
        var decoder = HPACKDecoder(maxHeaderListSize: 50)
        // ":method: GET" (42) then "custom: v" with incremental indexing (6 + 1 + 32 = 39): over the limit.
        let block: [UInt8] = [0x82, 0x40, 0x06] + Array("custom".utf8) + [0x01, 0x76]
        #expect(throws: HPACKError(code: .headerListTooLarge, reason: "")) { try decoder.decode(block) }
        #expect(decoder.dynamicTable.entries == headers(["custom": "v"]))
        // The table is in sync: index 62 refers to the entry.
        decoder.maxHeaderListSize = 1000
        #expect(try decoder.decode([0xbe]) == headers(["custom": "v"]))
    }

    @Test func loweredTableSizeRequiresAnUpdate() throws {
        var decoder = HPACKDecoder()
        _ = try decoder.decode([0x41, 0x01, 0x61])  // :authority: a, indexed
        decoder.setMaxTableSize(0)
        // RFC 7541 § 4.2: the first block after the change must begin with an update.
        #expect(throws: HPACKError(code: .missingTableSizeUpdate, reason: "")) { try decoder.decode([0x82]) }
        #expect(throws: HPACKError(code: .missingTableSizeUpdate, reason: "")) { try decoder.decode([]) }
        #expect(throws: HPACKError(code: .tableSizeUpdateTooLarge, reason: "")) { try decoder.decode([0x21, 0x82]) }
        #expect(try decoder.decode([0x20, 0x82]) == headers([":method": "GET"]))
        #expect(decoder.dynamicTable.count == 0)
        #expect(try decoder.decode([0x82]) == headers([":method": "GET"]))
    }

    @Test func errorsCompareByCodeAndDescribeThemselves() {
        let error = HPACKError(code: .invalidIndex, reason: "index 0")
        #expect(error == HPACKError(code: .invalidIndex, reason: "other"))
        #expect(error != HPACKError(code: .truncated, reason: "index 0"))
        #expect(error.description == "HPACKError.invalidIndex: index 0")
    }
}
