// swift-tools-version: 6.1
import PackageDescription

/// Our own targets here follow the main package's settings; the generated peer code does not.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Benchmarks live in their own package so the library never depends on what they compare against:
// grpc-swift-2 over grpc-swift-nio-transport, with swift-protobuf messages (the peers of issue 7).
let package = Package(
    name: "swift-cri-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-cri", path: ".."),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // What both sides share: argument parsing, timing, percentiles, the JSON report line.
        .target(name: "BenchSupport", swiftSettings: strictSettings),
        // The peer's generated code for Protos/cri (Benchmarks/generate-peer-code.sh; committed).
        .target(
            name: "PeerCRIv1",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The peer's side of every mode: grpc-swift-2 + grpc-swift-nio-transport + swift-protobuf.
        .target(
            name: "PeerBench",
            dependencies: [
                "BenchSupport", "PeerCRIv1",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // Our side of every mode, the fixture, the fake server, and the command line.
        .executableTarget(
            name: "cri-bench",
            dependencies: [
                "BenchSupport", "PeerBench",
                .product(name: "CRI", package: "swift-cri"),
                .product(name: "CRITesting", package: "swift-cri"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
