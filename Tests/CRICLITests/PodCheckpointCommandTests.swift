import CRI
import CRITesting
import Foundation
import Testing

/// `cri checkpointp` and `cri restorep` against the fake runtime.
@Suite struct PodCheckpointCommandTests {
    @Test("checkpointp writes a pod checkpoint (all running containers by default); restorep recreates the pod")
    func checkpointAndRestore() async throws {
        try await withCLI { cli, server, endpoint in
            let (podID, containerID) = try await cli.startWorkload(endpoint)
            let directory = cli.directory + "/pod-checkpoint"
            let checkpoint = try await cli.run(endpoint + ["checkpointp", "--export", "pod-checkpoint", String(podID.prefix(8))])
            #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
            #expect(checkpoint.stdout == podID + "\n")
            let sent = await server.runtime.calls.compactMap { $0.request as? CheckpointPodRequest }
            #expect(sent.map(\.containerIds) == [[containerID]])
            #expect(sent.first?.outputPath == directory, "a relative --export is made absolute")
            #expect(FileManager.default.fileExists(atPath: directory + "/" + FakeRuntime.podCheckpointFile))

            try cli.write("restored.yaml", Fixtures.podYAML(name: "restored", logDirectory: cli.directory + "/logs"))
            let restore = try await cli.run(
                endpoint + ["restorep", "-c", "restored.yaml", "--container-config", "ctr-shell.yaml", directory])
            #expect(restore.status == 0, "\(restore.stderr)")
            #expect(restore.lines.count == 2)
            let restoredPod = try #require(restore.lines.first)
            #expect(restoredPod != podID)
            let restoredContainer = try #require(restore.lines.last?.split(separator: " ").first.map(String.init))
            #expect(restore.lines.last?.hasSuffix(" shell") == true)
            let state = try await cli.run(endpoint + ["inspect", "-o", "json", restoredContainer])
            #expect(string(try state.json(), "status.state") == "CONTAINER_CREATED")
            let start = try await cli.run(endpoint + ["start", restoredContainer])
            #expect(start.status == 0, "\(start.stderr)")
        }
    }

    @Test("checkpointp and restorep report the runtime's refusal and bad arguments with a non-zero status")
    func errors() async throws {
        try await withCLI { cli, _, endpoint in
            let (podID, _) = try await cli.startWorkload(endpoint)
            try cli.write("pod-checkpoint/leftover", "x")
            let notEmpty = try await cli.run(endpoint + ["checkpointp", "-e", "pod-checkpoint", podID])
            #expect(notEmpty.status == 1)
            #expect(notEmpty.stderr.contains("not empty"), "\(notEmpty.stderr)")
            let badOption = try await cli.run(endpoint + ["checkpointp", "-e", "other", "--option", "novalue", podID])
            #expect(badOption.status != 0)
            #expect(badOption.stderr.contains("key=value"))
            let unknownPod = try await cli.run(endpoint + ["checkpointp", "-e", "other", "nosuchpod"])
            #expect(unknownPod.status == 1)
            #expect(unknownPod.stderr.contains("not found"))
            let noContainers = try await cli.run(endpoint + ["restorep", "-c", "pod-web.yaml", cli.directory + "/pod-checkpoint"])
            #expect(noContainers.status != 0)
            #expect(noContainers.stderr.contains("--container-config"))
            let noCheckpoint = try await cli.run(
                endpoint + ["restorep", "-c", "pod-web.yaml", "--container-config", "ctr-shell.yaml", cli.directory + "/other"])
            #expect(noCheckpoint.status == 1)
            #expect(noCheckpoint.stderr.contains("no pod checkpoint"), "\(noCheckpoint.stderr)")
        }
    }

    @Test("against a runtime without pod checkpointing (every containerd so far) the UNIMPLEMENTED answer is shown")
    func unimplemented() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.supportsPodCheckpoints = false
        try await withCLI(runtime: FakeRuntime(configuration: configuration)) { cli, _, endpoint in
            let (podID, _) = try await cli.startWorkload(endpoint)
            let result = try await cli.run(endpoint + ["checkpointp", "-e", "cp", podID])
            #expect(result.status == 1)
            #expect(result.stderr.contains("unknown method CheckpointPod"), "\(result.stderr)")
        }
    }
}
