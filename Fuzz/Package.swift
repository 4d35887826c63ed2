// swift-tools-version: 6.1
import PackageDescription

// Fuzz targets live in their own package so the library never builds with sanitizer flags by accident.
// Build (Linux, Swift 6.3): `Scripts/fuzz.sh` or
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// `-parse-as-library` leaves `main` to libFuzzer. What each target does with an input lives in the main package's
// CRIFuzzTargets module (it can reach the package-internal decoders), shared with CRIFuzzRegressionTests.

/// One libFuzzer executable per decoder; each has a single file whose `LLVMFuzzerTestOneInput` calls its
/// `FuzzTargets` entry.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "CRIFuzzTargets", package: "swift-cri")],
        swiftSettings: [.swiftLanguageMode(.v6)]
    )
}

let package = Package(
    name: "swift-cri-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-cri", path: ".."),
    ],
    targets: [
        fuzzTarget("fuzz-protobuf"),
        fuzzTarget("fuzz-json"),
        fuzzTarget("fuzz-logline"),
        fuzzTarget("fuzz-hpack"),
        fuzzTarget("fuzz-http2-frames"),
        fuzzTarget("fuzz-grpc-deframer"),
        fuzzTarget("fuzz-grpc-client"),
        fuzzTarget("fuzz-websocket"),
        fuzzTarget("fuzz-streaming-http"),
        fuzzTarget("fuzz-endpoint"),
        fuzzTarget("fuzz-spdy-frames"),
        fuzzTarget("fuzz-inflate"),
    ]
)
