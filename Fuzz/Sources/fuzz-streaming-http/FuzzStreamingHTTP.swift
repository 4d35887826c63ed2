// The HTTP/1.1 upgrade head and the streaming URL the runtime returns for exec/attach/port-forward.
@testable import CRIStreaming

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    if let head = try? HTTPHead(parsing: input[...]) {
        _ = head.hasToken("Connection", "Upgrade")
    }
    let text = String(decoding: input, as: UTF8.self)
    _ = try? StreamingURL(parsing: text)
    _ = try? StreamingURL(parsing: text, relativeTo: "http://127.0.0.1:10010/")
    return 0
}

// SwiftPM links Linux executables with `--defsym main=fuzz_streaming_http_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_streaming_http_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
