import CRI
import Testing

extension LabEndToEndTests {
    @Test("Version and Status: containerd serves CRI v1 and both conditions are true")
    func versionAndStatus() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            let version = try await cri.version()
            #expect(version.runtimeName == "containerd")
            #expect(version.runtimeApiVersion == "v1")
            #expect(version.runtimeVersion.hasPrefix("1.6"), "lab runs Debian 12's containerd 1.6: \(version.runtimeVersion)")

            let status = try await cri.status()
            let conditions = Dictionary(
                (status.status?.conditions ?? []).map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(conditions["RuntimeReady"]?.status == true, "\(status)")
            #expect(conditions["NetworkReady"]?.status == true, "\(status)")
        }
    }

    @Test("ImageFsInfo reports the overlayfs snapshotter's filesystem under the lab")
    func imageFsInfo() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            let info = try await cri.imageFsInfo()
            let filesystem = try #require(info.imageFilesystems.first, "\(info)")
            #expect(filesystem.fsID?.mountpoint.hasPrefix(lab.labDirectory + "/") == true, "\(filesystem)")
            #expect((filesystem.usedBytes?.value ?? 0) > 0, "\(filesystem)")
            #expect(filesystem.timestamp > 0)
        }
    }

    @Test("Stream* answered UNIMPLEMENTED by containerd 1.6 falls back to List* with the same result")
    func streamingListsFallBack() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            _ = try await cri.pullImage(lab.busyboxImage)
            try await lab.withPod(cri, name: uniqueName("stream")) { pod in
                let id = try await lab.startContainer(
                    cri, in: pod, lab.containerConfig(name: "sleeper", command: ["sleep", "3600"]))
                #expect(cri.streamingListsFallingBack.isEmpty)

                // containerd lists in map order, so both sides are sorted by ID before comparing.
                let streamed = try await cri.streamContainers().sorted { $0.id < $1.id }
                let listed = try await cri.listContainers(filter: nil).sorted { $0.id < $1.id }
                #expect(cri.streamingListsFallingBack.contains("StreamContainers"), "\(cri.streamingListsFallingBack)")
                #expect(streamed == listed)
                #expect(streamed.contains { $0.id == id && $0.state == .containerRunning })

                let streamedPods = try await cri.streamPodSandboxes().sorted { $0.id < $1.id }
                #expect(streamedPods == (try await cri.listPodSandbox(filter: nil)).sorted { $0.id < $1.id })
                #expect(streamedPods.contains { $0.id == pod.id })

                let streamedImages = try await cri.streamImages().sorted { $0.id < $1.id }
                #expect(streamedImages == (try await cri.listImages()).sorted { $0.id < $1.id })
                #expect(streamedImages.contains { $0.repoTags.contains(lab.busyboxImage) })
                #expect(cri.streamingListsFallingBack.isSuperset(of: ["StreamContainers", "StreamPodSandboxes", "StreamImages"]))

                // Remembered: the second call goes straight to List* and still agrees.
                #expect(
                    try await cri.streamContainers().sorted { $0.id < $1.id }
                        == (try await cri.listContainers(filter: nil)).sorted { $0.id < $1.id })
            }
        }
    }
}
