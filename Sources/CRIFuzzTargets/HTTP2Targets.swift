import CRIGRPC
import CRIHPACK
import CRIHTTP2

/// Targets for the bytes a runtime sends on the gRPC connection.
enum HTTP2Targets {
    /// Header blocks, each prefixed by a one-byte length, decoded by one decoder so the dynamic table carries
    /// over (RFC 7541). A decoded block must re-encode and decode to the same list.
    @Sendable static func hpack(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        var decoder = HPACKDecoder()
        var encoder = HPACKEncoder()
        var checker = HPACKDecoder()
        for block in lengthPrefixedChunks(input) {
            let headers: [HPACKHeader]
            do {
                headers = try decoder.decode(block)
            } catch {
                return
            }
            var encoded: [UInt8] = []
            encoder.encode(headers, into: &encoded)
            guard let again = try? checker.decode(encoded), again == headers else {
                throw FuzzFailure("HPACK: re-encoded headers do not decode to the same list: \(headers)")
            }
        }
    }

    /// HTTP/2 frames (RFC 9113 § 4-6) including header blocks and CONTINUATION assembly. Byte 0: bit 7 expects
    /// the client preface (the server side); bits 0-6 are the chunk size the rest is fed in (0 = all at once).
    @Sendable static func frames(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard let control = input.first else { return }
        var decoder = HTTP2FrameDecoder(expectClientPreface: control & 0x80 != 0)
        for chunk in chunks(input.dropFirst(), size: Int(control & 0x7F)) {
            decoder.append(chunk)
            do {
                while try decoder.nextFrame() != nil {}
            } catch {
                return
            }
        }
    }

    /// DATA payloads, each prefixed by a one-byte length (gRPC PROTOCOL-HTTP2 Length-Prefixed-Message). The
    /// messages deframed payload by payload must equal those of deframing everything at once.
    @Sendable static func grpcDeframer(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        var split = GRPCMessageDeframer(maxMessageSize: 1 << 16)
        var whole = GRPCMessageDeframer(maxMessageSize: 1 << 16)
        var all: [UInt8] = []
        for payload in lengthPrefixedChunks(input) {
            all += payload
            do {
                try split.append(Array(payload))
            } catch {
                return
            }
        }
        do {
            try whole.append(all)
        } catch {
            throw FuzzFailure("gRPC deframer: whole input rejected (\(error)) but split input accepted")
        }
        if whole.takeMessages() != split.takeMessages() || whole.hasPartialMessage != split.hasPartialMessage {
            throw FuzzFailure("gRPC deframer: split and whole deframing disagree")
        }
    }
}

/// The input cut into chunks, each announced by a one-byte length (a final short chunk takes what is left).
func lengthPrefixedChunks(_ input: UnsafeRawBufferPointer) -> [Slice<UnsafeRawBufferPointer>] {
    var chunks: [Slice<UnsafeRawBufferPointer>] = []
    var index = input.startIndex
    while index < input.endIndex {
        let length = min(Int(input[index]), input.endIndex - index - 1)
        chunks.append(input[(index + 1)..<(index + 1 + length)])
        index += 1 + length
    }
    return chunks
}

/// `bytes` in consecutive chunks of `size` (0: one chunk of everything).
func chunks(_ bytes: Slice<UnsafeRawBufferPointer>, size: Int) -> [Slice<UnsafeRawBufferPointer>] {
    guard size > 0 else { return bytes.isEmpty ? [] : [bytes] }
    return stride(from: bytes.startIndex, to: bytes.endIndex, by: size).map {
        bytes[$0..<min($0 + size, bytes.endIndex)]
    }
}
