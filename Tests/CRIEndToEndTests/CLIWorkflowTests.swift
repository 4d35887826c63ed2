import Foundation
import Testing

extension LabEndToEndTests {
    /// The built `cri` binary, run as a process against the lab's containerd: crictl's walkthrough,
    /// command by command, with every output and exit status checked (and written to
    /// ``CLITranscript``). Nested in the lab suite, so it shares its serialization and its skip rule.
    @Suite("cri CLI against containerd")
    struct CLI {
        @Test("The crictl walkthrough: info, runp, pods, pull, create, start, ps, exec, logs, inspect, stop, rm, stopp, rmp, rmi")
        func walkthrough() async throws {
            let lab = try LabEnvironment.require()
            try await withCLISession("walk", removingImages: [lab.busyboxImage, lab.authBusyboxImage]) { cli in
                cli.note("walkthrough")
                try await checkInfoAndEndpointPrecedence(cli)
                let podYAML = try cli.write("pod.yaml", cli.podYAML())
                let podID = try await runPod(cli, podYAML)
                let imageID = try await pullFromBothRegistries(cli)
                let marker = "hello-from-\(cli.name)"
                let ctrYAML = try cli.write(
                    "ctr.yaml", cli.containerYAML(command: "echo \(marker); echo to-stderr >&2; exec sleep 3600"))
                let id = try await cli.succeed(["create", podID, ctrYAML, podYAML]).trimmed
                #expect(id.count == 64 && id.allSatisfy(\.isHexDigit), "container ID \(id)")
                #expect(try await cli.succeed(["start", id]).trimmed == id)

                try await checkRunning(cli, id: id, podID: podID, imageID: imageID)
                try await checkExec(cli, id: id)
                try await checkLogs(cli, id: id, marker: marker)
                try await removeEverything(cli, id: id, podID: podID)
            }
        }

        /// `info` answers from the endpoint in crictl.yaml; CONTAINER_RUNTIME_ENDPOINT overrides the
        /// file and `-r` overrides both.
        private func checkInfoAndEndpointPrecedence(_ cli: CLISession) async throws {
            let info = try await cli.succeed(["info"]).json()
            let conditions = info["status.conditions"]?.array ?? []
            let runtimeReady = conditions.first { $0["type"]?.string == "RuntimeReady" }
            #expect(runtimeReady?["status"]?.bool == true, "\(info.root)")
            #expect(info["config"] != nil, "containerd's verbose info (config) is missing")

            let nowhere = ["CONTAINER_RUNTIME_ENDPOINT": "unix://\(cli.directory)/nowhere.sock"]
            let fromEnvironment = try await cli.cri(["version"], environment: nowhere)
            #expect(fromEnvironment.status == 1, "\(fromEnvironment)")
            #expect(fromEnvironment.stderr.contains("nowhere.sock"), "\(fromEnvironment)")
            let fromFlag = try await cli.cri(["-r", cli.lab.endpoint, "version"], environment: nowhere)
            #expect(fromFlag.status == 0, "\(fromFlag)")
            #expect(fromFlag.lines.contains("RuntimeName:  containerd"), "\(fromFlag)")
        }

        /// `runp`, then the pod in `pods` (table and JSON). Returns the pod ID.
        private func runPod(_ cli: CLISession, _ podYAML: String) async throws -> String {
            let podID = try await cli.succeed(["runp", podYAML]).trimmed
            try #require(podID.count == 64 && podID.allSatisfy(\.isHexDigit), "pod ID \(podID)")

            let table = try await cli.succeed(["pods"])
            #expect(table.lines.first?.hasPrefix("POD ID") == true, "\(table)")
            let row = table.lines.first { $0.hasPrefix(String(podID.prefix(13))) }
            let columns = row?.split(separator: " ").map(String.init) ?? []
            #expect(columns.contains("Ready") && columns.contains(cli.name) && columns.contains(CLISession.namespace), "\(table)")

            let pods = try await cli.succeed(["pods", "-o", "json"]).json()
            let pod = pods["items"]?.array.first { $0["id"]?.string == podID }
            #expect(pod?["metadata.name"]?.string == cli.name, "\(pods.root)")
            #expect(pod?["state"]?.string == "SANDBOX_READY", "\(pods.root)")
            #expect(pod?["labels.\(CLISession.labelKey)"]?.string == cli.name, "\(pods.root)")
            return podID
        }

        /// `pull` from the open registry, `pull --creds` from the authenticated one (same image), and
        /// a wrong password that fails without showing it. Returns the image ID.
        private func pullFromBothRegistries(_ cli: CLISession) async throws -> String {
            let lab = cli.lab
            let open = try await cli.succeed(["pull", lab.busyboxImage])
            let prefix = "Image is up to date for "
            try #require(open.trimmed.hasPrefix(prefix + "sha256:"), "\(open)")
            let imageID = String(open.trimmed.dropFirst(prefix.count))

            let wrongPassword = "wrong-\(UUID().uuidString)"
            cli.note("pull with a wrong password (the transcript hides both passwords)")
            let refused = try await cli.cri(["pull", "--creds", "\(lab.user):\(wrongPassword)", lab.authBusyboxImage])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains(lab.authBusyboxImage) && refused.stderr.contains("401"), "\(refused)")
            #expect(!refused.stderr.contains(wrongPassword) && !refused.stdout.contains(wrongPassword))

