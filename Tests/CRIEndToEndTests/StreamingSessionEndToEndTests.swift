import CRI
import Foundation
import Testing

extension LabEndToEndTests {
    /// The library's exec, attach and port-forward (`import CRI` only) against containerd, over both transports.
    @Test("CRIClient exec, attach and port-forward sessions over SPDY and WebSocket")
    func streamingSessions() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            _ = try await cri.pullImage(lab.busyboxImage)
            try await lab.withPod(cri, name: uniqueName("sessions"), hostNetwork: true) { pod in
                let shell = try await lab.startContainer(
                    cri, in: pod, lab.containerConfig(name: "shell", command: ["sleep", "3600"], hostNetwork: true))

                let counted = try await cri.runExec(
                    containerID: shell, command: ["wc", "-l"], stdin: Array("a\nb\n".utf8))
                #expect(String(decoding: counted.stdout, as: UTF8.self).trimmingCharacters(in: .whitespaces) == "2\n")
                #expect(counted.exitCode == 0)

                let spdy = try await cri.withExecSession(
                    containerID: shell, command: ["sh", "-c", "cat; echo err >&2; exit 3"], stdin: true
                ) { session in
                    #expect(session.transport == .spdy && session.canCloseStdin)
                    async let stdout = session.stdout.collect()
                    async let stderr = session.stderr.collect()
                    try await session.writeStdin(Array("through SPDY\n".utf8))
                    #expect(try await session.closeStdin())
                    return (try await session.exitStatus(), await stdout, await stderr, session.protocolVersion)
                }
                #expect(spdy.0.exitCode == 3, "\(spdy.0)")
                #expect(String(decoding: spdy.1, as: UTF8.self) == "through SPDY\n")
                #expect(String(decoding: spdy.2, as: UTF8.self) == "err\n")
                #expect(spdy.3.hasSuffix(".channel.k8s.io"), "\(spdy.3)")

                // WebSocket: containerd takes v4 only, which cannot close stdin, but the exit code comes through.
                let webSocket = CRIStreamingOptions(transport: .webSocket)
                let plain = try await cri.withExecSession(
                    containerID: shell, command: ["sh", "-c", "echo ws; exit 5"], stdin: true, options: webSocket
                ) { session in
                    #expect(session.protocolVersion == "v4.channel.k8s.io")
                    #expect(!session.canCloseStdin)
                    #expect(try await !session.closeStdin())
                    async let stdout = session.stdout.collect()
                    return (try await session.exitStatus(), await stdout)
                }
                #expect(plain.0.exitCode == 5)
                #expect(String(decoding: plain.1, as: UTF8.self) == "ws\n")

                try await checkAttach(cri, lab: lab, pod: pod)
                for transport in CRIStreamingTransport.allCases {
                    try await checkPortForward(cri, lab: lab, pod: pod, transport: transport)
                }
            }
        }
    }

    /// Attach to `cat` (created with stdin and stdin_once): closing stdin ends cat and the session.
    private func checkAttach(_ cri: CRIClient, lab: LabEnvironment, pod: LabPod) async throws {
        var config = lab.containerConfig(name: "cat", command: ["cat"], hostNetwork: true)
        config.stdin = true
        config.stdinOnce = true
        let id = try await lab.startContainer(cri, in: pod, config)
        let (echoed, status) = try await cri.withAttachSession(containerID: id, stdin: true) { session in
            async let echoed = session.stdout.collect()
            try await session.writeStdin(Array("x\n".utf8))
            try await session.closeStdin()
            return (await echoed, try await session.exitStatus())
        }
        #expect(String(decoding: echoed, as: UTF8.self) == "x\n")
        #expect(status.succeeded, "\(status)")
    }

    /// A page from busybox httpd on the pod's (the host's) 127.0.0.1, through one port-forward connection.
    private func checkPortForward(
        _ cri: CRIClient, lab: LabEnvironment, pod: LabPod, transport: CRIStreamingTransport
    ) async throws {
        let port = try LoopbackHTTP.freePort()
        let token = uniqueName("page-\(transport)")
        let script =
            "mkdir -p /www && echo '<h1>\(token)</h1>' > /www/index.html "
            + "&& exec httpd -f -p 127.0.0.1:\(port) -h /www"
        let id = try await lab.startContainer(
            cri, in: pod,
            lab.containerConfig(name: "httpd-\(transport)", command: ["sh", "-c", script], hostNetwork: true))
        _ = try await poll("httpd on 127.0.0.1:\(port)") { try await LoopbackHTTP.get(port: port) }
        let response = try await cri.withPortForward(
            podSandboxID: pod.id, port: port, options: CRIStreamingOptions(transport: transport)
        ) { connection in
            try await connection.write(Array("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            // HTTP/1.0: httpd closes the connection after the page, which ends the stream.
            let bytes = await connection.received.collect()
            #expect(connection.failure == nil, "\(String(describing: connection.failure))")
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(response.hasPrefix("HTTP/1.") && response.contains(" 200 "), "\(transport): \(response.prefix(200))")
        #expect(response.hasSuffix("\r\n\r\n<h1>\(token)</h1>\n"), "\(transport): \(response)")
        try await cri.stopContainer(id: id, timeout: 0)
    }
}
