import Testing

import CRIHPACK

@Suite struct HPACKIntegerTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var section: String
        var value: Int
        var prefixBits: Int
        var bytes: [UInt8]
        var testDescription: String { "RFC 7541 § \(section)" }
    }

    static let vectors = [
        // RFC 7541 § C.1.1: 10 with a 5-bit prefix.
        Vector(section: "C.1.1", value: 10, prefixBits: 5, bytes: [0b0000_1010]),
        // RFC 7541 § C.1.2: 1337 with a 5-bit prefix: 31, then 1306 = 26 + 10 * 128.
        Vector(section: "C.1.2", value: 1337, prefixBits: 5, bytes: [0b0001_1111, 0b1001_1010, 0b0000_1010]),
        // RFC 7541 § C.1.3: 42 starting at an octet boundary (8-bit prefix).
        Vector(section: "C.1.3", value: 42, prefixBits: 8, bytes: [0b0010_1010]),
        // Edge: exactly the prefix maximum needs a zero continuation octet.
        Vector(section: "5.1 (prefix max)", value: 31, prefixBits: 5, bytes: [0x1f, 0x00]),
        Vector(
            section: "5.1 (limit)", value: IntegerCoding.maxValue, prefixBits: 7,
            bytes: [0x7f, 0x80, 0xff, 0xff, 0xff, 0x03]),
    ]

    @Test(arguments: vectors)
    func encodes(_ vector: Vector) {
        var bytes: [UInt8] = []
        IntegerCoding.encode(vector.value, prefixBits: vector.prefixBits, flags: 0, into: &bytes)
        #expect(bytes == vector.bytes)
    }

    @Test(arguments: vectors)
    func decodes(_ vector: Vector) throws {
        let value = try vector.bytes.withUnsafeBufferPointer { buffer in
            var reader = HPACKByteReader(buffer)
            let value = try IntegerCoding.decode(prefixBits: vector.prefixBits, from: &reader)
            #expect(reader.isAtEnd)
            return value
        }
        #expect(value == vector.value)
    }

    @Test func flagBitsAreIgnoredByTheDecoder() throws {
        // RFC 7541 § C.1.2 with the representation bits 111 set above the 5-bit prefix.
        let value = try [UInt8]([0xff, 0x9a, 0x0a]).withUnsafeBufferPointer { buffer in
            var reader = HPACKByteReader(buffer)
            return try IntegerCoding.decode(prefixBits: 5, from: &reader)
        }
        #expect(value == 1337)
    }

    @Test(arguments: [
        [UInt8](),  // nothing at all
        [0x1f],  // prefix full, continuation missing
        [0x1f, 0x9a],  // continuation bit set on the last octet
    ])
    func rejectsTruncatedIntegers(_ bytes: [UInt8]) {
        #expect(throws: HPACKError(code: .truncated, reason: "")) {
            try bytes.withUnsafeBufferPointer { buffer in
                var reader = HPACKByteReader(buffer)
                _ = try IntegerCoding.decode(prefixBits: 5, from: &reader)
            }
        }
    }

    @Test(arguments: [
        [0x1f, 0xff, 0xff, 0xff, 0xff, 0x0f] as [UInt8],  // 2^32 + 30: past the 2^30 limit
        [0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // endless zero continuations
        [0x1f, 0xe1, 0xff, 0xff, 0xff, 0x03],  // maxValue + 1 = 2^30 (31 + 2^30 - 31)
    ])
    func rejectsOverflowingIntegers(_ bytes: [UInt8]) {
        #expect(throws: HPACKError(code: .integerOverflow, reason: "")) {
            try bytes.withUnsafeBufferPointer { buffer in
                var reader = HPACKByteReader(buffer)
                _ = try IntegerCoding.decode(prefixBits: 5, from: &reader)
            }
        }
    }
}
