import CRI
import CRITesting
import Testing

/// The fake answers as containerd 1.6 does where it models something, refuses what containerd
/// refuses, and advertises only what it implements (issue 21). Message forms are the lab's
/// containerd 1.6 answers (see the CRITesting docs' FakeRuntimeFidelity article).
@Suite("FakeRuntime fidelity: what it advertises, refuses and reports")
struct FakeRuntimeFidelityTests {
    private func withClient(
        _ configuration: FakeRuntime.Configuration = FakeRuntime.Configuration(),
        _ body: (CRIClient, FakeRuntime) async throws -> Void
    ) async throws {
        let runtime = FakeRuntime(configuration: configuration)
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { try await body($0, runtime) }
        }
    }

    private func error(_ body: () async throws -> Void) async -> CRIError? {
        do {
            try await body()
            return nil
        } catch let error as CRIError {
            return error
        } catch {
            Issue.record("not a CRIError: \(error)")
            return nil
        }
    }

    private func pod(_ name: String = "fidelity", configure: (inout PodSandboxConfig) -> Void = { _ in }) -> PodSandboxConfig {
        var config = Fixtures.podConfig(name: name, uid: name)
        configure(&config)
        return config
    }

    // MARK: Status

    /// Every field Status fills is checked here against the behaviour it claims.
    @Test func statusAdvertisesOnlyWhatTheFakeDoes() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.networkReady = false
        try await withClient(configuration) { cri, _ in
            let status = try await cri.status(StatusRequest { $0.verbose = true })
            // Conditions follow the configuration.
            let conditions = status.status?.conditions ?? []
            #expect(conditions.map(\.type) == ["RuntimeReady", "NetworkReady"])
            #expect(conditions.map(\.status) == [true, false])
            #expect(conditions.last?.reason == "NetworkPluginNotReady")
            // No features: user namespaces, recursive read-only mounts and the supplemental groups
            // policy are not implemented, so none is claimed, for the runtime or any handler.
            #expect(status.features == nil)
            #expect(status.runtimeHandlers.allSatisfy { $0.features == nil })
            // Each handler listed runs pods and is reported on them; an unlisted one is refused.
            #expect(status.runtimeHandlers.map(\.name) == ["", "runc"])
            for (index, handler) in status.runtimeHandlers.map(\.name).enumerated() {
                let id = try await cri.runPodSandbox(pod("handler-\(index)"), runtimeHandler: handler)
                #expect(try await cri.podSandboxStatus(id: id).status?.runtimeHandler == handler)
            }
            let refused = await error { _ = try await cri.runPodSandbox(pod("kata"), runtimeHandler: "kata") }
            #expect(refused?.code == .unknown)
            #expect(refused?.message == #"failed to get sandbox runtime: no runtime for "kata" is configured"#)
            // The verbose info: the pod CIDR set by UpdateRuntimeConfig, name and cgroup driver.
            _ = try await cri.updateRuntimeConfig(UpdateRuntimeConfigRequest {
                $0.runtimeConfig = RuntimeConfig { $0.networkConfig = NetworkConfig { $0.podCidr = "10.1.0.0/16" } }
            })
            let verbose = try await cri.status(StatusRequest { $0.verbose = true })
            #expect(verbose.info["config"] == #"{"podCIDR":"10.1.0.0/16","runtimeName":"fake-cri","cgroupDriver":"SYSTEMD"}"#)
            #expect(verbose.info["lastCNILoadStatus"] == "OK")
            #expect(try await cri.status(StatusRequest()).info.isEmpty)
        }
    }

    // MARK: Refused configurations

    @Test func runAsGroupWithoutAUserIsRefusedAsContainerdRefusesIt() async throws {
        try await withClient { cri, _ in
            let group = Int64Value { $0.value = 10 }
            let sandbox = await error {
                _ = try await cri.runPodSandbox(pod { $0.linux?.securityContext = LinuxSandboxSecurityContext { $0.runAsGroup = group } })
            }
            #expect(sandbox?.code == .unknown)
            #expect(
                sandbox?.message
                    == #"failed to generate sanbdox container spec options: failed to generate user string: user group "10" is specified without user"#
            )
            _ = try await cri.pullImage("busybox")
            let podConfig = pod()
            let podID = try await cri.runPodSandbox(podConfig)
            var config = Fixtures.containerConfig()
            config.linux = LinuxContainerConfig { $0.securityContext = LinuxContainerSecurityContext { $0.runAsGroup = group } }
            let container = await error { _ = try await cri.createContainer(inPod: podID, config: config, sandboxConfig: podConfig) }
            #expect(container?.code == .unknown)
            #expect(
                container?.message
                    == #"failed to get container spec opts: failed to generate user string: user group "10" is specified without user"#
            )
            // With a user, by ID or by name, the group is fine.
            config.linux?.securityContext?.runAsUsername = "nobody"
            _ = try await cri.createContainer(inPod: podID, config: config, sandboxConfig: podConfig)
        }
    }

    @Test func invalidUserNamespaceMappingsAreRefused() async throws {
        let mapping = IDMapping { $0.hostID = 100_000; $0.containerID = 0; $0.length = 65536 }
        let cases: [(UserNamespace, String)] = [
            (UserNamespace { $0.mode = .pod }, #"can't use user namespace mode "POD" without UID and GID mappings"#),
            (
                UserNamespace { $0.mode = .pod; $0.uids = [mapping, mapping]; $0.gids = [mapping] },
                "UID mapping: only one mapping line supported, got 2 mapping lines"
            ),
            (
                UserNamespace { $0.mode = .pod; $0.uids = [mapping]; $0.gids = [IDMapping { $0.length = 0 }] },
                "GID mapping: invalid mapping length: 0"
            ),
            (
                UserNamespace { $0.mode = .node; $0.uids = [mapping] },
                #"can't use user namespace mode "NODE" with mappings. Got 1 UID mappings and 0 GID mappings"#
            ),
            (UserNamespace { $0.mode = .container }, #"unsupported user namespace mode: "CONTAINER""#),
        ]
        try await withClient { cri, _ in
            for (index, (userns, reason)) in cases.enumerated() {
                let config = pod("userns-\(index)") {
                    $0.linux?.securityContext = LinuxSandboxSecurityContext {
                        $0.namespaceOptions = NamespaceOption { $0.usernsOptions = userns }
                    }
                }
                let refused = await error { _ = try await cri.runPodSandbox(config) }
                #expect(refused?.code == .unknown)
                #expect(refused?.message == "user namespace configuration: " + reason)
            }
            // Valid configurations pass (and are recorded, not applied: the fake runs no processes).
            for (index, userns) in [UserNamespace { $0.mode = .node }, UserNamespace { $0.mode = .pod; $0.uids = [mapping]; $0.gids = [mapping] }]
                .enumerated()
            {
                let config = pod("userns-ok-\(index)") {
                    $0.linux?.securityContext = LinuxSandboxSecurityContext {
                        $0.namespaceOptions = NamespaceOption { $0.usernsOptions = userns }
                    }
                }
                let id = try await cri.runPodSandbox(config)
                #expect(try await cri.podSandboxStatus(id: id).status?.linux?.namespaces?.options?.usernsOptions == userns)
            }
        }
    }

    @Test func recursiveReadOnlyMountsNeedPrivatePropagationAndReadOnly() async throws {
        try await withClient { cri, _ in
            _ = try await cri.pullImage("busybox")
            let podConfig = pod()
            let podID = try await cri.runPodSandbox(podConfig)
            let cases: [(MountPropagation, Bool, String?)] = [
                (.propagationHostToContainer, true, #"needs private propagation, got "PROPAGATION_HOST_TO_CONTAINER""#),
                (.propagationBidirectional, true, #"needs private propagation, got "PROPAGATION_BIDIRECTIONAL""#),
                (.propagationPrivate, false, "conflicts with RW mount"),
                (.propagationPrivate, true, nil),
            ]
            for (index, (propagation, readonly, problem)) in cases.enumerated() {
                var config = Fixtures.containerConfig(name: "rro-\(index)")
                config.mounts = [
                    Mount {
                        $0.containerPath = "/data"; $0.hostPath = "/srv/data"; $0.readonly = readonly
                        $0.recursiveReadOnly = true; $0.propagation = propagation
                    }
                ]
                let refused = await error { _ = try await cri.createContainer(inPod: podID, config: config, sandboxConfig: podConfig) }
                #expect(refused?.code == (problem == nil ? nil : .unknown))
                if let problem {
                    #expect(refused?.message.hasPrefix(#"failed to generate container ""#) == true)
                    #expect(
                        refused?.message.hasSuffix(
                            #" spec: failed to generate spec: recursive read-only mount \#(problem) (hostPath="/srv/data")"#) == true,
                        "\(refused?.message ?? "")")
                }
            }
        }
    }

    // MARK: Exec and start

    @Test func execSyncReportsTheCommandsStatusAndRuncsFailure() async throws {
        try await withClient { cri, _ in
            _ = try await cri.pullImage("busybox")
            let podConfig = pod()
            let podID = try await cri.runPodSandbox(podConfig)
            let id = try await cri.createContainer(inPod: podID, config: Fixtures.containerConfig(), sandboxConfig: podConfig)
            try await cri.startContainer(id: id)
            for (command, code) in [
                (["false"], Int32(1)), (["true"], 0), (["/bin/false"], 1), (["sh", "-c", "exit 3"], 3),
                (["sh", "-c", "nosuchcmd"], 127),
                // Not numbers a sleep can take: they used to trap converting to nanoseconds.
                (["sleep", "nan"], 0), (["sleep", "-inf"], 0), (["sh", "-c", "sleep -1; exit 2"], 2),
            ] {
                #expect(try await cri.execSync(containerID: id, command: command).exitCode == code, "\(command)")
            }
            for (program, reason) in [
                ("nosuchcmd", #"exec: "nosuchcmd": executable file not found in $PATH"#),
                ("/nosuch/path", #"exec: "/nosuch/path": stat /nosuch/path: no such file or directory"#),
            ] {
                let failure = await error { _ = try await cri.execSync(containerID: id, command: [program]) }
                #expect(failure?.code == .unknown)
                #expect(failure?.message.hasPrefix(#"failed to exec in container: failed to start exec ""#) == true)
                #expect(
                    failure?.message.hasSuffix(
                        #"": OCI runtime exec failed: exec failed: unable to start container process: \#(reason): unknown"#) == true,
                    "\(failure?.message ?? "")")
            }
        }
    }

    @Test func aCommandHandlerCanFailAStart() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.commandHandler = { invocation in
            invocation.command.first == "app" ? .notFound("app") : await FakeShell.run(invocation)
        }
        try await withClient(configuration) { cri, _ in
            _ = try await cri.pullImage("busybox")
            let podConfig = pod()
            let podID = try await cri.runPodSandbox(podConfig)
            let id = try await cri.createContainer(
                inPod: podID, config: Fixtures.containerConfig(command: ["app", "--serve"]), sandboxConfig: podConfig)
            let failure = await error { try await cri.startContainer(id: id) }
            #expect(failure?.code == .unknown)
            #expect(failure?.message.contains(#"exec: "app": executable file not found in $PATH: unknown"#) == true)
            let status = try await cri.containerStatus(id: id).status
            #expect(status?.state == .containerExited)
            #expect(status?.exitCode == 128)
            #expect(status?.reason == "StartError")
            #expect(status?.message == failure?.message)
            #expect(status?.startedAt == 0)
            #expect((status?.finishedAt ?? 0) > 0)
        }
    }

    // MARK: Images

    @Test func imageRecordsLookAsContainerdKeepsThem() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.imageUsers = ["127.0.0.1:5000/app": "1000:1000", "docker.io/library/nginx:1.27": "nginx"]
        try await withClient(configuration) { cri, _ in
            // Two registries serving the same repository and tag: one image with both tags.
            let first = try await cri.pullImage("127.0.0.1:5000/busybox:latest")
            let second = try await cri.pullImage("127.0.0.1:5001/busybox:latest")
            #expect(first == second)
            let busybox = try #require(try await cri.imageStatus(first))
            #expect(busybox.repoTags == ["127.0.0.1:5000/busybox:latest", "127.0.0.1:5001/busybox:latest"])
            #expect(busybox.repoDigests.count == 2)
            #expect(busybox.uid == nil && busybox.username.isEmpty)
            // Pulling that image by one of its digests adds no tag.
            let digest = try #require(busybox.repoDigests.first)
            #expect(try await cri.pullImage(digest) == first)
            #expect(try await cri.imageStatus(first)?.repoTags == busybox.repoTags)
            // A digest never pulled by tag: repoDigests only.
            let byDigest = "registry.example/tool@sha256:" + String(repeating: "c", count: 64)
            let toolID = try await cri.pullImage(byDigest)
            let tool = try #require(try await cri.imageStatus(byDigest))
            #expect(tool.id == toolID && tool.repoTags.isEmpty && tool.repoDigests == [byDigest])
            // uid or username from the config's User, as containerd reads it.
            _ = try await cri.pullImage("127.0.0.1:5000/app:v1")
            #expect(try await cri.imageStatus("127.0.0.1:5000/app:v1")?.uid?.value == 1000)
            _ = try await cri.pullImage("nginx:1.27")
            let nginx = try await cri.imageStatus("nginx:1.27")
            #expect(nginx?.uid == nil && nginx?.username == "nginx")
        }
    }

    @Test func aPullPastItsDeadlineFailsAndAddsNothing() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.pullLatency = .seconds(30)
        try await withClient(configuration) { cri, runtime in
            let request = PullImageRequest { $0.image = ImageSpec { $0.image = "busybox" } }
            let start = ContinuousClock.now
            let failure = await error {
                _ = try await cri.pullImage(request, options: CRICallOptions(timeout: .after(.milliseconds(1))))
            }
            #expect(failure?.code == .deadlineExceeded)
            // At the deadline, not after the pull's 30 s (the budget is loose: machines are slow).
            #expect(ContinuousClock.now - start < .seconds(10))
            // The server saw a deadline it could not meet, so it never went on to add the image.
            #expect(await runtime.listImages(ListImagesRequest()).images.isEmpty)
            let status = try await cri.imageStatus("busybox")
            #expect(status == nil)
        }
        // The default latency is small but real: a 1 ms deadline fails.
        #expect(FakeRuntime.Configuration().pullLatency > .milliseconds(1))
        try await withClient { cri, _ in
            let request = PullImageRequest { $0.image = ImageSpec { $0.image = "busybox" } }
            let failure = await error {
                _ = try await cri.pullImage(request, options: CRICallOptions(timeout: .after(.milliseconds(1))))
            }
            #expect(failure?.code == .deadlineExceeded)
        }
    }
}
