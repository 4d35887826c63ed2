// HPACK header block decoding (RFC 7541). The input is a sequence of header blocks, each prefixed by a one-byte
// length, decoded by one decoder so the dynamic table carries over. A decoded block must survive re-encoding.
@testable import CRIHPACK

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let input = Array(UnsafeRawBufferPointer(start: start, count: count))
    var decoder = HPACKDecoder()
    var encoder = HPACKEncoder()
    var checker = HPACKDecoder()
    var index = 0
    while index < input.count {
        let length = min(Int(input[index]), input.count - index - 1)
        let block = input[(index + 1)..<(index + 1 + length)]
        index += 1 + length
        let headers: [HPACKHeader]
        do {
            headers = try decoder.decode(block)
        } catch {
            return 0
        }
        var encoded: [UInt8] = []
        encoder.encode(headers, into: &encoded)
        guard let again = try? checker.decode(encoded), again == headers else {
            fatalError("HPACK: re-encoded headers do not decode to the same list: \(headers)")
        }
    }
    return 0
}

// SwiftPM links Linux executables with `--defsym main=fuzz_hpack_main` (so tests can link them); under
// `-parse-as-library` nothing defines that symbol, so define it and hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

@_cdecl("fuzz_hpack_main")
public func fuzzerMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzz)
}
