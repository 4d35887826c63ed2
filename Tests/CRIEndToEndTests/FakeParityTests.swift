import CRI
import CRITesting
import Testing

extension LabEndToEndTests {
    /// The same calls against containerd 1.6 and against the fake runtime give the same answers:
    /// exit codes, and for failures the same gRPC code and message (IDs aside). These are the
    /// answers CRITesting's FakeRuntimeFidelity article quotes.
    @Test("The fake runtime fails exec, start and invalid configs the way containerd 1.6 does")
    func fakeRuntimeAnswersAsContainerdDoes() async throws {
        let lab = try LabEnvironment.require()
        let containerd = try await lab.withClient { cri in
            _ = try await cri.pullImage(lab.busyboxImage)
            return try await lab.withPod(cri, name: uniqueName("parity")) { pod in
                try await answers(cri, lab: lab, pod: pod)
            }
        }
        let fake = try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                _ = try await cri.pullImage(lab.busyboxImage)
                var config = lab.podConfig(name: uniqueName("parity"))
                config.logDirectory = ""  // the fake writes logs where it is told; nowhere here
                let pod = LabPod(id: try await cri.runPodSandbox(config), config: config, logDirectory: "")
                return try await answers(cri, lab: lab, pod: pod)
            }
        }
        #expect(fake.count == containerd.count)
        for (ours, theirs) in zip(fake, containerd) {
            #expect(ours == theirs)
        }
    }
}

/// One line per probe: what a runtime answered, with 64-hex IDs replaced by `<id>`.
private func answers(_ cri: CRIClient, lab: LabEnvironment, pod: LabPod) async throws -> [String] {
    var lines: [String] = []
    func record(_ label: String, _ body: () async throws -> String) async {
        do {
            lines.append("\(label): " + (try await body()))
        } catch let error as CRIError {
            lines.append("\(label): \(error.code) \(withoutIDs(error.message))")
        } catch {
            lines.append("\(label): \(error)")
        }
    }
    let running = try await lab.startContainer(cri, in: pod, lab.containerConfig(name: "running", command: ["sleep", "3600"]))
    for command in [["false"], ["true"], ["sh", "-c", "exit 3"], ["sh", "-c", "nosuchcmd"], ["nosuchcmd"], ["/nosuch/path"]] {
        await record("ExecSync \(command)") {
            let result = try await cri.execSync(containerID: running, command: command, timeout: 10)
            return "exit \(result.exitCode) stderr \(String(decoding: result.stderr, as: UTF8.self).debugDescription)"
        }
    }
    let missing = try await cri.createContainer(
        inPod: pod.id, config: lab.containerConfig(name: "missing", command: ["nosuchcmd"]), sandboxConfig: pod.config)
    await record("StartContainer [nosuchcmd]") {
        try await cri.startContainer(id: missing)
        return "started"
    }
    await record("its status") {
        let status = try await cri.containerStatus(id: missing).status
        return
            "\(status?.state.protoName ?? "-") exit \(status?.exitCode ?? -1) \(status?.reason ?? "-") started \(status?.startedAt ?? -1) \(withoutIDs(status?.message ?? ""))"
    }
    let group = Int64Value { $0.value = 10 }
    var grouped = lab.containerConfig(name: "grouped", command: ["true"])
    grouped.linux?.securityContext = LinuxContainerSecurityContext { $0.runAsGroup = group }
    await record("CreateContainer run_as_group without a user") {
        withoutIDs(try await cri.createContainer(inPod: pod.id, config: grouped, sandboxConfig: pod.config))
    }
    var groupedPod = lab.podConfig(name: uniqueName("grouped"))
    groupedPod.linux?.securityContext = LinuxSandboxSecurityContext { $0.runAsGroup = group }
    // Should either pod run after all, it is removed at once.
    await record("RunPodSandbox run_as_group without a user") {
        await lab.removePod(cri, id: try await cri.runPodSandbox(groupedPod))
        return "ran"
    }
    await record("RunPodSandbox with an unknown handler") {
        await lab.removePod(cri, id: try await cri.runPodSandbox(lab.podConfig(name: uniqueName("kata")), runtimeHandler: "kata"))
        return "ran"
    }
    return lines
}

/// `text` with every run of 64 hex digits (container and exec IDs) replaced by `<id>`.
private func withoutIDs(_ text: String) -> String {
    var output = ""
    var run = ""
    func flush() {
        output += run.count == 64 ? "<id>" : run
        run = ""
    }
    for character in text {
        if character.isHexDigit {
            run.append(character)
        } else {
            flush()
            output.append(character)
        }
    }
    flush()
    return output
}
