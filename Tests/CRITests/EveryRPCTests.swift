import CRI
import CRITesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Drives every one of the 43 RPCs through the real client, over a unix socket, against the fake
/// runtime, checking answers and state changes; the last check proves none was skipped.
@Suite("Every CRI RPC through CRIClient")
struct EveryRPCTests {
    @Test func all43RPCs() async throws {
        let logDirectory = makeTemporaryDirectory()
        let runtime = FakeRuntime()
        try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                try await exercise(cri, runtime: runtime, logDirectory: logDirectory)
            }
        }
        let called = Set(await runtime.calledMethods)
        let all = Set((RuntimeService.allMethods + ImageService.allMethods).map(\.methodName))
        #expect(all.count == 43)
        #expect(all.subtracting(called).isEmpty, "not called: \(all.subtracting(called).sorted())")
    }

    private func exercise(_ cri: CRIClient, runtime: FakeRuntime, logDirectory: String) async throws {
        // Runtime
        #expect(try await cri.version().runtimeApiVersion == "v1")
        let status = try await cri.status(verboseStatus())
        #expect(status.status?.conditions.map(\.type) == ["RuntimeReady", "NetworkReady"])
        #expect(status.info["lastCNILoadStatus"] == "OK")
        #expect(try await cri.runtimeConfig().linux?.cgroupDriver == .systemd)
        var runtimeConfig = UpdateRuntimeConfigRequest()
        runtimeConfig.runtimeConfig = RuntimeConfig()
        runtimeConfig.runtimeConfig?.networkConfig = NetworkConfig()
        runtimeConfig.runtimeConfig?.networkConfig?.podCidr = "10.88.0.0/16"
        _ = try await cri.updateRuntimeConfig(runtimeConfig)
        #expect(try await cri.status(verboseStatus()).info["config"]?.contains("10.88.0.0/16") == true)

        // Images
        let imageRef = try await cri.pullImage("busybox:1.36")
        let image = try #require(try await cri.imageStatus("busybox:1.36"))
        #expect(image.id == imageRef)
        #expect(image.repoTags == ["docker.io/library/busybox:1.36"])
        #expect(image.size > 0)
        #expect(try await cri.imageStatus("nginx") == nil)
        #expect(try await cri.listImages().map(\.id) == [imageRef])
        #expect(try await cri.streamImages().map(\.id) == [imageRef])
        let fsInfo = try await cri.imageFsInfo(ImageFsInfoRequest())
        #expect(fsInfo.imageFilesystems.first?.usedBytes?.value == image.size)

        // Pod sandbox
        let podConfig = Fixtures.podConfig(logDirectory: logDirectory)
        let podID = try await cri.runPodSandbox(podConfig)
        let podStatus = try await cri.podSandboxStatus(id: String(podID.prefix(12)), verbose: true)
        #expect(podStatus.status?.id == podID)
        #expect(podStatus.status?.state == .sandboxReady)
        #expect(podStatus.status?.network?.ip.hasPrefix("10.88.0.") == true)
        #expect(podStatus.info["info"] != nil)
        var readyFilter = PodSandboxFilter()
        readyFilter.state = PodSandboxStateValue()
        readyFilter.state?.state = .sandboxReady
        #expect(try await cri.listPodSandbox(filter: readyFilter).map(\.id) == [podID])
        #expect(try await cri.streamPodSandboxes().map(\.id) == [podID])
        var podResources = UpdatePodSandboxResourcesRequest()
        podResources.podSandboxID = podID
        podResources.resources = LinuxContainerResources()
        podResources.resources?.cpuShares = 512
        _ = try await cri.updatePodSandboxResources(podResources)

        // Containers
        let containerID = try await cri.createContainer(inPod: podID, config: Fixtures.containerConfig(image: "busybox:1.36"), sandboxConfig: podConfig)
        #expect(try await cri.containerStatus(id: containerID).status?.state == .containerCreated)
        let events = try await cri.getContainerEvents(options: CRICallOptions(timeout: .after(.seconds(30)))) { events in
            var iterator = events.makeAsyncIterator()
            // The stream is subscribed once its request reaches the runtime; start after that.
            await runtime.waitForEventSubscribers()
            try await cri.startContainer(id: containerID)
            return try await iterator.next()
        }
        #expect(events?.containerEventType == .containerStartedEvent)
        #expect(events?.containerID == containerID)
        let runningStatus = try #require(try await cri.containerStatus(id: containerID, verbose: true).status)
        #expect(runningStatus.state == .containerRunning)
        #expect(runningStatus.startedAt >= runningStatus.createdAt)
        #expect(runningStatus.logPath == logDirectory + "/busybox.log")
        #expect(readFile(runningStatus.logPath).contains(" stdout F hello\n"))
        var stateFilter = ContainerFilter()
        stateFilter.state = ContainerStateValue()
        stateFilter.state?.state = .containerRunning
        stateFilter.labelSelector = ["tier": "backend"]
        #expect(try await cri.listContainers(filter: stateFilter).map(\.id) == [containerID])
        #expect(try await cri.streamContainers().map(\.id) == [containerID])
        var resources = UpdateContainerResourcesRequest()
        resources.containerID = containerID
        resources.linux = LinuxContainerResources()
        resources.linux?.memoryLimitInBytes = 64 << 20
        _ = try await cri.updateContainerResources(resources)
        #expect(try await cri.containerStatus(id: containerID).status?.resources?.linux?.memoryLimitInBytes == 64 << 20)
        var reopen = ReopenContainerLogRequest()
        reopen.containerID = containerID
        _ = try await cri.reopenContainerLog(reopen)

        // Exec family
        let failing = try await cri.execSync(containerID: containerID, command: ["sh", "-c", "echo oops >&2; exit 3"])
        #expect(failing.exitCode == 3)
        #expect(failing.stderr == Array("oops\n".utf8))
        let url = try await cri.exec(containerID: containerID, command: ["sh"], stdin: true)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        var attach = AttachRequest()
        attach.containerID = containerID
        attach.stdout = true
        #expect(try await cri.attach(attach).url.contains("/attach/"))
        var portForward = PortForwardRequest()
        portForward.podSandboxID = podID
        portForward.port = [80]
        #expect(try await cri.portForward(portForward).url.contains("/portforward/"))

        // Stats and metrics
        var statsRequest = ContainerStatsRequest()
        statsRequest.containerID = containerID
        #expect(try await cri.containerStats(statsRequest).stats?.attributes?.id == containerID)
        #expect(try await cri.listContainerStats().stats.count == 1)
        #expect(try await cri.streamContainerStats().count == 1)
        var podStats = PodSandboxStatsRequest()
        podStats.podSandboxID = podID
        #expect(try await cri.podSandboxStats(podStats).stats?.linux?.containers.count == 1)
        #expect(try await cri.listPodSandboxStats().stats.count == 1)
        #expect(try await cri.streamPodSandboxStats().count == 1)
        #expect(try await cri.listMetricDescriptors().descriptors.count == 2)
        #expect(try await cri.listPodSandboxMetrics().podMetrics.first?.containerMetrics.count == 1)
        #expect(try await cri.streamPodSandboxMetrics().count == 1)

        // Checkpoint
        var checkpoint = CheckpointContainerRequest()
        checkpoint.containerID = containerID
        checkpoint.location = logDirectory + "/checkpoint.tar"
        _ = try await cri.checkpointContainer(checkpoint)
        #expect(readFile(logDirectory + "/checkpoint.tar").contains(containerID))
        let podCheckpoint = makeTemporaryDirectory()
        var checkpointPod = CheckpointPodRequest()
        checkpointPod.podSandboxID = podID
        checkpointPod.outputPath = podCheckpoint
        checkpointPod.containerIds = [containerID]
        _ = try await cri.checkpointPod(checkpointPod)
        var restore = RestorePodRequest()
        restore.checkpointPath = podCheckpoint
        restore.config = Fixtures.podConfig(uid: "restored", logDirectory: logDirectory)
        restore.containerConfigs = [Fixtures.containerConfig(image: "busybox:1.36")]
        let restored = try await cri.restorePod(restore)
        #expect(restored.restoredContainers.map(\.name) == ["busybox"])
        let restoredID = try #require(restored.restoredContainers.first?.containerID)
        #expect(try await cri.containerStatus(id: restoredID).status?.state == .containerCreated)
        try await cri.removePodSandbox(id: restored.podSandboxID)

        // Teardown
        try await cri.stopContainer(id: containerID, timeout: 10)
        let stopped = try #require(try await cri.containerStatus(id: containerID).status)
        #expect(stopped.state == .containerExited)
        #expect(stopped.exitCode == 143)
        #expect(stopped.finishedAt >= stopped.startedAt)
        try await cri.removeContainer(id: containerID)
        await #expect(throws: CRIError(code: .notFound)) { try await cri.containerStatus(id: containerID) }
        try await cri.stopPodSandbox(id: podID)
        #expect(try await cri.podSandboxStatus(id: podID).status?.state == .sandboxNotready)
        try await cri.removePodSandbox(id: podID)
        try await cri.removeImage(imageRef)
        #expect(try await cri.listImages().isEmpty)
    }

    private func verboseStatus() -> StatusRequest {
        var request = StatusRequest()
        request.verbose = true
        return request
    }
}

func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/cri-test-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func readFile(_ path: String) -> String {
    guard let file = fopen(path, "r") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}
