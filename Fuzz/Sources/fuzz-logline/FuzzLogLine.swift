// The CRI container log line parser (`<RFC3339Nano> <stream> <P|F> <content>`), which reads files the runtime
// writes but whose content is the container's own output.
import CRI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    if let line = CRILogLine(parsing: input) {
        _ = line.content.count
    }
    // The same bytes as an array slice, the shape the log reader hands over.
    let bytes = Array(input)
    _ = CRILogLine(parsing: bytes[...])
    return 0
}

// SwiftPM links Linux executables with `--defsym main=fuzz_logline_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_logline_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
