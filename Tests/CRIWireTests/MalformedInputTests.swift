import CRIWire
import Testing

@Suite("Binary decoding of malformed input")
struct MalformedInputTests {
    private func decodeError(_ bytes: [UInt8]) -> ProtoDecodingError? {
        do {
            _ = try Everything(serializedBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedVarint() {
        #expect(decodeError([0x08, 0x96]) == ProtoDecodingError(code: .truncated))
    }

    @Test func truncatedTag() {
        #expect(decodeError([0x82]) == ProtoDecodingError(code: .truncated))
    }

    @Test func truncatedFixed64AndFixed32() {
        #expect(decodeError([0x39, 0, 0, 0]) == ProtoDecodingError(code: .truncated))
        #expect(decodeError([0xC5, 0x1F, 1, 2]) == ProtoDecodingError(code: .truncated))
    }

    @Test func overlongVarint() {
        #expect(decodeError([0x08] + Array(repeating: 0xFF, count: 10) + [0x01]) == ProtoDecodingError(code: .overlongVarint))
        // A tenth byte above 1 would need bit 64.
        #expect(decodeError([0x08] + Array(repeating: 0xFF, count: 9) + [0x02]) == ProtoDecodingError(code: .overlongVarint))
    }

    @Test func fieldNumberZero() {
        #expect(decodeError([0x00, 0x01]) == ProtoDecodingError(code: .invalidFieldNumber))
    }

    @Test func reservedWireTypes() {
        #expect(decodeError([0x0E]) == ProtoDecodingError(code: .invalidWireType))
        #expect(decodeError([0x0F]) == ProtoDecodingError(code: .invalidWireType))
    }

    @Test func groupsAreRejected() {
        #expect(decodeError([0x0B, 0x0C]) == ProtoDecodingError(code: .groupsUnsupported))
        #expect(decodeError([0x0C]) == ProtoDecodingError(code: .groupsUnsupported))
    }

    @Test func lengthPastEnd() {
        #expect(decodeError([0x42, 0x05, 0x61]) == ProtoDecodingError(code: .lengthOutOfBounds))
        // A length near 2^64 must not overflow the bounds check.
        #expect(decodeError([0x42] + Array(repeating: 0xFF, count: 9) + [0x01]) == ProtoDecodingError(code: .lengthOutOfBounds))
    }

    @Test func lengthPastEndOfEnclosingMessage() {
        // inner claims 2 bytes; its string claims 5.
        #expect(decodeError([0x52, 0x02, 0x0A, 0x05, 0x61, 0x61, 0x61]) == ProtoDecodingError(code: .lengthOutOfBounds))
    }

    @Test func invalidUTF8() {
        #expect(decodeError([0x42, 0x02, 0xC3, 0x28]) == ProtoDecodingError(code: .invalidUTF8))
        #expect(decodeError([0x42, 0x01, 0xFF]) == ProtoDecodingError(code: .invalidUTF8))
    }

    @Test func invalidUTF8InBytesIsFine() throws {
        #expect(try Everything(serializedBytes: [0x4A, 0x01, 0xFF]).blob == [0xFF])
    }

    @Test func nestingLimit() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            for _ in 0..<depth {
                // Back to front: the length, then the tag in front of it.
                let prefix = ProtoWriter.withBytes(capacity: 16) { writer in
                    writer.writeVarint(UInt64(bytes.count))
                    writer.writeTag(field: 1, wireType: .lengthDelimited)
                }
                bytes = prefix + bytes
            }
            return bytes
        }
        #expect(throws: Never.self) { _ = try Tree(serializedBytes: nested(100)) }
        #expect(throws: ProtoDecodingError(code: .nestingTooDeep)) { _ = try Tree(serializedBytes: nested(101)) }
        // Far deeper input ends with the same error, not a stack overflow.
        #expect(throws: ProtoDecodingError(code: .nestingTooDeep)) { _ = try Tree(serializedBytes: nested(5_000)) }
    }

    @Test func everyPrefixOfAValidMessageDecodesOrThrows() throws {
        var message = Everything()
        message.i32 = -5
        message.text = "hello"
        message.inner = Inner()
        message.inner?.name = "n"
        message.groups = [1, 2, 300]
        message.labels = ["k": "v"]
        message.ratio = 2.25
        let bytes = message.serializedBytes()
        for cut in 0...bytes.count {
            _ = try? Everything(serializedBytes: Array(bytes.prefix(cut)))
        }
        #expect(try Everything(serializedBytes: bytes) == message)
    }

    @Test func randomAndMutatedInputNeverTraps() throws {
        var generator = SplitMix64(seed: 0xC0FFEE)
        var base = Everything()
        base.i64 = 12345
        base.text = "abc"
        base.inner = Inner()
        base.items = [Inner(), Inner()]
        base.labels = ["a": "b", "c": "d"]
        base.ports = [1, 2]
        let valid = base.serializedBytes()
        var decodedCount = 0
        for round in 0..<20_000 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                input = valid
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    let position = Int(generator.next() % UInt64(input.count))
                    input[position] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            if let decoded = try? Everything(serializedBytes: input) {
                decodedCount += 1
                // Whatever decodes must re-encode and decode to the same value.
                #expect(try Everything(serializedBytes: decoded.serializedBytes()) == decoded)
            }
        }
        #expect(decodedCount > 0)
    }
}

/// A small deterministic generator so failures replay.
struct SplitMix64: RandomNumberGenerator {
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

@Suite("UTF-8 validation agrees with the standard library")
struct UTF8ValidationTests {
    @Test func randomAndEdgeSequences() throws {
        var generator = SplitMix64(seed: 7)
        var samples: [[UInt8]] = [
            [0xED, 0xA0, 0x80],  // surrogate
            [0xE0, 0x80, 0x80],  // overlong
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF0, 0x9F, 0x98, 0x80],  // emoji
            [0xC0, 0x80], [0xC2], [0x80], Array("plain ascii text longer than eight".utf8),
        ]
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 12)
            samples.append((0..<length).map { _ in
                // Bias towards interesting bytes.
                let pick = generator.next() % 4
                return pick == 0 ? UInt8(truncatingIfNeeded: generator.next()) | 0x80 : UInt8(truncatingIfNeeded: generator.next())
            })
        }
        for sample in samples {
            let bytes = ProtoWriter.withBytes(capacity: 16 + sample.count) { writer in
                sample.withUnsafeBytes { writer.writeRawBytes($0) }
                writer.writeVarint(UInt64(sample.count))
                writer.writeTag(field: 8, wireType: .lengthDelimited)
            }
            let expected = String(validating: sample, as: UTF8.self)
            let decoded = try? Everything(serializedBytes: bytes)
            #expect(decoded?.text == expected, "\(sample)")
        }
    }
}
