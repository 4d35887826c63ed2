#if CRI_WINDOWS_STANDIN
import CRI
import CRITesting
import CRITransport
import CRIWinSDKStandIn
import Testing

/// A fake runtime with the walkthrough's Windows runtime handler configured, as containerd on Windows has.
func windowsRuntime() -> FakeRuntime {
    var configuration = FakeRuntime.Configuration()
    configuration.runtimeHandlers.append("runhcs-wcow-process")
    return FakeRuntime(configuration: configuration)
}

/// The walkthrough's IIS container with its image pulled; `sleep 3600` keeps it running (the fake has no IIS).
func walkthroughContainer(pulledBy cri: CRIClient) async throws -> ContainerConfig {
    let image = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
    _ = try await cri.pullImage(image)
    var container = ContainerConfig()
    container.metadata = ContainerMetadata { $0.name = "simple-server" }
    container.image = ImageSpec { $0.image = image }
    container.command = ["sleep", "3600"]
    return container
}

/// The whole client stack (named-pipe transport, HTTP/2, gRPC, CRIClient) over simulated pipes against
/// FakeCRIServer, which listens through the same Windows code (NamedPipeListener: CreateNamedPipeW, ConnectNamedPipe).
@Suite("CRIClient over a simulated Windows named pipe", .serialized, .timeLimit(.minutes(1)))
struct ClientOverNamedPipeTests {
    @Test func everydayWorkflowOverContainerdsPipe() async throws {
        #expect(SimulatedKernel.shared.awaitPipeGone(#"\\.\pipe\containerd-containerd"#))  // From an earlier test.
        try await withFakeCRIServer(runtime: windowsRuntime(), listeningOn: "npipe:////./pipe/containerd-containerd") { _ in
            // The walkthrough's spelling (two slashes) reaches the same pipe.
            try await withCRIClient(endpoint: "npipe://./pipe/containerd-containerd") { cri in
                let version = try await cri.version()
                #expect(version.runtimeName == "fake-cri")
                var metadata = PodSandboxMetadata()
                metadata.name = "sample-sandbox"
                metadata.namespace = "default"
                metadata.uid = "0123456789abcdef012345678"
                var pod = PodSandboxConfig()
                pod.metadata = metadata
                let podID = try await cri.runPodSandbox(pod, runtimeHandler: "runhcs-wcow-process")
                #expect(try await cri.podSandboxStatus(id: podID).status?.runtimeHandler == "runhcs-wcow-process")
                let container = try await walkthroughContainer(pulledBy: cri)
                let containerID = try await cri.createContainer(inPod: podID, config: container, sandboxConfig: pod)
                try await cri.startContainer(id: containerID)
                let result = try await cri.execSync(containerID: containerID, command: ["echo", "hi"])
                #expect(result.stdout == Array("hi\n".utf8))
                #expect(try await cri.listContainers(filter: nil).map(\.id) == [containerID])
                try await cri.stopContainer(id: containerID)
                try await cri.removeContainer(id: containerID)
                try await cri.stopPodSandbox(id: podID)
                try await cri.removePodSandbox(id: podID)
                #expect(try await cri.listPodSandbox(filter: nil).isEmpty)
            }
        }
        #expect(SimulatedKernel.shared.violations == [])
        // Shutting the server down closes every instance (the accept thread closes the one it waits on).
        #expect(SimulatedKernel.shared.awaitPipeGone(#"\\.\pipe\containerd-containerd"#))
    }

    @Test func busyPipeFailsTheCallAtItsDeadline() async throws {
        let endpoint = uniquePipe()
        guard case .namedPipe(let path) = endpoint.kind else { return }
        let instance = try #require(createInstance(path, maxInstances: 1))
        defer { CloseHandle(instance) }
        let first = try connect(to: endpoint, deadline: .now + .seconds(1))
        defer { first.close() }
        var options = CRIClientOptions()
        options.timeout = .milliseconds(400)
        let started = ContinuousClock.now
        await #expect {
            try await withCRIClient(endpoint: endpoint.canonicalURL, options: options) { cri in _ = try await cri.version() }
        } throws: { error in
            let error = error as? CRIError
            return error?.code == .deadlineExceeded || error?.code == .unavailable
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(350) && waited < .seconds(3), "\(waited)")
    }

    @Test func serverThatDiesMidCallEndsTheCall() async throws {
        let endpoint = uniquePipe()
        guard case .namedPipe(let path) = endpoint.kind else { return }
        try await withFakeCRIServer(listeningOn: endpoint.canonicalURL) { _ in
            try await withCRIClient(endpoint: endpoint.canonicalURL) { cri in
                _ = try await cri.version()
                await #expect(throws: CRIError.self) {
                    try await cri.getContainerEvents { events in
                        // The stream is open (and its read pending in the kernel) when the server goes away.
                        SimulatedKernel.shared.breakConnections(onPipe: path)
                        for try await _ in events {}
                        throw CRIError(code: .unknown, message: "the event stream ended without an error")
                    }
                }
            }
        }
        #expect(SimulatedKernel.shared.violations == [])
    }

    @Test func cancellingTheTaskEndsABlockedRead() async throws {
        let endpoint = uniquePipe()
        try await withFakeCRIServer(listeningOn: endpoint.canonicalURL) { _ in
            try await withCRIClient(endpoint: endpoint.canonicalURL) { cri in
                let waiting = Task {
                    // Nothing happens to containers, so this read stays pending until cancelled.
                    try await cri.getContainerEvents { events in for try await _ in events {} }
                }
                _ = try await cri.version()  // The connection is up; the events call is in flight or about to be.
                let started = ContinuousClock.now
                waiting.cancel()
                _ = await waiting.result
                #expect(ContinuousClock.now - started < .seconds(2))
                // The connection is still good for the next call.
                #expect(try await cri.version().runtimeName == "fake-cri")
            }
        }
        #expect(SimulatedKernel.shared.violations == [])
    }
}
#endif
