// Binary protobuf decoding of every CRI v1 message: the first input byte picks the type, the rest is the
// message. A decoded message must survive encode -> decode unchanged, and rendering it must not trap.
import CRI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let types = CRIv1Schema.allMessageTypes
    let type = types[Int(input[0]) % types.count]
    let bytes = Array(input[1...])
    roundTrip(type, bytes)
    return 0
}

/// Decodes `bytes` as `M`; on success checks the re-encoding decodes to an equal message.
func roundTrip<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) {
    guard let message = try? M(serializedBytes: bytes) else { return }
    // Borrowed-buffer decoding must agree with the array path.
    let borrowed = bytes.withUnsafeBytes { try? M(serializedBytes: $0) }
    let encoded = message.serializedBytes()
    guard let again = try? M(serializedBytes: encoded) else {
        fatalError("\(M.protoMessageName): re-encoded message does not decode: \(encoded)")
    }
    // NaN fields make a message unequal to itself; only compare messages that are.
    if message == message {
        if again != message { fatalError("\(M.protoMessageName): binary round trip changed the message") }
        if borrowed != message { fatalError("\(M.protoMessageName): borrowed decode differs from array decode") }
    }
    _ = message.description
    _ = message.jsonString()
}

// SwiftPM links Linux executables with `--defsym main=fuzz_protobuf_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_protobuf_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
