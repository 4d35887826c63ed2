import CRI
import CRITesting
import Foundation
import Testing

@Suite struct ContainerCommandTests {
    @Test func createStartPsInspectStopRm() async throws {
        try await withCLI { cli, server, endpoint in
            let (podID, containerID) = try await cli.startWorkload(endpoint)
            let table = try await cli.run(endpoint + ["ps"])
            #expect(table.status == 0)
            #expect(table.lines.count == 2)
            let header = table.lines[0]
            var last = header.startIndex
            for column in ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"] {
                let range = try #require(header.range(of: column, range: last..<header.endIndex))
                last = range.upperBound
            }
            let row = table.lines[1]
            #expect(row.hasPrefix(String(containerID.prefix(13))))
            #expect(row.contains("Running"))
            #expect(row.contains(String(podID.prefix(13))))
            #expect(row.contains(" web "))
            #expect(row.hasSuffix("default"))

            let json = try await cli.run(endpoint + ["ps", "-o", "json"])
            let parsed = try json.json()
            #expect(string(parsed, "containers.0.id") == containerID)
            #expect(string(parsed, "containers.0.state") == "CONTAINER_RUNNING")
            #expect(string(parsed, "containers.0.podSandboxId") == podID)

            let byName = try await cli.run(endpoint + ["ps", "--name", "nomatch", "-q"])
            #expect(byName.stdout.isEmpty)
            let byPod = try await cli.run(endpoint + ["ps", "-p", String(podID.prefix(8)), "-q"])
            #expect(byPod.stdout == containerID + "\n")
            let byImage = try await cli.run(endpoint + ["ps", "--image", "busybox", "-q"])
            #expect(byImage.stdout == containerID + "\n")
            let byState = try await cli.run(endpoint + ["ps", "--state", "exited", "-q"])
            #expect(byState.stdout.isEmpty)

            let inspect = try await cli.run(endpoint + ["inspect", containerID])
            let status = try inspect.json()
            #expect(keys(status) == ["info", "status"])
            #expect(keys(status, "status") == keys(status, "status").sorted())
            #expect(string(status, "status.state") == "CONTAINER_RUNNING")
            #expect(string(status, "status.startedAt")?.hasSuffix("Z") == true)
            #expect(string(status, "info.sandboxID") == podID)
            let several = try await cli.run(endpoint + ["inspect", containerID, String(containerID.prefix(10))])
            if case .array(let items) = try several.json() { #expect(items.count == 2) } else { Issue.record("not an array") }
            let latest = try await cli.run(endpoint + ["inspect", "--latest", "-o", "table"])
            #expect(latest.lines.count == 2)
            #expect(latest.lines[1].hasPrefix(String(containerID.prefix(13))))
            let quiet = try await cli.run(endpoint + ["inspect", "-q", "-o", "yaml", containerID])
            #expect(quiet.stdout.contains("state: CONTAINER_RUNNING"))
            #expect(!quiet.stdout.contains("sandboxID"))

            let refused = try await cli.run(endpoint + ["rm", containerID])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("--force"))

            let stop = try await cli.run(endpoint + ["stop", "-t", "5", containerID])
            #expect(stop.stdout == containerID + "\n")
            let exited = try await cli.run(endpoint + ["ps", "-a"])
            #expect(exited.lines[1].contains("Exited"))
            let running = try await cli.run(endpoint + ["ps", "-q"])
            #expect(running.stdout.isEmpty)

            let logPath = cli.directory + "/logs/shell/0.log"
            #expect(FileManager.default.fileExists(atPath: logPath))
            let rm = try await cli.run(endpoint + ["rm", containerID])
            #expect(rm.status == 0)
            #expect(!FileManager.default.fileExists(atPath: logPath))
            #expect(await server.runtime.calledMethods.contains("RemoveContainer"))
        }
    }

    @Test func createNeedsThePulledImageAndWithPullPullsIt() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory))
            try cli.write("ctr.yaml", Fixtures.containerYAML())
            let podID = try await cli.run(endpoint + ["runp", "pod.yaml"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let missing = try await cli.run(endpoint + ["create", podID, "ctr.yaml", "pod.yaml"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("CreateContainer"))
            #expect(missing.stderr.contains(endpoint[1]))
            let pulled = try await cli.run(endpoint + ["create", "--with-pull", podID, "ctr.yaml", "pod.yaml"])
            #expect(pulled.status == 0, "\(pulled.stderr)")
        }
    }

    @Test("create reads stop_signal in the 1.37 SIGNAL_ spelling and in the one earlier config files use")
    func createReadsBothSignalSpellings() async throws {
        try await withCLI { cli, server, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory))
            try cli.write("old.yaml", Fixtures.containerYAML(name: "old") + "\nstop_signal: SIGKILL\n")
            try cli.write("new.json", #"{"metadata": {"name": "new"}, "image": {"image": "busybox"}, "stopSignal": "SIGNAL_SIGUSR1"}"#)
            try cli.write("bad.yaml", Fixtures.containerYAML(name: "bad") + "\nstop_signal: KILL\n")
            let podID = try await cli.run(endpoint + ["runp", "pod.yaml"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for file in ["old.yaml", "new.json"] {
                let created = try await cli.run(endpoint + ["create", "--with-pull", podID, file, "pod.yaml"])
                #expect(created.status == 0, "\(file): \(created.stderr)")
            }
            let bad = try await cli.run(endpoint + ["create", "--with-pull", podID, "bad.yaml", "pod.yaml"])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("stop_signal") || bad.stderr.contains("stopSignal"), "\(bad.stderr)")
            let signals = await server.runtime.calls.compactMap { ($0.request as? CreateContainerRequest)?.config?.stopSignal }
            #expect(signals == [.sigkill, .sigusr1])
        }
    }

    @Test func runCreatesPodPullsAndStarts() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory))
            try cli.write("ctr.json", #"{"metadata": {"name": "c"}, "image": {"image": "busybox"}, "command": ["sleep", "60"]}"#)
            let run = try await cli.run(endpoint + ["run", "ctr.json", "pod.yaml"])
            #expect(run.status == 0, "\(run.stderr)")
            let id = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let ps = try await cli.run(endpoint + ["ps", "-q"])
            #expect(ps.stdout == id + "\n")
        }
    }

    @Test func statsStatspUpdateCheckpointEvents() async throws {
        try await withCLI { cli, _, endpoint in
            let events = try cli.start(endpoint + ["events"])
            let (podID, containerID) = try await cli.startWorkload(endpoint)

            let stats = try await cli.run(endpoint + ["stats"])
            #expect(stats.status == 0, "\(stats.stderr)")
            #expect(stats.lines[0].contains("CONTAINER") && stats.lines[0].contains("CPU %") && stats.lines[0].contains("INODES"))
            #expect(stats.lines.count == 2)
            #expect(stats.lines[1].hasPrefix(String(containerID.prefix(13))))
            let statsJSON = try await cli.run(endpoint + ["stats", "-o", "json"])
            #expect(string(try statsJSON.json(), "stats.0.attributes.id") == containerID)

            let statsp = try await cli.run(endpoint + ["statsp"])
            #expect(statsp.status == 0)
            #expect(statsp.lines[0].hasPrefix("POD "))
            #expect(statsp.lines[1].contains(String(podID.prefix(13))))

            let update = try await cli.run(endpoint + ["update", "--memory", "67108864", "--cpu-quota", "50000", containerID])
            #expect(update.status == 0, "\(update.stderr)")
            let inspect = try await cli.run(endpoint + ["inspect", "-q", containerID])
            #expect(string(try inspect.json(), "status.resources.linux.memoryLimitInBytes") == "67108864")

            let archive = cli.directory + "/checkpoint.tar"
            let checkpoint = try await cli.run(endpoint + ["checkpoint", "--export", archive, containerID])
            #expect(checkpoint.status == 0)
            #expect(FileManager.default.fileExists(atPath: archive))

            try await events.waitForOutput(containing: "CONTAINER_STARTED_EVENT")
            events.signal(SIGINT)
            let eventOutput = await events.finish()
            #expect(eventOutput.stdout.contains("\"containerEventType\": \"CONTAINER_CREATED_EVENT\""))
            #expect(eventOutput.stdout.contains(containerID))
        }
    }
}
