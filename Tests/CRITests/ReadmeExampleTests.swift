import CRI
import CRITesting
import Testing

/// The README's example, verbatim but for the endpoint, so it keeps compiling and working.
@Suite("README example")
struct ReadmeExampleTests {
    @Test func runsAgainstTheFakeRuntime() async throws {
        try await withFakeCRIServer { server in
            var printed = ""
            try await withCRIClient(endpoint: server.endpoint) { cri in
                var pod = PodSandboxConfig()
                pod.metadata = PodSandboxMetadata { $0.name = "web"; $0.namespace = "default"; $0.uid = "web-1" }
                let podID = try await cri.runPodSandbox(pod)
                _ = try await cri.pullImage("docker.io/library/busybox:latest")
                var container = ContainerConfig()
                container.metadata = ContainerMetadata { $0.name = "shell" }
                container.image = ImageSpec { $0.image = "docker.io/library/busybox:latest" }
                container.command = ["sh", "-c", "sleep 3600"]
                let containerID = try await cri.createContainer(inPod: podID, config: container, sandboxConfig: pod)
                try await cri.startContainer(id: containerID)
                let result = try await cri.execSync(containerID: containerID, command: ["echo", "hello"])
                print(String(decoding: result.stdout, as: UTF8.self), "exit", result.exitCode, to: &printed)
            }
            #expect(printed == "hello\n exit 0\n")
        }
    }
}
