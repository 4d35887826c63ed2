import BenchSupport
import CRI
import CRITesting

/// The streaming modes (issue 15): ours only, since no Swift peer speaks CRI's exec streams. Each runs in a
/// container of its own, in a host-network pod it creates and removes, against `--endpoint` or an in-process fake.
///
/// - `exec-throughput`: `--bytes` through `cat` (stdin → stdout) per run. SPDY closes stdin and waits for the exit
///   status; WebSocket v4 cannot close stdin, so there a run ends when the known byte count has come back, and the
///   session is then ended (cat with it). The fake's `cat` answers only once stdin has ended, so WebSocket
///   throughput needs a real runtime.
/// - `exec-roundtrip`: `exec sh -c true` to its exit status: the Exec RPC, the dial and handshake, the status.
enum StreamModes {
    /// Runs the mode; returns the exit status.
    static func run(_ arguments: BenchArguments) async -> Int32 {
        guard arguments.impl == "ours" else {
            printError("cri-bench: \(arguments.mode): no peer implementation streams CRI exec sessions")
            return 1
        }
        guard let transport = CRIStreamingTransport.allCases.first(where: { "\($0)" == arguments.transport }) else {
            BenchArguments.usage("--transport is spdy or websocket, not \(arguments.transport)")
        }
        if arguments.mode == "exec-throughput" && transport == .webSocket && arguments.endpoint == nil {
            BenchArguments.usage(
                "exec-throughput over websocket needs --endpoint: the fake's cat waits for stdin to end")
        }
        do {
            let measurement: Measurement
            if let endpoint = arguments.endpoint {
                measurement = try await measure(arguments, transport: transport, endpoint: endpoint)
            } else {
                measurement = try await withFakeCRIServer { server in
                    try await measure(arguments, transport: transport, endpoint: server.endpoint)
                }
            }
            return measurement.failures > 0 ? 3 : 0
        } catch {
            printError("cri-bench: ours \(arguments.mode) over \(transport): \(error)")
            return 1
        }
    }

    private static func measure(
        _ arguments: BenchArguments, transport: CRIStreamingTransport, endpoint: String
    ) async throws -> Measurement {
        try await withCRIClient(endpoint: endpoint) { cri in
            try await withContainer(cri, image: arguments.image) { containerID in
                let options = CRIStreamingOptions(transport: transport)
                let label = "\(arguments.mode)-\(transport)"
                if arguments.mode == "exec-roundtrip" {
                    let measurement = try await Loops.sequential(n: arguments.n(default: 200)) {
                        let output = try await cri.runExec(
                            containerID: containerID, command: ["sh", "-c", "true"], options: options)
                        guard output.exitCode == 0 else { throw BenchFailure("sh -c true exited \(output.exitCode)") }
                    }
                    report(impl: "ours", mode: label, measurement)
                    return measurement
                }
                // The warm-up is small: it only has to open the paths (image layers, the streaming server).
                _ = try await pipe(cri, containerID: containerID, bytes: 64 * 1024, options: options)
                let bytes = arguments.bytes
                let measurement = try await Loops.sequential(n: arguments.n(default: 3), warmUp: false) {
                    _ = try await pipe(cri, containerID: containerID, bytes: bytes, options: options)
                }
                let seconds = measurement.percentile(50) / 1e6
                report(
                    impl: "ours", mode: label, measurement,
                    extras: [
                        ("bytes", String(bytes)),
                        ("mb_per_s", decimal(seconds > 0 ? Double(bytes) / 1e6 / seconds : 0)),
                        ("cpu_us_per_mb", decimal(measurement.cpuPerOperation / (Double(bytes) / 1e6))),
                    ])
                return measurement
            }
        }
    }

    /// Sends `bytes` through `cat` in the container and reads them back; returns how many came back.
    private static func pipe(
        _ cri: CRIClient, containerID: String, bytes: Int, options: CRIStreamingOptions
    ) async throws -> Int {
        try await cri.withExecSession(containerID: containerID, command: ["cat"], stdin: true, options: options) {
            session in
            let closes = session.canCloseStdin
            async let received: Int = {
                var count = 0
                for await chunk in session.stdout {
                    count += chunk.count
                    if !closes && count >= bytes { break }
                }
                return count
            }()
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
            var sent = 0
            while sent < bytes {
                let size = min(chunk.count, bytes - sent)
                try await session.writeStdin(chunk[..<size])
                sent += size
            }
            guard closes else {
                // v4 cannot end stdin: the known count coming back is the end; returning ends the session.
                let count = await received
                guard count >= bytes else { throw BenchFailure("cat echoed \(count) of \(bytes) bytes") }
                return count
            }
            try await session.closeStdin()
            let count = await received
            let status = try await session.exitStatus()
            guard status.succeeded, count == bytes else {
                throw BenchFailure("cat echoed \(count) of \(bytes) bytes and ended with \(status)")
            }
            return count
        }
    }

    /// A host-network pod with one `sleep` container from `image` for `body`, removed afterwards.
    private static func withContainer<Result>(
        _ cri: CRIClient, image: String, _ body: (String) async throws -> Result
    ) async throws -> Result {
        _ = try await cri.pullImage(image)
        var pod = PodSandboxConfig()
        pod.metadata = PodSandboxMetadata {
            $0.name = "cri-bench-exec"
            $0.namespace = "cri-bench"
            $0.uid = "cri-bench-\(UInt64.random(in: 0...UInt64.max))"
        }
        pod.linux = LinuxPodSandboxConfig {
            $0.securityContext = LinuxSandboxSecurityContext {
                $0.namespaceOptions = NamespaceOption { $0.network = .node }
            }
        }
        let podID = try await cri.runPodSandbox(pod)
        let result: Swift.Result<Result, any Error>
        do {
            var container = ContainerConfig()
            container.metadata = ContainerMetadata { $0.name = "bench" }
            container.image = ImageSpec { $0.image = image }
            container.command = ["sleep", "3600"]
            container.linux = LinuxContainerConfig {
                $0.securityContext = LinuxContainerSecurityContext {
                    $0.namespaceOptions = NamespaceOption { $0.network = .node }
                }
            }
            let containerID = try await cri.createContainer(inPod: podID, config: container, sandboxConfig: pod)
            try await cri.startContainer(id: containerID)
            result = .success(try await body(containerID))
        } catch {
            result = .failure(error)
        }
        try? await cri.stopPodSandbox(id: podID)
        try? await cri.removePodSandbox(id: podID)
        return try result.get()
    }
}

/// A streaming run that completed but did not do what it should have.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
