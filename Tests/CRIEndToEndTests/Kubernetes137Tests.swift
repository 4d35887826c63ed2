import CRI
import CRITesting
import Foundation
import Testing

extension LabEndToEndTests {
    /// containerd 1.6 predates Kubernetes 1.37: the pod checkpoint RPCs are unknown methods to it, and it drops
    /// `Mount.mount_options` as an unknown field without advertising the feature. The fake, configured as
    /// containerd (its default for mount options, `supportsPodCheckpoints = false`), answers the same.
    @Test("1.37 additions against containerd 1.6: pod checkpoints UNIMPLEMENTED, mount options dropped; the fake agrees")
    func kubernetes137AdditionsAgainstContainerd() async throws {
        let lab = try LabEnvironment.require()
        let containerd = try await lab.withClient { cri in
            _ = try await cri.pullImage(lab.busyboxImage)
            return try await lab.withPod(cri, name: uniqueName("k137")) { pod in
                try await additions(cri, lab: lab, pod: pod)
            }
        }
        var configuration = FakeRuntime.Configuration()
        configuration.supportsPodCheckpoints = false
        let fake = try await withFakeCRIServer(runtime: FakeRuntime(configuration: configuration)) { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                _ = try await cri.pullImage(lab.busyboxImage)
                var config = lab.podConfig(name: uniqueName("k137"))
                config.logDirectory = ""
                let pod = LabPod(id: try await cri.runPodSandbox(config), config: config, logDirectory: "")
                return try await additions(cri, lab: lab, pod: pod)
            }
        }
        #expect(containerd == [
            "CheckpointPod: UNIMPLEMENTED unknown method CheckpointPod for service runtime.v1.RuntimeService",
            "RestorePod: UNIMPLEMENTED unknown method RestorePod for service runtime.v1.RuntimeService",
            "mount options in status: []",
            "mount_options feature: false",
        ])
        #expect(fake == containerd)
    }
}

private func additions(_ cri: CRIClient, lab: LabEnvironment, pod: LabPod) async throws -> [String] {
    var lines: [String] = []
    func record(_ label: String, _ body: () async throws -> String) async {
        do {
            lines.append("\(label): " + (try await body()))
        } catch let error as CRIError {
            lines.append("\(label): \(error.code) \(error.message)")
        } catch {
            lines.append("\(label): \(error)")
        }
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("k137-mount")).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }

    var container = lab.containerConfig(name: "mounts", command: ["sleep", "3600"])
    container.mounts = [Mount { $0.containerPath = "/data"; $0.hostPath = directory; $0.mountOptions = ["noexec"] }]
    let id = try await lab.startContainer(cri, in: pod, container)
    await record("CheckpointPod") {
        var request = CheckpointPodRequest()
        request.podSandboxID = pod.id
        request.outputPath = directory
        request.containerIds = [id]
        _ = try await cri.checkpointPod(request)
        return "served"
    }
    await record("RestorePod") {
        var request = RestorePodRequest()
        request.checkpointPath = directory
        request.config = pod.config
        request.containerConfigs = [container]
        return try await cri.restorePod(request).podSandboxID
    }
    await record("mount options in status") {
        let mounts = try await cri.containerStatus(id: id).status?.mounts ?? []
        return "\(mounts.first { $0.containerPath == "/data" }?.mountOptions ?? ["no /data mount"])"
    }
    await record("mount_options feature") {
        "\(try await cri.status().features?.mountOptions ?? false)"
    }
    return lines
}