            cli.note("pull with the lab's password")
            let authenticated = try await cli.succeed(["pull", "--creds", "\(lab.user):\(lab.password)", lab.authBusyboxImage])
            // Both registries hold the same build, so containerd names the same image.
            #expect(authenticated.trimmed == prefix + imageID, "\(authenticated)")
            return imageID
        }

        /// `ps` lists the container as Running and `inspect -o json` says CONTAINER_RUNNING.
        private func checkRunning(_ cli: CLISession, id: String, podID: String, imageID: String) async throws {
            let table = try await cli.succeed(["ps"])
            #expect(table.lines.first?.hasPrefix("CONTAINER") == true, "\(table)")
            let row = table.lines.first { $0.hasPrefix(String(id.prefix(13))) }
            let columns = row?.split(separator: " ").map(String.init) ?? []
            #expect(columns.contains("Running") && columns.contains("shell"), "\(table)")
            #expect(columns.contains(String(podID.prefix(13))) && columns.contains(cli.lab.busyboxImage), "\(table)")

            let inspected = try await cli.succeed(["inspect", id, "-o", "json"]).json()
            #expect(inspected["status.id"]?.string == id, "\(inspected.root)")
            #expect(inspected["status.state"]?.string == "CONTAINER_RUNNING", "\(inspected.root)")
            #expect(inspected["status.metadata.name"]?.string == "shell", "\(inspected.root)")
            #expect(inspected["status.logPath"]?.string == "\(cli.podLogDirectory)/shell.log", "\(inspected.root)")
            #expect(inspected["status.image.image"]?.string == cli.lab.busyboxImage, "\(inspected.root)")
            #expect(inspected["info.pid"] != nil, "containerd's verbose info (pid) is missing: \(inspected.root)")
        }

        /// Streaming exec with piped stdin and with an exit code, and ExecSync.
        private func checkExec(_ cli: CLISession, id: String) async throws {
            // `head -c N` exits by itself after the bytes sent, whatever the transport; that stdin's end
            // reaches the command over SPDY (`wc -l`, `cat`) is CLIStreamingTests' subject.
            let input = "piped through exec -i\nsecond line\n"
            let piped = try await cli.cri(["exec", "-i", id, "head", "-c", "\(input.utf8.count)"], stdin: input, timeout: .seconds(30))
            #expect(piped.status == 0 && !piped.timedOut, "\(piped)")
            #expect(piped.stdout == input, "\(piped)")

            let failing = try await cli.cri(["exec", id, "sh", "-c", "echo before-exit; exit 3"])
            #expect(failing.status == 3, "\(failing)")
            #expect(failing.stdout == "before-exit\n", "\(failing)")

            let sync = try await cli.cri(["exec", "-s", id, "echo", "hi"])
            #expect(sync.status == 0, "\(sync)")
            #expect(sync.stdout == "hi\n", "\(sync)")
        }

        /// `logs` prints what the container wrote, each line on its own stream.
        private func checkLogs(_ cli: CLISession, id: String, marker: String) async throws {
            // containerd writes the log asynchronously; by now it is almost surely there, but poll.
            let logs = try await poll("both lines in `cri logs \(id)`") { () -> CLIRun? in
                let run = try await cli.cri(["logs", id])
                return run.status == 0 && run.stdout.contains(marker) && run.stderr.contains("to-stderr") ? run : nil
            }
            #expect(logs.stdout == "\(marker)\n", "\(logs)")
            #expect(logs.stderr == "to-stderr\n", "\(logs)")
        }

        /// `stop`, `rm`, `stopp`, `rmp`, `rmi`, each checked by what lists and inspects show after it.
        private func removeEverything(_ cli: CLISession, id: String, podID: String) async throws {
            #expect(try await cli.succeed(["stop", id]).trimmed == id)
            // -q: the status alone, without containerd's verbose info (the transcript stays readable).
            let stopped = try await cli.succeed(["inspect", "-q", id, "-o", "json"]).json()
            #expect(stopped["status.state"]?.string == "CONTAINER_EXITED", "\(stopped.root)")
            #expect(try await cli.succeed(["rm", id]).trimmed == id)
            #expect(try await !cli.succeed(["ps", "-a", "-q"]).lines.contains(id))

            #expect(try await cli.succeed(["stopp", podID]).trimmed == "Stopped sandbox \(podID)")
            let notReady = try await cli.succeed(["pods", "--id", podID, "-o", "json"]).json()
            #expect(notReady["items.0.state"]?.string == "SANDBOX_NOTREADY", "\(notReady.root)")
            #expect(try await cli.succeed(["rmp", podID]).trimmed == "Removed sandbox \(podID)")
            #expect(try await !cli.succeed(["pods", "-q"]).lines.contains(podID))

            // Both tags name one image, so removing it deletes both (and warns that it does).
            let removed = try await cli.succeed(["rmi", cli.lab.busyboxImage])
            #expect(removed.lines.contains("Deleted: \(cli.lab.busyboxImage)"), "\(removed)")
            #expect(removed.lines.contains("Deleted: \(cli.lab.authBusyboxImage)"), "\(removed)")
            let images = try await cli.succeed(["images", "-o", "json"]).json()
            let tags = images["images"]?.array.flatMap { $0["repoTags"]?.array.compactMap(\.string) ?? [] } ?? []
            #expect(!tags.contains(cli.lab.busyboxImage) && !tags.contains(cli.lab.authBusyboxImage), "\(tags)")
        }
    }
}
