import CRI
import CRITesting
import Testing

@Suite("CRIClient against FakeCRIServer over a unix socket")
struct ClientSmokeTests {
    @Test func everydayWorkflow() async throws {
        try await withFakeCRIServer { server in
            try await withCRIClient(endpoint: server.endpoint) { cri in
                let version = try await cri.version()
                #expect(version.runtimeName == "fake-cri")
                #expect(version.runtimeApiVersion == "v1")
                let podConfig = Fixtures.podConfig()
                let podID = try await cri.runPodSandbox(podConfig)
                #expect(podID.count == 64)
                let imageRef = try await cri.pullImage("busybox")
                #expect(imageRef.hasPrefix("sha256:"))
                let containerID = try await cri.createContainer(inPod: podID, config: Fixtures.containerConfig(), sandboxConfig: podConfig)
                try await cri.startContainer(id: containerID)
                let result = try await cri.execSync(containerID: containerID, command: ["echo", "hi"])
                #expect(result.stdout == Array("hi\n".utf8))
                #expect(result.exitCode == 0)
                let running = try await cri.listContainers(filter: nil)
                #expect(running.map(\.id) == [containerID])
                #expect(running.first?.state == .containerRunning)
                try await cri.stopContainer(id: containerID)
                try await cri.removeContainer(id: containerID)
                try await cri.stopPodSandbox(id: podID)
                try await cri.removePodSandbox(id: podID)
                #expect(try await cri.listPodSandbox(filter: nil).isEmpty)
            }
        }
    }
}
