import CRI
import CRIGRPC
import CRIHTTP2
import CRIStreaming
import CRITesting
import CRITransport
import Synchronization
import Testing

@Suite("CRIClient behaviour: deadlines, errors, reconnects, validation, logging")
struct ClientBehaviourTests {
    @Test func missingSocketFailsFastNamingThePath() async throws {
        let start = ContinuousClock.now
        try await withCRIClient(endpoint: "unix:///nonexistent/dir/cri.sock") { cri in
            do {
                _ = try await cri.version()
                Issue.record("expected an error")
            } catch let error as CRIError {
                #expect(error.code == .unavailable)
                #expect(error.description.contains("/nonexistent/dir/cri.sock"))
                #expect(error.method == "Version")
            }
        }
        #expect(ContinuousClock.now - start < .milliseconds(500))
    }

    @Test func malformedEndpointIsRejectedUpFront() {
        #expect(throws: CRIError(code: .invalidArgument)) { _ = try CRIClient(endpoint: "http://example") }
    }

    @Test func deadlineExceededWithinTheDeadlinePlusMargin() async throws {
        let runtime = FakeRuntime()
        await runtime.inject(.delay(.seconds(5)), into: "Version")
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let start = ContinuousClock.now
                await #expect(throws: CRIError(code: .deadlineExceeded)) {
                    try await cri.version(options: CRICallOptions(timeout: .after(.milliseconds(200))))
                }
                let elapsed = ContinuousClock.now - start
                #expect(elapsed >= .milliseconds(200))
                // The +100 ms bound is asserted at the gRPC layer (CRIGRPCTests); here the point is
                // that the call ends near its deadline and the connection stays usable, with slack
                // for a loaded machine running the suite in parallel.
                #expect(elapsed < .seconds(1))
                // The connection is still good for the next call.
                let name = try await cri.version().runtimeName
                #expect(name == "fake-cri")
            }
        }
    }

    @Test func notFoundNamesMethodAndEndpoint() async throws {
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                do {
                    _ = try await cri.containerStatus(id: "0123456789ab")
                    Issue.record("expected an error")
                } catch let error as CRIError {
                    #expect(error.isNotFound)
                    #expect(error.description.contains("ContainerStatus on \(server.endpoint): NOT_FOUND"))
                    #expect(error.message.contains("0123456789ab"))
                }
            }
        }
    }

    @Test func versionUnimplementedSaysTheRuntimeDoesNotServeCRIv1() async throws {
        let runtime = FakeRuntime()
        await runtime.inject(.error(.unimplemented, message: "unknown service runtime.v1.RuntimeService"), into: "Version")
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                do {
                    _ = try await cri.version()
                    Issue.record("expected an error")
                } catch let error as CRIError {
                    #expect(error.code == .unimplemented)
                    #expect(error.message.contains("the runtime at \(server.endpoint) does not serve CRI v1"))
                }
            }
        }
    }

    @Test func reconnectsAfterTheRuntimeRestarts() async throws {
        let server = try await FakeCRIServer.start()
        var options = CRIClientOptions()
        options.initialReconnectDelay = .zero
        let client = try CRIClient(endpoint: server.endpoint, options: options)
        defer { client.close() }
        let podID = try await client.runPodSandbox(Fixtures.podConfig())
        server.kill()
        // While the runtime is down, calls fail fast with UNAVAILABLE rather than hang.
        await #expect(throws: CRIError(code: .unavailable)) { try await client.version() }
        let restarted = try await server.restarted()
        // The same client reconnects on its next call and sees the same runtime state.
        #expect(try await client.listPodSandbox(filter: nil).map(\.id) == [podID])
        await restarted.shutdown()
    }

    @Test func failedConnectionsBackOffInsteadOfHammeringTheSocket() async throws {
        let server = try await FakeCRIServer.start()
        var options = CRIClientOptions()
        options.initialReconnectDelay = .seconds(30)
        let client = try CRIClient(endpoint: server.endpoint, options: options)
        defer { client.close() }
        _ = try await client.version()
        server.kill()
        // The first call may fail on the dead connection; the second surely tries to reconnect and fails.
        await #expect(throws: CRIError(code: .unavailable)) { try await client.version() }
        await #expect(throws: CRIError(code: .unavailable)) { try await client.version() }
        let restarted = try await server.restarted()
        // Inside the backoff window the client does not try again: it says when it will.
        do {
            _ = try await client.version()
            Issue.record("expected an error")
        } catch let error as CRIError {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("retrying in"))
        }
        // A new client (no backoff history) connects at once.
        let fresh = try await withCRIClient(endpoint: restarted.endpoint) { try await $0.version() }
        #expect(fresh.runtimeName == "fake-cri")
        await restarted.shutdown()
    }

    @Test func injectedConnectionDropEndsTheCallAndTheNextOneReconnects() async throws {
        let runtime = FakeRuntime()
        await runtime.inject(.dropConnection, into: "ListContainers")
        var options = CRIClientOptions()
        options.initialReconnectDelay = .zero
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint, options: options) { cri in
                await #expect(throws: CRIError(code: .unavailable)) { try await cri.listContainers(filter: nil) }
                let containers = try await cri.listContainers(filter: nil)
                #expect(containers.isEmpty)
            }
        }
    }

    @Test func injectedGoAwayLetsTheCallFinishAndLaterCallsUseANewConnection() async throws {
        let runtime = FakeRuntime()
        await runtime.inject(.goAway, into: "Version")
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let version = try await cri.version()
                #expect(version.runtimeName == "fake-cri")
                for _ in 0..<3 {
                    let status = try await cri.status()
                    #expect(status.status?.conditions.count == 2)
                }
            }
        }
        #expect(await runtime.calledMethods == ["Version", "Status", "Status", "Status"])
    }

    @Test func streamingListsFallBackToListWhenUnimplemented() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.supportsStreamingLists = false
        let runtime = FakeRuntime(configuration: configuration)
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let podID = try await cri.runPodSandbox(Fixtures.podConfig())
                #expect(try await cri.streamPodSandboxes().map(\.id) == [podID])
                #expect(cri.streamingListsFallingBack == ["StreamPodSandboxes"])
                #expect(try await cri.streamPodSandboxes().map(\.id) == [podID])
            }
        }
        // The second call went straight to ListPodSandbox.
        let methods = await runtime.calledMethods.filter { $0.contains("PodSandbox") && $0 != "RunPodSandbox" }
        #expect(methods == ["StreamPodSandboxes", "ListPodSandbox", "ListPodSandbox"])
    }

    @Test func streamingListsCollectEveryBatch() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.streamBatchSize = 2
        let runtime = FakeRuntime(configuration: configuration)
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                var ids: Set<String> = []
                for index in 0..<5 { ids.insert(try await cri.runPodSandbox(Fixtures.podConfig(name: "pod-\(index)"))) }
                let streamed = try await cri.streamPodSandboxes()
                #expect(Set(streamed.map(\.id)) == ids)
                #expect(streamed.count == 5)
                #expect(cri.streamingListsFallingBack.isEmpty)
            }
        }
    }

    @Test func loggerSeesRedactedMessages() async throws {
        let records = Mutex<[CRICallRecord]>([])
        var options = CRIClientOptions()
        options.logger = { record in records.withLock { $0.append(record) } }
        var credentials = FakeRuntime.Configuration()
        credentials.registryCredentials = ["registry.example:5000": (username: "me", password: "s3cret-pass")]
        try await withFakeCRIServer(runtime: FakeRuntime(configuration: credentials)) { server in
            try await withCRIClient(endpoint: server.endpoint, options: options) { cri in
                var auth = AuthConfig()
                auth.username = "me"
                auth.password = "s3cret-pass"
                _ = try await cri.pullImage("registry.example:5000/app:1", auth: auth)
                auth.password = "wrong-pass"
                do {
                    _ = try await cri.pullImage("registry.example:5000/app:1", auth: auth)
                    Issue.record("expected an error")
                } catch let error as CRIError {
                    #expect(!error.description.contains("wrong-pass"))
                    #expect(error.message.contains("401 Unauthorized"))
                }
            }
        }
        let logged = records.withLock { $0 }
        #expect(logged.map(\.method) == ["PullImage", "PullImage"])
        #expect(logged[0].error == nil)
        #expect(logged[1].error?.code == .unknown)
        for record in logged {
            #expect(record.request.contains("password: <redacted>"))
            #expect(!record.description.contains("s3cret-pass"))
            #expect(!record.description.contains("wrong-pass"))
        }
    }

    @Test func responsesMissingRequiredFieldsAreRejectedNamingTheField() async throws {
        // A gRPC server (ours) that answers Version with an incomplete response.
        let directory = makeTemporaryDirectory()
        let endpoint = "unix://\(directory)/bad.sock"
        let listener = try listen(on: Endpoint(parsing: endpoint))
        defer { listener.close() }
        var incomplete = VersionResponse()
        incomplete.version = "0.1.0"
        incomplete.runtimeName = "half-baked"
        let answer = incomplete.serializedBytes()
        let server = GRPCServer(handlers: [RuntimeService.version.path: .unary { _, _ in answer }])
        defer { server.close() }
        server.serve { () throws -> (any HTTP2Transport)? in ByteStreamTransport(try listener.accept()) }
        try await withCRIClient(endpoint: endpoint) { cri in
            do {
                _ = try await cri.version()
                Issue.record("expected an error")
            } catch let error as CRIError {
                #expect(error.code == .invalidResponse)
                #expect(error.message.contains("missing runtime_version, runtime_api_version"))
            }
        }
    }

    @Test func execStreamsThroughTheFakeRuntimesWebSocketEndpoint() async throws {
        for streaming in [StreamingServerConfiguration.defaults, .v4Only] {
            var configuration = FakeRuntime.Configuration()
            configuration.streamingServer = streaming
            try await withFakeCRIServer(runtime: FakeRuntime(configuration: configuration)) { server in
                try await withCRIClient(endpoint: server.endpoint) { cri in
                    let podConfig = Fixtures.podConfig()
                    let podID = try await cri.runPodSandbox(podConfig)
                    _ = try await cri.pullImage("busybox")
                    let containerID = try await cri.createContainer(inPod: podID, config: Fixtures.containerConfig(), sandboxConfig: podConfig)
                    try await cri.startContainer(id: containerID)

                    let echo = try await cri.exec(containerID: containerID, command: ["sh", "-c", "echo out; echo err >&2; exit 7"])
                    let output = try await runStreamingCommand(url: echo, stdin: nil, tty: false)
                    #expect(output.stdout == Array("out\n".utf8))
                    #expect(output.stderr == Array("err\n".utf8))
                    #expect(output.exitStatus.exitCode == 7)

                    if streaming.acceptedProtocols.contains(.v5) {
                        let cat = try await cri.exec(containerID: containerID, command: ["cat"], stdin: true)
                        let piped = try await runStreamingCommand(url: cat, stdin: Array("piped\n".utf8), tty: false)
                        #expect(piped.negotiatedProtocol == .v5)
                        #expect(piped.stdout == Array("piped\n".utf8))
                        #expect(piped.exitStatus.exitCode == 0)
                    } else {
                        #expect(output.negotiatedProtocol == .v4)
                    }
                }
            }
        }
    }
}
