// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 mode plus the upcoming features that keep imports and
/// existentials explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-cri",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CRI", targets: ["CRI"]),
        .library(name: "CRITesting", targets: ["CRITesting"]),
        .executable(name: "cri", targets: ["cri"]),
        .executable(name: "cri-generate", targets: ["cri-generate"]),
        // The fuzz targets' entry points, for the Fuzz/ package (a separate package, so it needs a product); not API.
        .library(name: "CRIFuzzTargets", targets: ["CRIFuzzTargets"]),
    ],
    // CRI_WINDOWS_STANDIN (test-only, never enable it in a product build): compiles every Windows path on Linux
    // against CRIWinSDKStandIn, a Swift declaration of the Win32 calls we use backed by a simulated kernel.
    // Scripts/check-windows.sh builds and tests this way; see README "Windows".
    traits: [
        .trait(name: "CRI_WINDOWS_STANDIN", description: "Test only: build the Windows code paths on Linux against a simulated WinSDK."),
    ],
    dependencies: [
        // The CLI only: the library modules depend on the toolchain alone.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Layer 1: proto3 binary and JSON codec.
        .target(name: "CRIWire", swiftSettings: strictSettings),
        // Layer 2: CRI v1 messages and service descriptors, generated from Protos/.
        .target(name: "CRIv1", dependencies: ["CRIWire"], swiftSettings: strictSettings),
        // Layer 3: HPACK and HTTP/2 framing and connections.
        .target(name: "CRIHPACK", swiftSettings: strictSettings),
        // CRITransport: the one OS-thread spawner (startIOThread) the reader thread uses.
        .target(name: "CRIHTTP2", dependencies: ["CRIHPACK", "CRITransport"], swiftSettings: strictSettings),
        // Layer 4: byte-stream transports and endpoints, and gRPC over HTTP/2.
        .target(
            name: "CRITransport",
            dependencies: [.target(name: "CRIWinSDKStandIn", condition: .when(traits: ["CRI_WINDOWS_STANDIN"]))],
            swiftSettings: strictSettings
        ),
        // Test support, in no product: the WinSDK subset our Windows code calls, over a simulated Win32 kernel.
        .target(name: "CRIWinSDKStandIn", path: "Tests/Support/CRIWinSDKStandIn", swiftSettings: strictSettings),
        .target(
            name: "CRIGRPC",
            dependencies: ["CRIWire", "CRIHTTP2", "CRITransport"],
            swiftSettings: strictSettings
        ),
        // Exec/attach/port-forward streaming: WebSocket + the Kubernetes channel protocol.
        .target(name: "CRIStreaming", dependencies: ["CRIWire", "CRITransport"], swiftSettings: strictSettings),
        // Layer 5: the typed client and the fake runtime. CRI wraps CRIStreaming (exec/attach/port-forward
        // sessions with CRIError) and does not re-export it.
        .target(name: "CRI", dependencies: ["CRIWire", "CRIGRPC", "CRIHTTP2", "CRITransport", "CRIv1", "CRIStreaming"], swiftSettings: strictSettings),
        .target(name: "CRITesting", dependencies: ["CRI", "CRIGRPC", "CRIHTTP2", "CRITransport", "CRIStreaming", "CRIv1", "CRIWire"], swiftSettings: strictSettings),
        // The crictl-compatible command-line tool.
        .executableTarget(
            name: "cri",
            dependencies: [
                "CRI", "CRITesting", "CRITransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        // What each libFuzzer target in Fuzz/ does with one input; the regression test replays inputs through it.
        .target(
            name: "CRIFuzzTargets",
            dependencies: ["CRI", "CRIGRPC", "CRIHPACK", "CRIHTTP2", "CRIStreaming", "CRITransport"],
            swiftSettings: strictSettings
        ),
        // The code generator that turns Protos/ into Sources/CRIv1: a library for tests, a thin executable.
        .target(name: "CRICodeGen", swiftSettings: strictSettings),
        .executableTarget(name: "cri-generate", dependencies: ["CRICodeGen"], swiftSettings: strictSettings),

        .testTarget(name: "CRIWireTests", dependencies: ["CRIWire"], swiftSettings: strictSettings),
        .testTarget(
            name: "CRIv1Tests",
            // CRICodeGen: the round-trip tests read the schema to build random wire bytes for every message.
            dependencies: ["CRIv1", "CRIWire", "CRICodeGen"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CRICodeGenTests", dependencies: ["CRICodeGen"], swiftSettings: strictSettings),
        .testTarget(name: "CRIHPACKTests", dependencies: ["CRIHPACK"], swiftSettings: strictSettings),
        .testTarget(name: "CRIHTTP2Tests", dependencies: ["CRIHTTP2", "CRIHPACK", "CRITransport"], swiftSettings: strictSettings),
        .testTarget(name: "CRICLITests", dependencies: ["CRI", "CRITesting"], swiftSettings: strictSettings),
        .testTarget(name: "CRITests", dependencies: ["CRI", "CRITesting", "CRIv1", "CRIGRPC", "CRIHTTP2", "CRITransport", "CRIStreaming"], swiftSettings: strictSettings),
        .testTarget(
            name: "CRIInteropTests",
            dependencies: ["CRI", "CRITesting"],
            // The grpcio client the tests launch.
            exclude: ["Python"],
            swiftSettings: strictSettings
        ),
        // Needs a running containerd lab (Scripts/containerd-lab.sh up); skipped without one unless required.
        .testTarget(
            name: "CRIEndToEndTests",
            // CRITesting: one test asks the fake runtime what it asks containerd and compares the answers.
            dependencies: ["CRI", "CRIStreaming", "CRITesting", "CRITransport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CRIStreamingTests",
            dependencies: ["CRIStreaming", "CRITransport", "CRIWire"],
            // spdy-goldens.json: zlib streams and SPDY frames from Python's zlib (Scripts/make-spdy-goldens.py).
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CRITransportTests", dependencies: ["CRITransport"], swiftSettings: strictSettings),
        // The Windows code paths over the simulated Win32 kernel; its tests run only in the CRI_WINDOWS_STANDIN build.
        .testTarget(
            name: "CRIWindowsTests",
            dependencies: [
                // cri: the walkthrough runs the CLI in-process, where the simulated pipes are. CRIStreaming: attach and
                // port-forward sessions over simulated Winsock TCP.
                "CRI", "CRIStreaming", "CRITesting", "CRITransport", "cri",
                .target(name: "CRIWinSDKStandIn", condition: .when(traits: ["CRI_WINDOWS_STANDIN"])),
            ],
            // The walkthrough's crictl.yaml, pod-config.yaml, simple-server.yaml and README, as it writes them.
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        // Hostile peers, abusive clients and load against the client, server and fake runtime.
        .testTarget(
            name: "CRIHostileTests",
            dependencies: ["CRI", "CRITesting", "CRIGRPC", "CRIHTTP2", "CRIHPACK", "CRITransport"],
            swiftSettings: strictSettings
        ),
        // Every committed fuzz corpus file and past crasher (Fuzz/Corpus, Fuzz/FailCases) through CRIFuzzTargets.
        .testTarget(name: "CRIFuzzRegressionTests", dependencies: ["CRIFuzzTargets"], swiftSettings: strictSettings),
        .testTarget(
            name: "CRIGRPCTests",
            dependencies: ["CRIGRPC", "CRIHTTP2", "CRITransport", "CRIWire"],
            swiftSettings: strictSettings
        ),
    ]
)
