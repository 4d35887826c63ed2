import CRIWire
import Testing

/// Encodes `message` and checks the exact bytes, then decodes them back to the same value.
private func assertEncodes(_ message: Everything, _ expected: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(message.serializedBytes() == expected, sourceLocation: sourceLocation)
    #expect((try? Everything(serializedBytes: expected)) == message, sourceLocation: sourceLocation)
}

@Suite("Binary encoding: field by field")
struct BinaryEncodingTests {
    @Test func defaultsAreNotEmitted() {
        assertEncodes(Everything(), [])
    }

    @Test func positiveInt32() {
        var message = Everything()
        message.i32 = 150
        assertEncodes(message, [0x08, 0x96, 0x01])  // field 1 varint, 150
    }

    @Test func negativeInt32TakesTenBytes() {
        var message = Everything()
        message.i32 = -1
        assertEncodes(message, [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func negativeInt64TakesTenBytes() {
        var message = Everything()
        message.i64 = -2
        assertEncodes(message, [0x10, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func int64Extremes() throws {
        for value in [Int64.min, Int64.max, 1, -1, 1 << 35] {
            var message = Everything()
            message.i64 = value
            #expect(try Everything(serializedBytes: message.serializedBytes()).i64 == value)
        }
    }

    @Test func unsignedAndBool() {
        var message = Everything()
        message.u32 = UInt32.max
        message.u64 = UInt64.max
        message.flag = true
        assertEncodes(message, [
            0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F,  // field 3: 2^32-1
            0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,  // field 4: 2^64-1
            0x28, 0x01,  // field 5: true
        ])
    }

    @Test func enumAndDouble() {
        var message = Everything()
        message.colour = .green
        message.ratio = 1.5
        assertEncodes(message, [
            0x30, 0x01,  // field 6 varint 1
            0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F,  // field 7 fixed64 1.5
        ])
    }

    @Test func unknownEnumValueSurvives() throws {
        let decoded = try Everything(serializedBytes: [0x30, 0x07])
        #expect(decoded.colour == .unrecognized(7))
        #expect(decoded.serializedBytes() == [0x30, 0x07])
    }

    @Test func stringAndBytes() {
        var message = Everything()
        message.text = "héllo"
        message.blob = [0x00, 0xFF]
        assertEncodes(message, [
            0x42, 0x06, 0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F,  // field 8: "héllo" (6 UTF-8 bytes)
            0x4A, 0x02, 0x00, 0xFF,  // field 9: bytes
        ])
    }

    @Test func emptySubMessageIsStillEmitted() {
        var message = Everything()
        message.inner = Inner()
        assertEncodes(message, [0x52, 0x00])  // field 10, length 0: presence matters
    }

    @Test func longSubMessageWidensItsLength() throws {
        var message = Everything()
        message.inner = Inner()
        message.inner?.name = String(repeating: "x", count: 300)
        let bytes = message.serializedBytes()
        // tag, 2-byte length 303 (0xAF 0x02), inner tag, 2-byte length 300 (0xAC 0x02)
        #expect(Array(bytes.prefix(6)) == [0x52, 0xAF, 0x02, 0x0A, 0xAC, 0x02])
        #expect(bytes.count == 3 + 303)
        #expect(try Everything(serializedBytes: bytes) == message)
    }

    @Test func packedRepeatedScalars() {
        var message = Everything()
        message.groups = [1, -1]
        message.ports = [80, 443]
        assertEncodes(message, [
            0x62, 0x0B, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,  // field 12 packed
            0x6A, 0x03, 0x50, 0xBB, 0x03,  // field 13 packed: 80, 443
        ])
    }

    @Test func unpackedRepeatedScalarsAreAccepted() throws {
        let decoded = try Everything(serializedBytes: [0x60, 0x01, 0x60, 0x02, 0x62, 0x01, 0x03, 0x68, 0x05])
        #expect(decoded.groups == [1, 2, 3])
        #expect(decoded.ports == [5])
    }

    @Test func mapEntries() {
        var message = Everything()
        message.labels = ["a": "b"]
        assertEncodes(message, [0x72, 0x06, 0x0A, 0x01, 0x61, 0x12, 0x01, 0x62])
    }

    @Test func mapEntryWithMissingKeyOrValueTakesDefaults() throws {
        let decoded = try Everything(serializedBytes: [
            0x72, 0x03, 0x0A, 0x01, 0x6B,  // key "k", no value
            0x72, 0x03, 0x12, 0x01, 0x76,  // value "v", no key
        ])
        #expect(decoded.labels == ["k": "", "": "v"])
    }

    @Test func lastScalarWinsAndSubMessagesMerge() throws {
        let decoded = try Everything(serializedBytes: [
            0x08, 0x01, 0x08, 0x02,  // i32 = 1 then 2
            0x52, 0x03, 0x0A, 0x01, 0x61,  // inner.name = "a"
            0x52, 0x02, 0x10, 0x05,  // inner.value = 5 (merged, name kept)
            0x5A, 0x00, 0x5A, 0x00,  // two repeated items
        ])
        #expect(decoded.i32 == 2)
        #expect(decoded.inner == { var inner = Inner(); inner.name = "a"; inner.value = 5; return inner }())
        #expect(decoded.items.count == 2)
    }

    @Test func unknownFieldsOfEveryWireTypeAreKeptAndReEmitted() throws {
        let unknown: [UInt8] = [
            0xA8, 0x1F, 0x2A,  // field 501 varint 42
            0xB1, 0x1F, 1, 2, 3, 4, 5, 6, 7, 8,  // field 502 fixed64
            0xBA, 0x1F, 0x02, 0x68, 0x69,  // field 503 length-delimited "hi"
            0xC5, 0x1F, 1, 2, 3, 4,  // field 504 fixed32
        ]
        let decoded = try Everything(serializedBytes: [0x08, 0x01] + unknown)
        #expect(decoded.unknownFields.bytes == unknown)
        #expect(decoded.serializedBytes() == [0x08, 0x01] + unknown)
    }

    @Test func knownFieldWithWrongWireTypeIsKeptAsUnknown() throws {
        let decoded = try Everything(serializedBytes: [0x0D, 1, 2, 3, 4])  // field 1 as fixed32
        #expect(decoded.i32 == 0)
        #expect(decoded.unknownFields.bytes == [0x0D, 1, 2, 3, 4])
    }

    @Test func varintSizes() {
        #expect(Varint.encodedSize(of: 0) == 1)
        #expect(Varint.encodedSize(of: 127) == 1)
        #expect(Varint.encodedSize(of: 128) == 2)
        #expect(Varint.encodedSize(of: UInt64.max) == 10)
        #expect(Varint.encodedSize(of: UInt64(bitPattern: -1)) == 10)
    }

    @Test func allVarintWidthsRoundTrip() throws {
        for shift in 0..<64 {
            var message = Everything()
            message.u64 = (1 << UInt64(shift)) | 1
            let bytes = message.serializedBytes()
            #expect(bytes.count == 1 + Varint.encodedSize(of: message.u64))
            #expect(try Everything(serializedBytes: bytes).u64 == message.u64)
        }
    }
}
