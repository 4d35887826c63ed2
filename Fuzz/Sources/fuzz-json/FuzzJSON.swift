// proto3 JSON decoding of every CRI v1 message: the first input byte picks the type (modulo the type count), bit 0
// of the second whether unknown keys are rejected; the rest is JSON text. A decoded message must survive
// jsonString -> decode unchanged.
import CRI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 1 else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let types = CRIv1Schema.allMessageTypes
    let type = types[Int(input[0]) % types.count]
    var options = JSONDecodingOptions()
    options.rejectUnknownFields = input[1] & 1 != 0
    jsonRoundTrip(type, Array(input[2...]), options)
    return 0
}

/// Decodes `bytes` as JSON for `M`; on success checks the JSON and binary re-encodings decode to equal messages.
func jsonRoundTrip<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8], _ options: JSONDecodingOptions) {
    var unknown: [String] = []
    guard let message = try? M(jsonUTF8: bytes, options: options, unknownFieldPaths: &unknown) else { return }
    let json = message.jsonString()
    let again: M
    do {
        again = try M(jsonString: json)
    } catch {
        fatalError("\(M.protoMessageName): re-encoded JSON does not decode (\(error)): \(json)")
    }
    let binary = try? M(serializedBytes: message.serializedBytes())
    // NaN fields make a message unequal to itself; only compare messages that are.
    if message == message {
        if again != message { fatalError("\(M.protoMessageName): JSON round trip changed the message: \(json)") }
        if binary != message { fatalError("\(M.protoMessageName): binary round trip of a JSON message changed it") }
    }
    _ = message.description
}

// SwiftPM links Linux executables with `--defsym main=fuzz_json_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_json_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
