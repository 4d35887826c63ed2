import CRI
import CRITesting
import Foundation
import Testing

@Suite struct ExecCommandTests {
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
}
