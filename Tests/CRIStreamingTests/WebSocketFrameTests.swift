import Testing

@testable import CRIStreaming

/// Feeds `bytes` to a fresh decoder whole, byte by byte, and split at every offset; all must give `expected`.
func assertDecodes(
    _ bytes: [UInt8],
    masking: WebSocketMasking,
    maxMessageSize: Int = 1 << 20,
    to expected: [WebSocketEvent],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    func run(_ pieces: [ArraySlice<UInt8>]) -> [WebSocketEvent]? {
        var decoder = WebSocketDecoder(masking: masking, maxMessageSize: maxMessageSize)
        var events: [WebSocketEvent] = []
        for piece in pieces {
            decoder.append(piece)
            do {
                while let event = try decoder.nextEvent() { events.append(event) }
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
                return nil
            }
        }
        return events
    }
    #expect(run([bytes[...]]) == expected, "whole", sourceLocation: sourceLocation)
    #expect(run(bytes.indices.map { bytes[$0...$0] }) == expected, "byte by byte", sourceLocation: sourceLocation)
    for split in 0...bytes.count {
        #expect(
            run([bytes[..<split], bytes[split...]]) == expected, "split at \(split)", sourceLocation: sourceLocation)
    }
}

/// Expects decoding `bytes` (whole and byte by byte) to fail with `code` and `closeCode`.
func assertFails(
    _ bytes: [UInt8],
    masking: WebSocketMasking,
    maxMessageSize: Int = 1 << 20,
    code: StreamingError.Code = .protocolViolation,
    closeCode: UInt16 = 1002,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for pieces in [[bytes[...]], bytes.indices.map { bytes[$0...$0] }] {
        var decoder = WebSocketDecoder(masking: masking, maxMessageSize: maxMessageSize)
        var failure: StreamingError?
        outer: for piece in pieces {
            decoder.append(piece)
            do {
                while try decoder.nextEvent() != nil {}
            } catch {
                failure = error
                break outer
            }
        }
        #expect(failure?.code == code, "\(String(describing: failure))", sourceLocation: sourceLocation)
        #expect(failure?.closeCode == closeCode, sourceLocation: sourceLocation)
    }
}

@Suite struct WebSocketFrameTests {
    static let hello = Array("Hello".utf8)

    // MARK: RFC 6455 § 5.7 examples

