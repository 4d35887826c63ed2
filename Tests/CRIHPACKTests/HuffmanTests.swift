import Testing

import CRIHPACK

@Suite struct HuffmanTests {
    private func encode(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        HuffmanEncoding.encode(string.utf8, into: &bytes)
        #expect(bytes.count == HuffmanEncoding.encodedLength(of: string.utf8))
        return bytes
    }

    private func decode(_ bytes: [UInt8]) throws -> String {
        try bytes.withUnsafeBufferPointer { try HuffmanDecoding.decode($0) }
    }

    // RFC 7541 § C.4.1: "www.example.com".
    @Test func encodesTheRFCExample() throws {
        #expect(encode("www.example.com") == hexBytes("f1e3 c2e5 f23a 6ba0 ab90 f4ff"))
        #expect(try decode(hexBytes("f1e3 c2e5 f23a 6ba0 ab90 f4ff")) == "www.example.com")
    }

    @Test func roundTripsEveryASCIIByte() throws {
        let ascii = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        #expect(try decode(encode(ascii)) == ascii)
    }

    @Test func roundTripsMultibyteUTF8() throws {
        // Covers the long (up to 30-bit) codes of bytes 0x80-0xf4.
        let text = "héllo wörld ✓ 日本語 🙂 \u{7ff}\u{800}\u{ffff}\u{10ffff}"
        #expect(try decode(encode(text)) == text)
    }

    @Test func sevenBitsOfPaddingAreAccepted() throws {
        // Five 5-bit codes: 25 bits, so the last octet carries 7 padding bits.
        let bytes = encode("aaaaa")
        #expect(bytes.count == 4)
        #expect(bytes.last == 0b1111_1111)  // the last bit of 'a' (00011), then 7 ones
        #expect(try decode(bytes) == "aaaaa")
    }

    @Test func emptyInputDecodesToEmpty() throws {
        #expect(try decode([]) == "")
    }

    @Test(arguments: [
        [0xff, 0xff, 0xff, 0xff] as [UInt8],  // EOS (30 ones) decoded as a symbol
        [0x18],  // 'a' then 000: padding that is not EOS's prefix
        [0x1f, 0xff],  // 'a' then 11 one bits: padding over 7 bits
        [0xff],  // 8 ones alone: a prefix of EOS, but longer than 7 bits
        [0xfe],  // ends inside a 10-bit code, not on the EOS path
    ])
    func rejectsInvalidCodes(_ bytes: [UInt8]) {
        #expect(throws: HPACKError(code: .invalidHuffman, reason: "")) { try decode(bytes) }
    }
}
