import CRI

/// Targets for the codecs of runtime answers and runtime-written files.
enum CodecTargets {
    /// Byte 0 picks one of `CRIv1Schema.allMessageTypes`; the rest is the message. A decoded message must
    /// survive encode → decode unchanged, borrowed-buffer decoding must agree, and rendering it must not trap.
    @Sendable static func protobuf(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard let selector = input.first else { return }
        let types = CRIv1Schema.allMessageTypes
        let type = types[Int(selector) % types.count]
        if let failure = binaryRoundTrip(type, Array(input.dropFirst())) { throw failure }
    }

    /// Checks `bytes` as an `M`; returns the violated property, if any.
    static func binaryRoundTrip<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) -> FuzzFailure? {
        guard let message = try? M(serializedBytes: bytes) else { return nil }
        let borrowed = bytes.withUnsafeBytes { try? M(serializedBytes: $0) }
        let encoded = message.serializedBytes()
        guard let again = try? M(serializedBytes: encoded) else {
            return FuzzFailure("\(M.protoMessageName): re-encoded message does not decode: \(encoded)")
        }
        // NaN fields make a message unequal to itself; only compare messages that are.
        if message == message {
            if again != message { return FuzzFailure("\(M.protoMessageName): binary round trip changed the message") }
            if borrowed != message { return FuzzFailure("\(M.protoMessageName): borrowed decode differs from array decode") }
        }
        _ = message.description
        _ = message.jsonString()
        return nil
    }

    /// Byte 0 picks the message type, bit 0 of byte 1 whether unknown keys are rejected; the rest is JSON text.
    /// A decoded message must survive jsonString → decode and a binary round trip unchanged.
    @Sendable static func json(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard input.count > 1 else { return }
        let types = CRIv1Schema.allMessageTypes
        var options = JSONDecodingOptions()
        options.rejectUnknownFields = input[1] & 1 != 0
        let type = types[Int(input[0]) % types.count]
        if let failure = jsonRoundTrip(type, Array(input.dropFirst(2)), options) {
            throw failure
        }
    }

    /// Checks `bytes` as JSON for an `M`; returns the violated property, if any.
    static func jsonRoundTrip<M: ProtoMessage>(
        _ type: M.Type, _ bytes: [UInt8], _ options: JSONDecodingOptions
    ) -> FuzzFailure? {
        var unknown: [String] = []
        guard let message = try? M(jsonUTF8: bytes, options: options, unknownFieldPaths: &unknown) else { return nil }
        let json = message.jsonString()
        let again: M
        do {
            again = try M(jsonString: json)
        } catch {
            return FuzzFailure("\(M.protoMessageName): re-encoded JSON does not decode (\(error)): \(json)")
        }
        let binary = try? M(serializedBytes: message.serializedBytes())
        if message == message {
            if again != message { return FuzzFailure("\(M.protoMessageName): JSON round trip changed the message: \(json)") }
            if binary != message { return FuzzFailure("\(M.protoMessageName): binary round trip of a JSON message changed it") }
        }
        _ = message.description
        return nil
    }

    /// A container log line (`<RFC3339Nano> <stream> <P|F> <content>`), whose content is the container's output:
    /// parsed from the raw buffer and from an array slice (the shape the log reader hands over), which must agree.
    @Sendable static func logLine(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        let fromBuffer = CRILogLine(parsing: input)
        let bytes = Array(input)
        let fromSlice = CRILogLine(parsing: bytes[...])
        if fromBuffer != fromSlice { throw FuzzFailure("CRILogLine: buffer and slice parsing disagree") }
    }
}