    @Test func singleFrameUnmaskedText() {
        let bytes: [UInt8] = [
            0x81,  // FIN, opcode text
            0x05,  // unmasked, length 5
            0x48, 0x65, 0x6C, 0x6C, 0x6F,  // "Hello"
        ]
        #expect(
            WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .text, payload: Self.hello), maskingKey: nil) == bytes)
        assertDecodes(bytes, masking: .forbidden, to: [.message(opcode: .text, payload: Self.hello)])
    }

    @Test func singleFrameMaskedText() {
        let bytes: [UInt8] = [
            0x81,  // FIN, opcode text
            0x85,  // masked, length 5
            0x37, 0xFA, 0x21, 0x3D,  // masking key
            0x7F, 0x9F, 0x4D, 0x51, 0x58,  // "Hello" masked
        ]
        let encoded = WebSocketFrameEncoder.encode(
            WebSocketFrame(opcode: .text, payload: Self.hello), maskingKey: (0x37, 0xFA, 0x21, 0x3D))
        #expect(encoded == bytes)
        assertDecodes(bytes, masking: .required, to: [.message(opcode: .text, payload: Self.hello)])
    }

    @Test func fragmentedUnmaskedText() {
        let bytes: [UInt8] = [
            0x01, 0x03, 0x48, 0x65, 0x6C,  // not FIN, text, "Hel"
            0x80, 0x02, 0x6C, 0x6F,  // FIN, continuation, "lo"
        ]
        let first = WebSocketFrameEncoder.encode(
            WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)), maskingKey: nil)
        let second = WebSocketFrameEncoder.encode(
            WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)), maskingKey: nil)
        #expect(first + second == bytes)
        assertDecodes(bytes, masking: .forbidden, to: [.message(opcode: .text, payload: Self.hello)])
    }

    @Test func unmaskedPingAndMaskedPong() {
        let ping: [UInt8] = [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
        let pong: [UInt8] = [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(
            WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .ping, payload: Self.hello), maskingKey: nil) == ping)
        #expect(
            WebSocketFrameEncoder.encode(
                WebSocketFrame(opcode: .pong, payload: Self.hello), maskingKey: (0x37, 0xFA, 0x21, 0x3D)) == pong)
        assertDecodes(ping, masking: .forbidden, to: [.ping(Self.hello)])
        assertDecodes(pong, masking: .required, to: [.pong(Self.hello)])
    }

    @Test func binary256BytesUses16BitLength() {
        let payload = (0..<256).map { UInt8($0) }
        let bytes = WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .binary, payload: payload), maskingKey: nil)
        #expect(Array(bytes.prefix(4)) == [0x82, 0x7E, 0x01, 0x00])  // FIN binary, 126 marker, length 256
        #expect(bytes.count == 4 + 256)
        assertDecodes(bytes, masking: .forbidden, to: [.message(opcode: .binary, payload: payload)])
    }

    @Test func binary64KiBUses64BitLength() throws {
        let payload = [UInt8](repeating: 0xAB, count: 65536)
        let bytes = WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .binary, payload: payload), maskingKey: nil)
        #expect(Array(bytes.prefix(10)) == [0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00])  // 127 marker, length 65536
        var decoder = WebSocketDecoder(masking: .forbidden, maxMessageSize: 1 << 20)
        decoder.append(bytes)
        #expect(try decoder.nextEvent() == .message(opcode: .binary, payload: payload))
    }

    @Test func lengthBoundaries() throws {
        for count in [0, 125, 126, 65535, 65536] {
            let payload = [UInt8](repeating: 7, count: count)
            var decoder = WebSocketDecoder(masking: .required, maxMessageSize: 1 << 20)
            decoder.append(
                WebSocketFrameEncoder.encode(
                    WebSocketFrame(opcode: .binary, payload: payload), maskingKey: (1, 2, 3, 4)))
            #expect(try decoder.nextEvent() == .message(opcode: .binary, payload: payload), "length \(count)")
        }
    }

    @Test func controlFrameInsideFragmentedMessage() {
        // RFC 6455 § 5.4: control frames may be injected in the middle of a fragmented message.
        let bytes: [UInt8] = [0x02, 0x01, 0xAA, 0x89, 0x00, 0x80, 0x01, 0xBB]
        assertDecodes(bytes, masking: .forbidden, to: [.ping([]), .message(opcode: .binary, payload: [0xAA, 0xBB])])
    }

    @Test func closeFrames() {
        let normal = WebSocketFrameEncoder.encode(
            WebSocketFrame(
                opcode: .close, payload: WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: "bye")),
            maskingKey: nil
        )
        #expect(normal == [0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65])  // 1000 "bye"
        assertDecodes(normal, masking: .forbidden, to: [.close(code: .normalClosure, reason: "bye")])
        assertDecodes([0x88, 0x00], masking: .forbidden, to: [.close(code: nil, reason: "")])
        assertDecodes(
            [0x88, 0x02, 0x0F, 0xA0], masking: .forbidden,
            to: [.close(code: WebSocketCloseCode(rawValue: 4000), reason: "")])
    }

    @Test func closeReasonIsCutToFitAControlFrame() {
        let payload = WebSocketFrameEncoder.closePayload(
            code: .protocolError, reason: String(repeating: "é", count: 100))
        #expect(payload.count <= 125)
        #expect(String(validating: payload[2...], as: UTF8.self) != nil)
    }

    // MARK: Violations

    @Test func reservedBitsFail() {
        assertFails([0xC1, 0x00], masking: .forbidden)  // RSV1
        assertFails([0x91, 0x00], masking: .forbidden)  // RSV3
    }

    @Test func reservedOpcodesFail() {
        for opcode: UInt8 in [3, 7, 0xB, 0xF] { assertFails([0x80 | opcode, 0x00], masking: .forbidden) }
    }

    @Test func controlFrameRules() {
        assertFails([0x89, 0x7E, 0x00, 0x7E] + [UInt8](repeating: 0, count: 126), masking: .forbidden)  // ping > 125
        assertFails([0x09, 0x00], masking: .forbidden)  // fragmented ping
        assertFails([0x88, 0x01, 0x03], masking: .forbidden)  // 1-byte close body
        assertFails([0x88, 0x02, 0x03, 0xED], masking: .forbidden)  // 1005 on the wire
        assertFails([0x88, 0x02, 0x03, 0xEE], masking: .forbidden)  // 1006 on the wire
        assertFails([0x88, 0x02, 0x00, 0x64], masking: .forbidden)  // 100
        assertFails([0x88, 0x03, 0x03, 0xE8, 0xFF], masking: .forbidden, closeCode: 1007)  // reason not UTF-8
    }

    @Test func maskingRules() {
        assertFails([0x82, 0x00], masking: .required)  // unmasked client frame
        assertFails([0x82, 0x80, 1, 2, 3, 4], masking: .forbidden)  // masked server frame
    }

    @Test func fragmentationRules() {
        assertFails([0x80, 0x01, 0x00], masking: .forbidden)  // continuation with nothing to continue
        assertFails([0x02, 0x01, 0x00, 0x82, 0x01, 0x00], masking: .forbidden)  // new message inside a fragmented one
    }

    @Test func invalidUTF8TextFails() {
        assertFails([0x81, 0x02, 0xC3, 0x28], masking: .forbidden, closeCode: 1007)
    }

    @Test func sizeLimits() {
        // A frame header announcing more than the limit fails before its payload arrives.
        assertFails(
            [0x82, 0x7E, 0x01, 0x00], masking: .forbidden, maxMessageSize: 255, code: .messageTooLarge, closeCode: 1009)
        // Exactly the limit passes; fragments adding up past it fail.
        assertDecodes(
            [0x82, 0x03, 1, 2, 3], masking: .forbidden, maxMessageSize: 3,
            to: [.message(opcode: .binary, payload: [1, 2, 3])])
        assertFails(
            [0x02, 0x02, 1, 2, 0x80, 0x02, 3, 4], masking: .forbidden, maxMessageSize: 3, code: .messageTooLarge,
            closeCode: 1009)
        // RFC 6455 § 5.2: the top bit of a 64-bit length must be 0.
        assertFails([0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0], masking: .forbidden, maxMessageSize: Int.max)
    }

    @Test func opcodeNames() {
        #expect(WebSocketOpcode.close.description == "close")
        #expect(WebSocketOpcode(rawValue: 3).description == "reserved(3)")
        #expect(WebSocketOpcode.ping.isControl && !WebSocketOpcode.binary.isControl)
    }
}
