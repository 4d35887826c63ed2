// SPDY/3.1 frame decoding with zlib header blocks: the libFuzzer executable for `FuzzTargets.spdyFrames` (Sources/CRIFuzzTargets in the main package,
// which holds the input layout and the checked properties; CRIFuzzRegressionTests replays inputs through the same).
import CRIFuzzTargets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    FuzzTargets.spdyFrames.runForLibFuzzer(start, count)
}

// SwiftPM links Linux executables with `--defsym main=fuzz_spdy_frames_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_spdy_frames_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
