// HTTP/2 frame decoding (RFC 9113 section 4-6) including header blocks (HPACK) and CONTINUATION assembly.
// First input byte: bit 7 expects the client preface (the server side); bits 0-6 are the chunk size the rest is
// fed in (0 = all at once), so split frames are exercised too.
@testable import CRIHTTP2

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    var decoder = HTTP2FrameDecoder(expectClientPreface: input[0] & 0x80 != 0)
    let chunk = Int(input[0] & 0x7F)
    let body = input[1...]
    var index = body.startIndex
    while index < body.endIndex {
        let end = chunk == 0 ? body.endIndex : min(index + chunk, body.endIndex)
        decoder.append(body[index..<end])
        index = end
        do {
            while let frame = try decoder.nextFrame() {
                _ = frame
            }
        } catch {
            return 0
        }
    }
    return 0
}

// SwiftPM links Linux executables with `--defsym main=fuzz_http2_frames_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_http2_frames_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
