import CRI
import CRITesting
import Foundation
import Testing

/// The `cri` CLI against a real `cri fake-runtime` process: the everyday flows of issue 21 that
/// took the fake down or answered what no runtime answers.
@Suite struct FakeRuntimeProcessTests {
    /// Starts `cri fake-runtime` on a socket in the harness's directory, runs `body` with
    /// `["-r", endpoint]`, then checks the server is still serving and stops it with SIGTERM.
    private func withFakeRuntimeProcess(_ body: (CLIHarness, [String]) async throws -> Void) async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let socket = cli.directory + "/fake.sock"
        let server = try cli.start(["fake-runtime", "--listen", "unix://\(socket)"])
        try await server.waitForOutput(containing: "listening on")
        let endpoint = ["-r", "unix://\(socket)"]
        do {
            try await body(cli, endpoint)
        } catch {
            server.signal(SIGTERM)
            _ = await server.finish(timeout: 30)
            throw error
        }
        // Still there, and still answering, after everything the body did.
        #expect(server.process.isRunning, "the fake runtime exited: \(server.stderrSoFar)")
        let version = try await cli.run(endpoint + ["version"])
        #expect(version.status == 0, "\(version.stderr)")
        server.signal(SIGTERM)
        let result = await server.finish(timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal access conflict"))
    }

    @Test func stoppingACreatedContainerAndItsPodLeavesTheFakeServing() async throws {
        try await withFakeRuntimeProcess { cli, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory + "/logs"))
            try cli.write("ctr.yaml", Fixtures.containerYAML())
            let pull = try await cli.run(endpoint + ["pull", "busybox"])
            #expect(pull.status == 0, "\(pull.stderr)")
            let runp = try await cli.run(endpoint + ["runp", "pod.yaml"])
            try #require(runp.status == 0, "\(runp.stderr)")
            let podID = runp.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let create = try await cli.run(endpoint + ["create", podID, "ctr.yaml", "pod.yaml"])
            try #require(create.status == 0, "\(create.stderr)")
            let containerID = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            let stop = try await cli.run(endpoint + ["stop", containerID])
            #expect(stop.status == 0, "\(stop.stderr)")
            let inspect = try await cli.run(endpoint + ["inspect", containerID])
            #expect(inspect.status == 0, "\(inspect.stderr)")
            let status = try inspect.json()
            #expect(string(status, "status.state") == "CONTAINER_EXITED")
            #expect(string(status, "status.reason") == "Error")
            let again = try await cli.run(endpoint + ["stop", containerID])
            #expect(again.status == 0, "a second stop: \(again.stderr)")

            // A pod holding a created (never started) container, stopped and removed.
            try cli.write("ctr2.yaml", Fixtures.containerYAML(name: "second"))
            let second = try await cli.run(endpoint + ["create", podID, "ctr2.yaml", "pod.yaml"])
            try #require(second.status == 0, "\(second.stderr)")
            let stopp = try await cli.run(endpoint + ["stopp", podID])
            #expect(stopp.status == 0, "\(stopp.stderr)")
            let exited = try await cli.run(endpoint + ["ps", "-a", "--state", "exited", "-q"])
            #expect(Set(exited.lines) == [containerID, second.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
            let rmp = try await cli.run(endpoint + ["rmp", podID])
            #expect(rmp.status == 0, "\(rmp.stderr)")
        }
    }

    @Test func execExitsWithTheCommandsStatusAndFailsOnAnUnknownCommand() async throws {
        try await withFakeRuntimeProcess { cli, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            for (arguments, status) in [
                (["false"], Int32(1)), (["true"], 0), (["sh", "-c", "exit 3"], 3), (["sh", "-c", "false"], 1),
            ] {
                for mode in [[], ["-s"]] {
                    let result = try await cli.run(endpoint + ["exec"] + mode + [containerID] + arguments)
                    #expect(result.status == status, "cri exec \(mode) \(arguments): \(result.stderr)")
                }
            }
            // As against containerd 1.6: the exec fails to start, naming the missing executable.
            let streamed = try await cli.run(endpoint + ["exec", containerID, "nosuchcmd"])
            #expect(streamed.status == 1)
            #expect(
                streamed.stderr.contains(
                    #"error executing command in container: failed to exec in container: failed to start exec ""#))
            #expect(streamed.stderr.contains(#"exec: "nosuchcmd": executable file not found in $PATH: unknown"#))
            let sync = try await cli.run(endpoint + ["exec", "-s", containerID, "nosuchcmd"])
            #expect(sync.status == 1)
            #expect(sync.stderr.contains("UNKNOWN: failed to exec in container"))
            #expect(sync.stderr.contains(#"exec: "nosuchcmd": executable file not found in $PATH: unknown"#))
            // Inside a shell it is the shell that fails, with 127.
            let shell = try await cli.run(endpoint + ["exec", "-s", containerID, "sh", "-c", "nosuchcmd"])
            #expect(shell.status == 127)
            #expect(shell.stderr == "sh: nosuchcmd: not found\n")
        }
    }

    @Test func startingAContainerWhoseCommandDoesNotExistFailsTheStart() async throws {
        try await withFakeRuntimeProcess { cli, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory + "/logs"))
            try cli.write(
                "ctr.yaml",
                """
                metadata:
                  name: missing
                image:
                  image: busybox
                command: [nosuchcmd]
                """)
            _ = try await cli.run(endpoint + ["pull", "busybox"])
            let podID = try await cli.run(endpoint + ["runp", "pod.yaml"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let create = try await cli.run(endpoint + ["create", podID, "ctr.yaml", "pod.yaml"])
            try #require(create.status == 0, "\(create.stderr)")
            let containerID = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let start = try await cli.run(endpoint + ["start", containerID])
            #expect(start.status == 1)
            #expect(start.stderr.contains("UNKNOWN: failed to create containerd task: failed to create shim task"))
            #expect(start.stderr.contains(#"exec: "nosuchcmd": executable file not found in $PATH: unknown"#))
            let status = try await cli.run(endpoint + ["inspect", containerID]).json()
            #expect(string(status, "status.state") == "CONTAINER_EXITED")
            #expect(value(status, "status.exitCode") == .number("128"))
            #expect(string(status, "status.reason") == "StartError")
            #expect(string(status, "status.message")?.contains("executable file not found in $PATH") == true)
        }
    }
}
