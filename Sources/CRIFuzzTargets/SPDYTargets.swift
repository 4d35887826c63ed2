import CRIStreaming

/// Targets for the SPDY/3.1 codec: frames with their zlib-compressed header blocks, and inflate on its own.
enum SPDYTargets {
    /// SPDY/3.1 frame decoding. Byte 0 is the chunk size the rest is fed in (0 = all at once). Decoding whole and
    /// in chunks must agree (frames and error); the frames decoded re-encode (with a fresh header stream) and
    /// decode back to themselves.
    @Sendable static func frames(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard let control = input.first else { return }
        let body = input.dropFirst()
        let whole = decode([body])
        let split = decode(chunks(body, size: Int(control)))
        guard whole.frames == split.frames, whole.error == split.error else {
            throw FuzzFailure("SPDY: decoding whole and in chunks of \(control) disagree")
        }
        var encoder = SPDYFrameEncoder()
        var bytes: [UInt8] = []
        for frame in whole.frames {
            do {
                try encoder.encode(frame, into: &bytes)
            } catch {
                throw FuzzFailure("SPDY: a decoded frame does not encode: \(error)")
            }
        }
        let again = bytes.withUnsafeBytes { decode([$0[...]]) }
        guard again.error == nil, again.frames == whole.frames else {
            throw FuzzFailure("SPDY: re-encoded frames decode differently: \(String(describing: again.error))")
        }
    }

    /// zlib inflate. Byte 0: bit 7 selects the SPDY dictionary, bits 0-6 the chunk size (0 = all at once). Whole
    /// and chunked inflation must agree: same output when the whole succeeds (the per-call limit only binds the
    /// whole), the same error otherwise. The input also round-trips through our deflater.
    @Sendable static func inflate(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard let control = input.first else { return }
        let dictionary = control & 0x80 != 0 ? SPDYDictionary.bytes : nil
        let body = input.dropFirst()
        let limit = 1 << 20
        let whole = inflate([body], dictionary: dictionary, limit: limit)
        let split = inflate(chunks(body, size: Int(control & 0x7F)), dictionary: dictionary, limit: limit)
        switch (whole, split) {
        case (.success(let a), .success(let b)) where a == b: break
        case (.failure(let a), .failure(let b)) where a.code == b.code: break
        case (.failure(let a), _) where a.code == .outputLimitExceeded: break
        default: throw FuzzFailure("inflate: whole and in chunks of \(control & 0x7F) disagree")
        }
        var deflater = ZlibDeflater(dictionary: dictionary)
        var inflater = ZlibInflater(dictionary: dictionary)
        let original = Array(body)
        guard (try? inflater.inflate(deflater.deflateSync(original), limit: original.count)) == original else {
            throw FuzzFailure("inflate: our deflate output does not inflate back to its input")
        }
    }

    private static func decode(_ pieces: [Slice<UnsafeRawBufferPointer>]) -> (frames: [SPDYFrame], error: SPDYError?) {
        SPDYFrameDecoder.decode(pieces, maxFrameLength: 1 << 20, maxHeaderBlockSize: 1 << 16)
    }

    private static func inflate(
        _ pieces: [Slice<UnsafeRawBufferPointer>], dictionary: [UInt8]?, limit: Int
    ) -> Result<[UInt8], ZlibError> {
        var inflater = ZlibInflater(dictionary: dictionary)
        var output: [UInt8] = []
        for piece in pieces {
            do {
                output += try inflater.inflate(piece, limit: limit)
            } catch {
                return .failure(error)
            }
        }
        return .success(output)
    }
}
