import CRI
import CRITesting
import Foundation
import Testing

/// Serialized: with every case of these streaming suites at once on a 2-core machine, an RPC to the in-process fake
/// now and then outlives the CLI's 2 s default deadline (cause not found; one at a time they pass every run).
@Suite(.serialized) struct ExecCommandTests {
    @Test func execSyncPassesOutputStreamsAndExitCodeThrough() async throws {
        try await withCLI { cli, _, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let ok = try await cli.run(endpoint + ["exec", "-s", containerID, "echo", "-n", "hello"])
            #expect(ok.status == 0)
            #expect(ok.stdout == "hello")
            let failing = try await cli.run(endpoint + ["exec", "--sync", containerID, "sh", "-c", "echo out; echo err >&2; exit 7"])
            #expect(failing.status == 7)
            #expect(failing.stdout == "out\n")
            #expect(failing.stderr == "err\n")
            let timedOut = try await cli.run(endpoint + ["exec", "-s", "--timeout", "1", containerID, "sleep", "5"])
            #expect(timedOut.status == 1)
            #expect(timedOut.stderr.contains("timed out"))
        }
    }

    @Test func streamingExecPassesExitCodeAndStdin() async throws {
        try await withCLI { cli, _, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let result = try await cli.run(endpoint + ["exec", containerID, "sh", "-c", "echo streamed; echo oops >&2; exit 5"])
            #expect(result.status == 5)
            #expect(result.stdout == "streamed\n")
            #expect(result.stderr == "oops\n")
            let piped = try await cli.run(endpoint + ["exec", "-i", containerID, "cat"], stdin: "from stdin\n")
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stdout == "from stdin\n")
            let debug = try await cli.run(endpoint + ["--debug", "exec", containerID, "true"])
            #expect(debug.status == 0)
            // The call log shows the streaming URL without its token (whoever holds it can run the command).
            #expect(debug.stderr.contains("response=ExecResponse(url: \"http://127.0.0.1:"), "\(debug.stderr)")
            #expect(debug.stderr.contains("/exec/<redacted>\")"), "\(debug.stderr)")
            let notRunning = try await cli.run(endpoint + ["exec", "nonexistent", "true"])
            #expect(notRunning.status == 1)
            #expect(notRunning.stderr.contains("NOT_FOUND"))
        }
    }

    @Test func attachEchoesStdin() async throws {
        try await withCLI { cli, _, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let result = try await cli.run(endpoint + ["attach", "-i", containerID], stdin: "attached\n")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "attached\n")
        }
    }

    /// `exec -t` under a pseudo-terminal (util-linux `script`): raw mode, window size, exit code.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func execWithATerminal() async throws {
        try await withCLI { cli, server, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let command = "\(CLIHarness.binary.path) -r \(server.endpoint) exec -t \(containerID) sh -c 'echo on-a-tty; exit 4'"
            let running = try cli.start(executable: URL(fileURLWithPath: "/usr/bin/script"), ["-eqc", command, "/dev/null"])
            let result = await running.finish(timeout: 30)
            #expect(result.status == 4, "\(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("on-a-tty"))
            let request = await server.runtime.calls.last { $0.method == "Exec" }?.request as? ExecRequest
            #expect(request?.tty == true)
            #expect(request?.stderr == false)
        }
    }

    /// `-r/--transport` on exec and attach, crictl's spelling: both transports stream and pass the exit code through.
    @Test(arguments: [["-r", "spdy"], ["--transport", "websocket"], ["--transport=SPDY"], []])
    func transportFlagPicksTheProtocol(flag: [String]) async throws {
        try await withCLI { cli, _, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let result = try await cli.run(endpoint + ["exec"] + flag + [containerID, "sh", "-c", "echo via; exit 6"])
            #expect(result.status == 6, "\(result.stderr)")
            #expect(result.stdout == "via\n")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            // The fake's attached process is `cat`: over WebSocket v4 it would wait forever for the end of stdin.
            let stdin = flag.contains("websocket") ? [] : ["-i"]
            let attached = try await cli.run(endpoint + ["attach"] + flag + stdin + [containerID], stdin: "hi\n")
            #expect(attached.status == 0, "\(attached.stderr)")
            #expect(attached.stdout == (stdin.isEmpty ? "" : "hi\n"))
        }
    }

    @Test func unknownTransportIsRefused() async throws {
        try await withCLI { cli, server, endpoint in
            let (podID, containerID) = try await cli.startWorkload(endpoint)
            for command in [["exec", "-r", "http", containerID, "true"], ["attach", "-r", "http", containerID],
                ["port-forward", "-r", "http", podID, "80"]]
            {
                let result = try await cli.run(endpoint + command)
                #expect(result.status == 1)
                #expect(result.stderr == "cri: invalid --transport \"http\": use spdy or websocket\n", "\(command)")
            }
            #expect(await !server.runtime.calls.contains { $0.method == "Exec" || $0.method == "Attach" })
        }
    }

    /// `-it` with a pipe for stdin: kubectl's warning, once, and the command runs without a terminal (separate
    /// stderr, the piped bytes unchanged).
    @Test func interactiveTerminalWithPipedStdinWarnsAndGoesWithout() async throws {
        try await withCLI { cli, server, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let result = try await cli.run(
                endpoint + ["exec", "-it", containerID, "sh", "-c", "cat; echo done >&2"], stdin: "piped\n")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "piped\n")
            #expect(
                result.stderr == "cri: Unable to use a TTY - input is not a terminal or the right kind of file\ndone\n")
            let request = await server.runtime.calls.last { $0.method == "Exec" }?.request as? ExecRequest
            #expect(request?.tty == false)
            #expect(request?.stdin == true)
            #expect(request?.stderr == true)
        }
    }

    /// WebSocket v4 (all containerd has) cannot end stdin: `cri` says so once when stdin ends instead of hanging
    /// silently; the command (`cat`) is still waiting, so the test ends it.
    @Test func webSocketV4SaysStdinCannotBeClosed() async throws {
        try await withCLI { cli, _, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let running = try cli.start(endpoint + ["exec", "-i", "-r", "websocket", containerID, "cat"], stdin: "x\n")
            try await running.waitForOutput(containing: "cannot tell the command so", onStderr: true)
            running.signal(SIGTERM)
            let result = await running.finish()
            #expect(
                result.stderr.hasPrefix(
                    "cri: stdin ended, but websocket v4.channel.k8s.io cannot tell the command so; "), "\(result.stderr)")
            #expect(result.stderr.components(separatedBy: "cannot tell").count == 2, "said once: \(result.stderr)")
        }
    }
}
