import CRI
import CRITesting
import Foundation
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

    /// The README's "Exec, attach and port-forward" example, between the markers below; `streamingExampleIsTheREADMEs`
    /// checks that it is the README's text but for the endpoint, the port and where `print` writes.
    @Test func streamingExampleRunsAgainstTheFakeRuntime() async throws {
        let echo = try LoopbackEcho()
        defer { echo.close() }
        try await withFakeCRIServer { server in
            let (podID, containerID) = try await withCRIClient(endpoint: server.endpoint) { try await startShell($0) }
            let port = echo.port
            var printed = ""
            // README example begins
            try await withCRIClient(endpoint: server.endpoint) { cri in
                // The whole command: stdin in and closed, stdout and stderr collected, the exit code.
                let output = try await cri.runExec(containerID: containerID, command: ["cat"], stdin: Array("a\nb\n".utf8))
                print(String(decoding: output.stdout, as: UTF8.self), terminator: "", to: &printed)

                // A live session: write while reading, then wait for the exit status.
                let status = try await cri.withExecSession(
                    containerID: containerID, command: ["sh", "-c", "cat; exit 3"], stdin: true
                ) { session in
                    async let echoed = session.stdout.collect()
                    try await session.writeStdin(Array("hello\n".utf8))
                    try await session.closeStdin()
                    print(String(decoding: await echoed, as: UTF8.self), terminator: "", to: &printed)
                    return try await session.exitStatus()
                }
                print("exit", status.exitCode, to: &printed)

                // One TCP connection to port 8080 inside the pod (its loopback, its network namespace).
                let reply = try await cri.withPortForward(podSandboxID: podID, port: port) { connection in
                    try await connection.write(Array("ping\n".utf8))
                    var received: [UInt8] = []
                    for await chunk in connection.received {
                        received += chunk
                        if received.last == UInt8(ascii: "\n") { break }
                    }
                    return received
                }
                print(String(decoding: reply, as: UTF8.self), terminator: "", to: &printed)
            }
            // README example ends
            #expect(printed == "a\nb\nhello\nexit 3\nping\n")
        }
    }

    @Test func streamingExampleIsTheREADMEs() throws {
        let here = URL(fileURLWithPath: #filePath)
        let source = try String(contentsOf: here, encoding: .utf8)
        let readme = try String(
            contentsOf: here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(source.range(of: "// README example begins\n"))
        let end = try #require(source.range(of: "            // README example ends", range: begin.upperBound..<source.endIndex))
        let example = source[begin.upperBound..<end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("            ") ? String($0.dropFirst(12)) : String($0) }
            .joined(separator: "\n")
            .replacing(", to: &printed", with: "")
            .replacing("port: port", with: "port: 8080")
            .replacing("server.endpoint", with: "\"unix:///run/containerd/containerd.sock\"")
        let section = try #require(readme.range(of: "## Exec, attach and port-forward"))
        let block = try #require(readme.range(of: "```swift\nimport CRI\n\n", range: section.upperBound..<readme.endIndex))
        let blockEnd = try #require(readme.range(of: "```\n", range: block.upperBound..<readme.endIndex))
        #expect(String(readme[block.upperBound..<blockEnd.lowerBound]) == example)
    }
}
