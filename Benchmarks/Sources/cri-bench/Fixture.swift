import CRI

/// The 10,000-container `ListContainersResponse` the benchmarks decode and encode: each container
/// has 64-hex IDs, metadata, an image spec, a `sha256:` image ref, state RUNNING, a creation time,
/// and five kubelet-style labels and annotations (about 778 bytes per container on the wire, 7.8 MB in all).
enum Fixture {
    static func listContainersResponse(count: Int = 10_000) -> ListContainersResponse {
        var generator = SplitMix64(seed: 42)
        func hex64() -> String {
            var text = ""
            for _ in 0..<4 {
                let word = String(generator.next(), radix: 16)
                text += String(repeating: "0", count: 16 - word.count) + word
            }
            return text
        }
        var response = ListContainersResponse()
        response.containers.reserveCapacity(count)
        for index in 0..<count {
            // A Deployment's pod name: app-N-<replica set hash>-<5 characters>, as kubelet labels show it.
            let pod = "app-\(index / 4 % 100)-\(hex64().prefix(10))-\(hex64().prefix(5))"
            var container = Container()
            container.id = hex64()
            container.podSandboxID = hex64()
            var metadata = ContainerMetadata()
            metadata.name = "container-\(index % 4)"
            metadata.attempt = UInt32(index % 3)
            container.metadata = metadata
            var image = ImageSpec()
            image.image = "registry.k8s.io/e2e-test-images/agnhost:2.\(index % 50)"
            container.image = image
            container.imageRef = "sha256:" + hex64()
            container.state = .containerRunning
            container.createdAt = 1_700_000_000_000_000_000 + Int64(index) * 1_000_003
            container.labels = [
                "io.kubernetes.container.name": metadata.name,
                "io.kubernetes.pod.name": pod,
                "io.kubernetes.pod.namespace": "namespace-\(index % 20)",
                "io.kubernetes.pod.uid": "\(hex64().prefix(8))-\(hex64().prefix(4))-\(hex64().prefix(4))-\(hex64().prefix(12))",
                "app.kubernetes.io/name": "app-\(index % 100)",
            ]
            container.annotations = [
                "io.kubernetes.container.hash": String(generator.next() % 100_000_000, radix: 16),
                "io.kubernetes.container.restartCount": "\(index % 3)",
                "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
                "io.kubernetes.container.terminationMessagePolicy": "File",
                "io.kubernetes.pod.terminationGracePeriod": "30",
            ]
            response.containers.append(container)
        }
        return response
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
