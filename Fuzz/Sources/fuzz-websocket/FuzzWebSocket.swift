// WebSocket frame parsing and message assembly (RFC 6455) for the exec/attach/port-forward streams.
// First input byte: bit 7 selects the server side (masked frames required); bits 0-6 are the chunk size the rest
// is fed in (0 = all at once).
@testable import CRIStreaming

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    var decoder = WebSocketDecoder(masking: input[0] & 0x80 != 0 ? .required : .forbidden, maxMessageSize: 1 << 16)
    let chunk = Int(input[0] & 0x7F)
    let body = input[1...]
    var index = body.startIndex
    while index < body.endIndex {
        let end = chunk == 0 ? body.endIndex : min(index + chunk, body.endIndex)
        decoder.append(body[index..<end])
        index = end
        do {
            while let event = try decoder.nextEvent() {
                _ = event
            }
        } catch {
            return 0
        }
    }
    return 0
}

// SwiftPM links Linux executables with `--defsym main=fuzz_websocket_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_websocket_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
