// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so the library never depends on what they compare against.
let package = Package(
    name: "swift-cri-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-cri", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "cri-bench",
            dependencies: [
                .product(name: "CRI", package: "swift-cri"),
                .product(name: "CRITesting", package: "swift-cri"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
