import CRI
import CRITesting
import Foundation
import Testing

@Suite struct LogsCommandTests {
    /// Writes a CRI log file by hand and points a container at it.
    func withLogFile(_ lines: [String], _ body: (CLIHarness, [String], String, String) async throws -> Void) async throws {
        try await withCLI { cli, _, endpoint in
            let (_, containerID) = try await cli.startWorkload(endpoint)
            let path = cli.directory + "/logs/shell/0.log"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
            try await body(cli, endpoint, containerID, path)
        }
    }

    @Test func logsSplitStreamsAndJoinPartialLines() async throws {
        try await withLogFile([
            "2024-01-02T03:04:05.1Z stdout F first",
            "2024-01-02T03:04:06.2Z stderr F problem",
            "2024-01-02T03:04:07.3Z stdout P par",
            "2024-01-02T03:04:07.4Z stdout F tial",
            "2024-01-02T03:04:08Z stdout F last",
        ]) { cli, endpoint, containerID, _ in
            let all = try await cli.run(endpoint + ["logs", containerID])
            #expect(all.status == 0)
            #expect(all.stdout == "first\npartial\nlast\n")
            #expect(all.stderr == "problem\n")
            let tail = try await cli.run(endpoint + ["logs", "--reopen", "--tail", "2", containerID])
            #expect(tail.stdout == "partial\nlast\n")
            let stamped = try await cli.run(endpoint + ["logs", "-t", "--stream", "stdout", containerID])
            #expect(stamped.stdout.hasPrefix("2024-01-02T03:04:05.100000000Z first\n"))
            #expect(stamped.stderr.isEmpty)
            let since = try await cli.run(endpoint + ["logs", "--since", "2024-01-02T03:04:07Z", containerID])
            #expect(since.stdout == "partial\nlast\n")
            #expect(since.stderr.isEmpty)
            let recent = try await cli.run(endpoint + ["logs", "--since", "10m", containerID])
            #expect(recent.stdout.isEmpty)
            let limited = try await cli.run(endpoint + ["logs", "--limit-bytes", "8", containerID])
            // The limit counts both streams together, as crictl's log writer does.
            #expect(limited.stdout == "first\n")
            #expect(limited.stderr == "pr")
            let bad = try await cli.run(endpoint + ["logs", "--stream", "both", containerID])
            #expect(bad.status == 1)
        }
    }

    @Test func followPrintsNewLinesAndStopsWhenTheContainerStops() async throws {
        try await withLogFile(["2024-01-02T03:04:05Z stdout F before"]) { cli, endpoint, containerID, path in
            let follow = try cli.start(endpoint + ["logs", "-f", containerID])
            try await follow.waitForOutput(containing: "before\n")
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("2024-01-02T03:04:06Z stdout F appended\n".utf8))
            try handle.close()
            try await follow.waitForOutput(containing: "appended\n")
            // Rotation: the file is replaced; the follower reopens the new one.
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
            try "2024-01-02T03:04:07Z stdout F rotated\n".write(toFile: path, atomically: false, encoding: .utf8)
            try await follow.waitForOutput(containing: "rotated\n")
            // copytruncate: the same file is cut short and rewritten.
            try "2024-01-02T03:04:08Z stdout F cut\n".write(toFile: path, atomically: false, encoding: .utf8)
            try await follow.waitForOutput(containing: "cut\n")
            let stop = try await cli.run(endpoint + ["stop", containerID])
            #expect(stop.status == 0)
            let result = await follow.finish(timeout: 30)
            #expect(result.status == 0)
            #expect(result.stdout == "before\nappended\nrotated\ncut\n")
        }
    }

    @Test func previousReadsTheEarlierAttempt() async throws {
        try await withLogFile(["2024-01-02T03:04:05Z stdout F now"]) { cli, endpoint, containerID, _ in
            let result = try await cli.run(endpoint + ["logs", "-p", containerID])
            #expect(result.status == 1)
            #expect(result.stderr.contains("attempt > 0"))
        }
    }
}
