import CRI
import CRITesting
import Testing

/// CheckpointPod and RestorePod through CRIClient against the fake runtime: what the checkpoint holds, what a
/// restore recreates, and the error code for each way a request can be wrong.
@Suite("CheckpointPod and RestorePod")
struct PodCheckpointTests {
    /// A running pod with two running containers, checkpointed into a fresh directory.
    struct Checkpointed {
        var podID: String
        var containerIDs: [String]
        var directory: String
    }

    static func runningPod(_ cri: CRIClient, logDirectory: String) async throws -> (String, [String]) {
        _ = try await cri.pullImage("busybox")
        let podID = try await cri.runPodSandbox(Fixtures.podConfig(logDirectory: logDirectory))
        var ids: [String] = []
        for name in ["web", "sidecar"] {
            let id = try await cri.createContainer(
                inPod: podID, config: Fixtures.containerConfig(name: name),
                sandboxConfig: Fixtures.podConfig(logDirectory: logDirectory))
            try await cri.startContainer(id: id)
            ids.append(id)
        }
        return (podID, ids)
    }

    static func checkpointRequest(_ podID: String, _ containerIDs: [String], into directory: String) -> CheckpointPodRequest {
        var request = CheckpointPodRequest()
        request.podSandboxID = podID
        request.outputPath = directory
        request.containerIds = containerIDs
        return request
    }

    static func restoreRequest(from directory: String, names: [String] = ["web", "sidecar"]) -> RestorePodRequest {
        var request = RestorePodRequest()
        request.checkpointPath = directory
        request.config = Fixtures.podConfig(uid: "restored-uid")
        request.containerConfigs = names.map { Fixtures.containerConfig(name: $0) }
        return request
    }

