import CRI
import CRIStreaming
import Foundation
import Testing

extension LabEndToEndTests {
    /// The README walkthrough against containerd, one step after another, each checked.
    @Test("Pod lifecycle: run, pull, create, start, inspect, exec, logs, stats, stop, remove")
    func podWalkthrough() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            try await lab.withPod(cri, name: uniqueName("walk")) { pod in
                let sandbox = try #require(try await cri.podSandboxStatus(id: pod.id).status)
                #expect(sandbox.state == .sandboxReady)
                #expect(sandbox.metadata?.name == pod.config.metadata?.name)
                // The CNI address is only read, never contacted (network rule).
                let ip = sandbox.network?.ip ?? ""
                #expect(ip.hasPrefix(lab.podSubnet.split(separator: ".").prefix(3).joined(separator: ".") + "."), "pod IP \(ip)")

                let imageRef = try await cri.pullImage(lab.busyboxImage)
                let authRef = try await cri.pullImage(
                    lab.authBusyboxImage, auth: AuthConfig { $0.username = lab.user; $0.password = lab.password })
                #expect(authRef == imageRef)

                let config = lab.containerConfig(
                    name: "hello", command: ["sh", "-c", "echo hello; echo oops >&2; sleep 3600"], logPath: "hello.log")
                let id = try await cri.createContainer(inPod: pod.id, config: config, sandboxConfig: pod.config)
                #expect(try await cri.containerStatus(id: id).status?.state == .containerCreated)
                try await cri.startContainer(id: id)

                try await checkRunning(cri, id: id, pod: pod, imageRef: imageRef, lab: lab)
                try await checkExecSync(cri, id: id)
                try await checkStreamingExec(cri, id: id)
                try await checkLogFile(cri, id: id, pod: pod)
                try await checkStats(cri, id: id)

                try await cri.stopContainer(id: id, timeout: 1)
                let stopped = try #require(try await cri.containerStatus(id: id).status)
                #expect(stopped.state == .containerExited)
                #expect(stopped.finishedAt >= stopped.startedAt)
                try await cri.removeContainer(id: id)
                let gone = try await #require(throws: CRIError.self) { try await cri.containerStatus(id: id) }
                #expect(gone.isNotFound, "\(gone)")

                try await cri.stopPodSandbox(id: pod.id)
                #expect(try await cri.podSandboxStatus(id: pod.id).status?.state == .sandboxNotready)
                try await cri.removePodSandbox(id: pod.id)
                #expect(try await cri.listPodSandbox(filter: nil).allSatisfy { $0.id != pod.id })
            }
            // Nothing uses busybox any more: RemoveImage drops it (and its other tag: same image).
            try await cri.removeImage(lab.busyboxImage)
            #expect(try await cri.imageStatus(lab.busyboxImage) == nil)
            #expect(try await cri.imageStatus(lab.authBusyboxImage) == nil)
            // Idempotent, as CRI requires.
            try await cri.removeImage(lab.busyboxImage)
        }
    }

    /// ListContainers and ContainerStatus see the started container.
    private func checkRunning(_ cri: CRIClient, id: String, pod: LabPod, imageRef: String, lab: LabEnvironment) async throws {
        let filter = ContainerFilter { $0.podSandboxID = pod.id }
        let listed = try await cri.listContainers(filter: filter)
        #expect(listed.map(\.id) == [id])
        #expect(listed.first?.state == .containerRunning)
        #expect(listed.first?.imageRef == imageRef)
        #expect(listed.first?.metadata?.name == "hello")

        let status = try #require(try await cri.containerStatus(id: id).status)
        #expect(status.state == .containerRunning)
        // ContainerStatus names the image by repo digest where ListContainers used its ID.
        let image = try #require(try await cri.imageStatus(lab.busyboxImage))
        #expect(image.id == imageRef)
        #expect(image.repoDigests.contains(status.imageRef), "\(status.imageRef) not in \(image.repoDigests)")
        #expect(status.imageID == imageRef || status.imageID.isEmpty, "\(status.imageID)")
        #expect(status.image?.image == lab.busyboxImage)
        #expect(status.startedAt > 0)
        #expect(status.logPath == "\(pod.logDirectory)/hello.log")
    }

    /// ExecSync: output on both streams, a non-zero exit code, and a command outliving its timeout.
    private func checkExecSync(_ cri: CRIClient, id: String) async throws {
        let result = try await cri.execSync(
            containerID: id, command: ["sh", "-c", "echo out; echo err >&2; exit 3"], timeout: 10)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "out\n")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "err\n")
        #expect(result.exitCode == 3)

        let start = ContinuousClock.now
        let timeout = try await #require(throws: CRIError.self) {
            try await cri.execSync(containerID: id, command: ["sleep", "10"], timeout: 1)
        }
        let elapsed = ContinuousClock.now - start
        // containerd 1.6 ends the exec after its timeout and answers DEADLINE_EXCEEDED itself
        // ("failed to exec in container: timeout 1s exceeded"); the client's own deadline, 2
        // minutes plus the 1 s, is far away.
        #expect(timeout.code == .deadlineExceeded, "\(timeout)")
        #expect(timeout.message.contains("timeout 1s exceeded"), "\(timeout)")
        #expect(elapsed < .seconds(9), "ExecSync returned after \(elapsed)")
    }

    /// Exec through the streaming URL (WebSocket, v4 on containerd 1.6): stdin in, both streams
    /// out, and the command's exit code.
    private func checkStreamingExec(_ cri: CRIClient, id: String) async throws {
        // `head -c 6` exits after six bytes: v4 cannot signal the end of stdin.
        let url = try await cri.exec(
            containerID: id, command: ["sh", "-c", "head -c 6; echo to-stderr >&2; exit 7"], stdin: true)
        #expect(url.hasPrefix("http://127.0.0.1:"), "streaming server must be loopback: \(url)")
        let (status, stdout, stderr, negotiated) = try await withStreamingSession(url: url, stdin: true) { session in
            async let stdout = session.stdout.collect()
            async let stderr = session.stderr.collect()
            try await session.writeStdin(Array("ping!\n".utf8))
            let status = try await session.exitStatus()
            return (status, await stdout, await stderr, session.negotiatedProtocol)
        }
        #expect(negotiated == .v4)
        #expect(String(decoding: stdout, as: UTF8.self) == "ping!\n")
        #expect(String(decoding: stderr, as: UTF8.self) == "to-stderr\n")
        #expect(status.exitCode == 7, "\(status)")

        // The one-shot form, without stdin.
        let plainURL = try await cri.exec(containerID: id, command: ["sh", "-c", "echo $((6 * 7)); exit 0"])
        let output = try await runStreamingCommand(url: plainURL)
        #expect(String(decoding: output.stdout, as: UTF8.self) == "42\n")
        #expect(output.stderr.isEmpty)
        #expect(output.exitStatus.succeeded)
    }

    /// The container's CRI log file, parsed line by line.
    private func checkLogFile(_ cri: CRIClient, id: String, pod: LabPod) async throws {
        let path = try #require(try await cri.containerStatus(id: id).status?.logPath)
        let lines = try await poll("hello and oops in \(path)") { () -> [CRILogLine]? in
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            let lines = Array(data).split(separator: 0x0A).map { CRILogLine(parsing: $0) }
            return lines.count >= 2 ? lines.compactMap { $0 } : nil
        }
        #expect(lines.count == 2, "every line parses: \(lines)")
        let byStream = Dictionary(grouping: lines, by: \.stream)
        #expect(byStream[.stdout]?.map { String(decoding: $0.content, as: UTF8.self) } == ["hello"])
        #expect(byStream[.stderr]?.map { String(decoding: $0.content, as: UTF8.self) } == ["oops"])
        #expect(lines.allSatisfy { !$0.isPartial })
    }

    /// ContainerStats for the running container.
    private func checkStats(_ cri: CRIClient, id: String) async throws {
        let stats = try #require(try await cri.containerStats(ContainerStatsRequest { $0.containerID = id }).stats)
        #expect(stats.attributes?.id == id)
        #expect(stats.attributes?.metadata?.name == "hello")
        #expect((stats.cpu?.timestamp ?? 0) > 0, "\(stats)")
        #expect(stats.memory?.workingSetBytes != nil, "\(stats)")
        #expect(stats.writableLayer?.fsID?.mountpoint.isEmpty == false, "\(stats)")
    }
}
