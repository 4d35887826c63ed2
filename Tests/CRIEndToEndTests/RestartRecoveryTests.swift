import CRI
import Testing

extension LabEndToEndTests {
    /// containerd restarts between two calls; the next call on the same client reconnects. Only
    /// UNAVAILABLE (the old connection found dead, the reconnect backoff) is retried, a bounded
    /// number of times; the pod created before the restart is still there after it.
    @Test("The same client recovers after containerd restarts")
    func clientRecoversAfterRestart() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            let before = try await cri.version()
            try await lab.withPod(cri, name: uniqueName("restart")) { pod in
                _ = try await LabScript.run(["restart-containerd"], lab: lab)

                let (after, unavailable) = try await versionRetryingUnavailable(cri)
                print("containerd restarted; Version on the same client needed \(unavailable.count) retries")
                #expect(after.runtimeVersion == before.runtimeVersion)
                #expect(unavailable.count <= 3, "needed \(unavailable.count) retries: \(unavailable.map(\.description))")

                // containerd restored its state: the pod survived, and the client works for more than Version.
                #expect(try await cri.podSandboxStatus(id: pod.id).status?.state == .sandboxReady)
                #expect(try await cri.status().status?.conditions.allSatisfy(\.status) == true)
            }
        }
    }

    /// While containerd is down, calls fail at once with UNAVAILABLE naming the endpoint (no hang,
    /// no other code); once it is back, the same client reconnects through its backoff.
    @Test("Calls fail fast with UNAVAILABLE while containerd is down; the same client recovers")
    func clientRecoversFromDowntime() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            _ = try await cri.version()
            _ = try await LabScript.run(["stop-containerd"], lab: lab)
            var downtimeFailure: (any Error)?
            do {
                let start = ContinuousClock.now
                let first = try await #require(throws: CRIError.self) { try await cri.version() }
                #expect(first.isUnavailable, "\(first)")
                #expect(first.method == "Version" && first.endpoint == lab.endpoint, "\(first)")
                // Inside the reconnect backoff: refused at once, with the reason of the last attempt.
                let second = try await #require(throws: CRIError.self) { try await cri.status() }
                #expect(second.isUnavailable, "\(second)")
                #expect(second.method == "Status", "\(second)")
                #expect(ContinuousClock.now - start < .seconds(10))
            } catch {
                downtimeFailure = error
            }
            // Always bring containerd back, or every later test would fail too.
            _ = try await LabScript.run(["restart-containerd"], lab: lab)
            if let downtimeFailure { throw downtimeFailure }

            let (after, unavailable) = try await versionRetryingUnavailable(cri)
            print("containerd back; Version on the same client needed \(unavailable.count) retries")
            #expect(after.runtimeName == "containerd")
            // The backoff grows from 100 ms; containerd answered before `restart-containerd` returned.
            #expect(unavailable.count <= 5, "needed \(unavailable.count) retries: \(unavailable.map(\.description))")
            #expect(unavailable.allSatisfy { $0.endpoint == lab.endpoint })
        }
    }

    /// Version on `cri`, retried (at most 40 times, with growing pauses) only while it fails with
    /// UNAVAILABLE; returns the answer and the failures before it.
    private func versionRetryingUnavailable(_ cri: CRIClient) async throws -> (VersionResponse, [CRIError]) {
        var unavailable: [CRIError] = []
        var pause = Duration.milliseconds(50)
        for _ in 0..<40 {
            do {
                return (try await cri.version(), unavailable)
            } catch let error as CRIError where error.isUnavailable {
                unavailable.append(error)
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(500))
            }
        }
        throw PollTimedOut(what: "Version to succeed again", timeout: .seconds(20), lastError: unavailable.last?.description)
    }
}