    /// A client of a fake runtime holding a running two-container pod that has been checkpointed.
    static func withCheckpointedPod(_ body: (CRIClient, Checkpointed) async throws -> Void) async throws {
        let logDirectory = makeTemporaryDirectory()
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (podID, containerIDs) = try await runningPod(cri, logDirectory: logDirectory)
                let directory = makeTemporaryDirectory()
                _ = try await cri.checkpointPod(checkpointRequest(podID, containerIDs, into: directory))
                try await body(cri, Checkpointed(podID: podID, containerIDs: containerIDs, directory: directory))
            }
        }
    }

    @Test("a checkpoint describes the pod and its containers; a restore recreates them CREATED, ready to start")
    func roundTrip() async throws {
        try await Self.withCheckpointedPod { cri, checkpointed in
            let (podID, containerIDs, directory) = (checkpointed.podID, checkpointed.containerIDs, checkpointed.directory)
            let archive = try RestorePodRequest(jsonString: readFile(directory + "/" + FakeRuntime.podCheckpointFile))
            #expect(archive.config?.metadata?.name == "nginx-sandbox")
            #expect(archive.containerConfigs.compactMap(\.metadata?.name) == ["web", "sidecar"])
            // Checkpointing leaves the pod running.
            #expect(try await cri.containerStatus(id: containerIDs[0]).status?.state == .containerRunning)

            let restored = try await cri.restorePod(Self.restoreRequest(from: directory, names: ["sidecar", "web"]))
            #expect(restored.podSandboxID != podID)
            #expect(restored.restoredContainers.map(\.name) == ["sidecar", "web"])
            let pod = try #require(try await cri.podSandboxStatus(id: restored.podSandboxID).status)
            #expect(pod.state == .sandboxReady)
            #expect(pod.metadata?.uid == "restored-uid")
            for container in restored.restoredContainers {
                let status = try #require(try await cri.containerStatus(id: container.containerID).status)
                #expect(status.state == .containerCreated)
                #expect(status.metadata?.name == container.name)
                #expect(!containerIDs.contains(container.containerID))
                try await cri.startContainer(id: container.containerID)
            }
            #expect(try await cri.listContainers(filter: nil).count == 4)
        }
    }

    @Test("CheckpointPod rejects each wrong request with its own code and writes nothing")
    func checkpointErrors() async throws {
        let logDirectory = makeTemporaryDirectory()
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let (podID, containerIDs) = try await Self.runningPod(cri, logDirectory: logDirectory)
                let otherPod = try await cri.runPodSandbox(Fixtures.podConfig(name: "other", uid: "other"))
                let directory = makeTemporaryDirectory()
                func expectCode(
                    _ code: CRIError.Code, _ request: CheckpointPodRequest, _ text: String,
                    sourceLocation: SourceLocation = #_sourceLocation
                ) async {
                    await expectCRIError(code, containing: text, sourceLocation: sourceLocation) { try await cri.checkpointPod(request) }
                }
                await expectCode(.notFound, Self.checkpointRequest("nope", containerIDs, into: directory), "not found")
                await expectCode(.invalidArgument, Self.checkpointRequest(podID, [], into: directory), "at least one")
                await expectCode(
                    .invalidArgument, Self.checkpointRequest(podID, [containerIDs[0], containerIDs[0]], into: directory),
                    "twice")
                await expectCode(
                    .invalidArgument, Self.checkpointRequest(otherPod, containerIDs, into: directory), "does not belong")
                await expectCode(.invalidArgument, Self.checkpointRequest(podID, containerIDs, into: "relative"), "absolute")
                await expectCode(
                    .failedPrecondition, Self.checkpointRequest(podID, containerIDs, into: directory + "/missing"),
                    "not an existing directory")
                var withOption = Self.checkpointRequest(podID, containerIDs, into: directory)
                withOption.options = ["compression": "zstd"]
                await expectCode(.invalidArgument, withOption, "unsupported option")
                try await cri.stopContainer(id: containerIDs[1], timeout: 0)
                await expectCode(.failedPrecondition, Self.checkpointRequest(podID, containerIDs, into: directory), "not running")
                #expect(readFile(directory + "/" + FakeRuntime.podCheckpointFile).isEmpty, "a failed checkpoint wrote a file")

                _ = try await cri.checkpointPod(Self.checkpointRequest(podID, [containerIDs[0]], into: directory))
                await expectCode(
                    .failedPrecondition, Self.checkpointRequest(podID, [containerIDs[0]], into: directory), "not empty")
            }
        }
    }

    @Test("RestorePod rejects a checkpoint or configuration that does not match, and leaves nothing behind")
    func restoreErrors() async throws {
        try await Self.withCheckpointedPod { cri, checkpointed in
            let directory = checkpointed.directory
            let podsBefore = try await cri.listPodSandbox(filter: nil).count
            func expectCode(
                _ code: CRIError.Code, _ request: RestorePodRequest, _ text: String,
                sourceLocation: SourceLocation = #_sourceLocation
            ) async {
                await expectCRIError(code, containing: text, sourceLocation: sourceLocation) { try await cri.restorePod(request) }
            }
            await expectCode(.notFound, Self.restoreRequest(from: makeTemporaryDirectory()), "no pod checkpoint")
            await expectCode(.invalidArgument, Self.restoreRequest(from: "relative"), "absolute")
            await expectCode(.invalidArgument, Self.restoreRequest(from: directory, names: ["web"]), "lacks")
            await expectCode(
                .invalidArgument, Self.restoreRequest(from: directory, names: ["web", "sidecar", "extra"]),
                "not in the checkpoint")
            await expectCode(.invalidArgument, Self.restoreRequest(from: directory, names: ["web", "web"]), "distinct")
            var noConfig = Self.restoreRequest(from: directory)
            noConfig.config = nil
            await expectCode(.invalidArgument, noConfig, "config")
            var otherImage = Self.restoreRequest(from: directory)
            otherImage.containerConfigs[1].image?.image = "nginx"
            await expectCode(.failedPrecondition, otherImage, "checkpointed from image")
            var otherHandler = Self.restoreRequest(from: directory)
            otherHandler.runtimeHandler = "runc"
            await expectCode(.failedPrecondition, otherHandler, "runtime handler")
            var withOption = Self.restoreRequest(from: directory)
            withOption.options = ["tcp-established": "true"]
            await expectCode(.invalidArgument, withOption, "unsupported option")
            // The sandbox is created before the containers: a container that cannot be created (its image
            // is gone) must take the new sandbox with it.
            try await cri.removeImage("busybox")
            await expectCode(.notFound, Self.restoreRequest(from: directory), "")
            #expect(try await cri.listPodSandbox(filter: nil).count == podsBefore)
        }
    }

    @Test("a fake configured like containerd answers UNIMPLEMENTED unknown method")
    func unimplementedLikeContainerd() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.supportsPodCheckpoints = false
        try await withFakeCRIServer(runtime: FakeRuntime(configuration: configuration)) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                await #expect(throws: CRIError(code: .unimplemented)) {
                    try await cri.checkpointPod(Self.checkpointRequest("p", ["c"], into: "/tmp"))
                }
                do {
                    _ = try await cri.restorePod(Self.restoreRequest(from: "/tmp"))
                    Issue.record("expected UNIMPLEMENTED")
                } catch let error as CRIError {
                    #expect(error.code == .unimplemented)
                    #expect(error.message.contains("unknown method RestorePod"))
                }
            }
        }
    }
}

/// Runs `body` and expects it to throw a ``CRIError`` with `code` whose message contains `text`.
func expectCRIError<Result>(
    _ code: CRIError.Code, containing text: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Result
) async {
    do {
        _ = try await body()
        Issue.record("expected \(code)", sourceLocation: sourceLocation)
    } catch let error as CRIError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("not a CRIError: \(error)", sourceLocation: sourceLocation)
    }
}
