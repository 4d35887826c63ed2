// The gRPC Length-Prefixed-Message reader (PROTOCOL-HTTP2). The input is a sequence of DATA payloads, each
// prefixed by a one-byte length. The concatenated messages must equal what whole-input deframing yields.
@testable import CRIGRPC

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    var split = GRPCMessageDeframer(maxMessageSize: 1 << 16)
    var whole = GRPCMessageDeframer(maxMessageSize: 1 << 16)
    var all: [UInt8] = []
    var index = 0
    var splitFailed = false
    while index < input.count {
        let length = min(Int(input[index]), input.count - index - 1)
        let payload = Array(input[(index + 1)..<(index + 1 + length)])
        index += 1 + length
        all += payload
        do {
            try split.append(payload)
        } catch {
            splitFailed = true
            break
        }
    }
    let splitMessages = split.takeMessages()
    if splitFailed { return 0 }
    do {
        try whole.append(all)
    } catch {
        fatalError("gRPC deframer: whole input rejected (\(error)) but split input accepted")
    }
    let wholeMessages = whole.takeMessages()
    if wholeMessages != splitMessages || whole.hasPartialMessage != split.hasPartialMessage {
        fatalError("gRPC deframer: split and whole deframing disagree")
    }
    return 0
}

// SwiftPM links Linux executables with `--defsym main=fuzz_grpc_deframer_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_grpc_deframer_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
