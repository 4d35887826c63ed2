// swift-tools-version: 6.1
import PackageDescription

// Fuzz targets live in their own package so the library never builds with sanitizer flags by accident.
// Build (Linux, Swift 6.3): `Scripts/fuzz.sh` or
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing
// `-enable-testing` lets the targets `@testable import` the package-internal decoders (HPACK, HTTP/2, gRPC,
// WebSocket, endpoints); `-parse-as-library` leaves `main` to libFuzzer.

/// One libFuzzer executable per decoder; each has a single file whose `LLVMFuzzerTestOneInput` is the entry point.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: products.map { .product(name: $0, package: "swift-cri") },
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
        fuzzTarget("fuzz-protobuf", ["CRI"]),
        fuzzTarget("fuzz-json", ["CRI"]),
        fuzzTarget("fuzz-logline", ["CRI"]),
        fuzzTarget("fuzz-hpack", ["CRI"]),
        fuzzTarget("fuzz-http2-frames", ["CRI"]),
        fuzzTarget("fuzz-grpc-deframer", ["CRI"]),
        fuzzTarget("fuzz-websocket", ["CRI"]),
        fuzzTarget("fuzz-streaming-http", ["CRI"]),
        fuzzTarget("fuzz-endpoint", ["CRI"]),
    ]
)
