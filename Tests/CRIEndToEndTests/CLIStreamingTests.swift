import Foundation
import Synchronization
import Testing

extension LabEndToEndTests.CLI {
    /// `cri exec`, `attach` and `port-forward` against containerd: SPDY by default, which closes stdin, and
    /// WebSocket (`-r websocket`, v4 only on containerd), which cannot and says so.
    @Test("exec, attach and port-forward stream over SPDY and WebSocket")
    func streaming() async throws {
        let lab = try LabEnvironment.require()
        try await withCLISession("stream") { cli in
            cli.note("streaming")
            try await cli.succeed(["pull", lab.busyboxImage])
            let podYAML = try cli.write("pod.yaml", cli.podYAML(hostNetwork: true))
            let podID = try await cli.succeed(["runp", podYAML]).trimmed
            let shellYAML = try cli.write(
                "shell.yaml", cli.containerYAML(command: "exec sleep 3600", hostNetwork: true))
            let shell = try await cli.succeed(["create", podID, shellYAML, podYAML]).trimmed
            try await cli.succeed(["start", shell])

            // The command: stdin ends, `wc` sees it and exits, all within a second (times the sanitizer scale).
            let started = ContinuousClock.now
            let counted = try await cli.cri(["exec", "-i", shell, "wc", "-l"], stdin: "a\nb\n", timeout: .seconds(10))
            let elapsed = ContinuousClock.now - started
            #expect(counted.status == 0 && !counted.timedOut, "\(counted)")
            #expect(counted.stdout.trimmingCharacters(in: .whitespaces) == "2\n", "\(counted)")
            #expect(elapsed < .seconds(1) * endToEndTimeScale, "took \(elapsed)")

            let exited = try await cli.cri(["exec", shell, "sh", "-c", "echo out; echo err >&2; exit 3"])
            #expect(exited.status == 3, "\(exited)")
            #expect(exited.stdout == "out\n" && exited.stderr == "err\n", "\(exited)")

            // WebSocket v4: the exit code without stdin; with piped stdin `cat` cannot learn that it ended, and
            // `cri` says so once instead of hanging silently (the run is then cut off).
            let overWebSocket = try await cli.cri(["exec", "-r", "websocket", shell, "sh", "-c", "echo ws; exit 4"])
            #expect(overWebSocket.status == 4, "\(overWebSocket)")
            #expect(overWebSocket.stdout == "ws\n" && overWebSocket.stderr.isEmpty, "\(overWebSocket)")
            let stuck = try await cli.cri(
                ["exec", "-i", "--transport", "websocket", shell, "cat"], stdin: "x\n", timeout: .seconds(3))
            #expect(stuck.timedOut, "\(stuck)")
            #expect(stuck.stdout == "x\n", "\(stuck)")
            #expect(
                stuck.stderr
                    == "cri: stdin ended, but websocket v4.channel.k8s.io cannot tell the command so; a command that "
                    + "reads to the end of its input keeps waiting (use --transport spdy)\n", "\(stuck)")

            // attach to a container whose process is `cat`: stdin closes (stdin_once), cat exits, attach ends.
            let catYAML = try cli.write(
                "cat.yaml",
                cli.containerYAML(name: "cat", command: "exec cat", hostNetwork: true)
                    + "stdin: true\nstdin_once: true\n")
            let catID = try await cli.succeed(["create", podID, catYAML, podYAML]).trimmed
            try await cli.succeed(["start", catID])
            let attached = try await cli.cri(["attach", "-i", catID], stdin: "x\n", timeout: .seconds(10))
            #expect(attached.status == 0 && !attached.timedOut, "\(attached)")
            #expect(attached.stdout == "x\n", "\(attached)")

            for transport in ["spdy", "websocket"] {
                try await checkPortForward(cli, podID: podID, podYAML: podYAML, transport: transport)
            }
        }
    }

    /// busybox httpd on 127.0.0.1:REMOTE in the host-network pod, fetched through `cri port-forward POD
    /// LOCAL:REMOTE` on 127.0.0.1:LOCAL: loopback both ends, never a pod IP.
    private func checkPortForward(_ cli: CLISession, podID: String, podYAML: String, transport: String) async throws {
        let remote = try LoopbackHTTP.freePort()
        let local = try LoopbackHTTP.freePort()
        let token = "forwarded-\(transport)-\(cli.name)"
        let script =
            "mkdir -p /www && echo '<h1>\(token)</h1>' > /www/index.html "
            + "&& exec httpd -f -p 127.0.0.1:\(remote) -h /www"
        let httpdYAML = try cli.write(
            "httpd-\(transport).yaml", cli.containerYAML(name: "httpd-\(transport)", command: script, hostNetwork: true)
        )
        let httpd = try await cli.succeed(["create", podID, httpdYAML, podYAML]).trimmed
        try await cli.succeed(["start", httpd])
        _ = try await poll("httpd on 127.0.0.1:\(remote)") { try await LoopbackHTTP.get(port: remote) }

        let pid = Mutex<Int32>(0)
        async let forwarding = cli.cri(
            ["port-forward", "-r", transport, podID, "\(local):\(remote)"], timeout: .seconds(30),
            onStart: { started in pid.withLock { $0 = started } })
        let page: (statusLine: String, body: String)
        do {
            page = try await poll("the page through port-forward on 127.0.0.1:\(local)") {
                try await LoopbackHTTP.get(port: local)
            }
        } catch {
            pid.withLock { _ = kill($0, SIGTERM) }
            _ = try await forwarding
            throw error
        }
        pid.withLock { _ = kill($0, SIGTERM) }
        let forward = try await forwarding
        #expect(page.statusLine.contains(" 200 "), "\(transport): \(page.statusLine)")
        #expect(page.body == "<h1>\(token)</h1>\n", "\(transport)")
        #expect(forward.stdout == "Forwarding from 127.0.0.1:\(local) -> \(remote)\n", "\(forward)")
        #expect(!forward.timedOut, "\(forward)")
        try await cli.succeed(["stop", httpd])
    }
}
