import CRI
import Testing

extension LabEndToEndTests {
    /// containerd 1.6 has no GetContainerEvents (the evented PLEG arrived in 1.7): the call must
    /// fail at once with a clear UNIMPLEMENTED. A runtime that streams events must report this
    /// test's container starting and stopping.
    @Test("GetContainerEvents: UNIMPLEMENTED on containerd 1.6, start/stop events elsewhere")
    func containerEvents() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            _ = try await cri.pullImage(lab.busyboxImage)
            // Bounded: a runtime that neither fails nor sends must not hang the suite.
            let options = CRICallOptions(timeout: .after(.seconds(20)))
            let runtimeVersion = try await cri.version().runtimeVersion
            if runtimeVersion.hasPrefix("1.6.") {
                let start = ContinuousClock.now
                let error = try await #require(throws: CRIError.self) {
                    try await cri.getContainerEvents(options: options) { events in
                        for try await event in events { Issue.record("unexpected event \(event)") }
                    }
                }
                #expect(error.isUnimplemented, "\(error)")
                #expect(error.method == "GetContainerEvents")
                #expect(error.description.contains("GetContainerEvents"), "\(error)")
                #expect(ContinuousClock.now - start < .seconds(5))
                return
            }
            try await lab.withPod(cri, name: uniqueName("events")) { pod in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await cri.getContainerEvents(options: options) { events in
                            var seen: [ContainerEventType] = []
                            for try await event in events where event.podSandboxStatus?.id == pod.id {
                                seen.append(event.containerEventType)
                                if seen.contains(.containerStartedEvent) && seen.contains(.containerStoppedEvent) { return }
                            }
                            Issue.record("event stream ended after \(seen)")
                        }
                    }
                    let id = try await lab.startContainer(
                        cri, in: pod, lab.containerConfig(name: "blip", command: ["sleep", "3600"]))
                    try await cri.stopContainer(id: id, timeout: 1)
                    try await group.waitForAll()
                }
            }
        }
    }
}
