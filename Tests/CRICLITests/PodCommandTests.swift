import CRI
import CRITesting
import Foundation
import Testing

@Suite struct PodCommandTests {
    /// The Windows walkthrough's habits (its pod config, `pods POD_ID`), on the platform CI runs; the whole
    /// walkthrough runs over a simulated named pipe in CRIWindowsTests (Scripts/check-windows.sh).
    @Test func walkthroughPodConfigAndPositionalPodID() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("pod-config.yaml", """
                metadata:
                  attempt: 1
                  name: sample-sandbox
                  namespace: default
                  uid: 0123456789abcdef012345678.log
                log_directory: /logs
                windows:
                  namespaces:
                    options: {}
                """)
            let runp = try await cli.run(endpoint + ["runp", "pod-config.yaml"])
            #expect(runp.status == 0, "\(runp.stderr)")
            #expect(runp.stderr.contains(#"WARN: pod-config.yaml: unknown field "windows.namespaces""#))
            #expect(runp.stderr.contains("belong in windows.security_context.namespace_options"))
            let podID = runp.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            let positional = try await cli.run(endpoint + ["pods", podID])
            #expect(positional.status == 0, "\(positional.stderr)")
            #expect(positional.lines.count == 2 && positional.lines[1].hasPrefix(String(podID.prefix(13))))
            let other = try await cli.run(endpoint + ["pods", "ffffffffffff"])
            #expect(other.status == 0 && other.lines.count == 1)
            let twice = try await cli.run(endpoint + ["pods", "--id", podID, "ffffffffffff"])
            #expect(twice.status != 0)
            #expect(twice.stderr.contains("given twice"))
        }
    }

    @Test func runpPodsInspectpStoppRmp() async throws {
        try await withCLI { cli, server, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory + "/logs"))
            let runp = try await cli.run(endpoint + ["runp", "pod.yaml"])
            #expect(runp.status == 0, "\(runp.stderr)")
            let podID = runp.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(podID.count == 64)

            let table = try await cli.run(endpoint + ["pods"])
            #expect(table.status == 0)
            #expect(table.lines.count == 2)
            #expect(table.lines[0].hasPrefix("POD ID              CREATED"))
            for column in ["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"] {
                #expect(table.lines[0].contains(column))
            }
            #expect(table.lines[1].hasPrefix(String(podID.prefix(13)) + " "))
            #expect(table.lines[1].contains(" ago "))
            #expect(table.lines[1].contains("Ready"))
            #expect(table.lines[1].contains("(default)"))

            let noTrunc = try await cli.run(endpoint + ["pods", "--no-trunc"])
            #expect(noTrunc.stdout.contains(podID))

            let json = try await cli.run(endpoint + ["pods", "-o", "json"])
            let parsed = try json.json()
            #expect(string(parsed, "items.0.id") == podID)
            #expect(string(parsed, "items.0.state") == "SANDBOX_READY")
            #expect(string(parsed, "items.0.metadata.name") == "web")
            // protojson: 64-bit integers are strings; defaults are emitted.
            if case .string(let created)? = value(parsed, "items.0.createdAt") { #expect(Int64(created) != nil) } else {
                Issue.record("createdAt is not a string")
            }
            #expect(string(parsed, "items.0.runtimeHandler") == "")
            // An empty uid was replaced by a random one.
            #expect((string(parsed, "items.0.metadata.uid") ?? "").count == 36)

            let yaml = try await cli.run(endpoint + ["pods", "-o", "yaml"])
            #expect(yaml.stdout.contains("items:"))
            #expect(yaml.stdout.contains("state: SANDBOX_READY"))

            let quiet = try await cli.run(endpoint + ["pods", "-q"])
            #expect(quiet.stdout == podID + "\n")

            let inspect = try await cli.run(endpoint + ["inspectp", String(podID.prefix(13))])
            #expect(inspect.status == 0)
            let status = try inspect.json()
            #expect(keys(status) == ["info", "status"])
            #expect(string(status, "status.id") == podID)
            #expect(string(status, "status.createdAt")?.hasSuffix("Z") == true)
            #expect(value(status, "info.pid") != nil)

            let stopp = try await cli.run(endpoint + ["stopp", podID])
            #expect(stopp.stdout == "Stopped sandbox \(podID)\n")
            let notReady = try await cli.run(endpoint + ["pods", "--state", "notready", "-q"])
            #expect(notReady.stdout == podID + "\n")
            let rmp = try await cli.run(endpoint + ["rmp", podID])
            #expect(rmp.status == 0)
            #expect(rmp.stdout == "Removed sandbox \(podID)\n")
            #expect(await server.runtime.calledMethods.contains("RemovePodSandbox"))
            let empty = try await cli.run(endpoint + ["pods", "-q"])
            #expect(empty.stdout.isEmpty)
        }
    }

    @Test func podFiltersNameNamespaceLabelLatest() async throws {
        try await withCLI { cli, _, endpoint in
            for (name, namespace) in [("alpha", "team-a"), ("beta", "team-b"), ("alpine", "team-a")] {
                try cli.write("\(name).yaml", Fixtures.podYAML(name: name, namespace: namespace, logDirectory: cli.directory))
                let result = try await cli.run(endpoint + ["runp", "\(name).yaml"])
                #expect(result.status == 0)
            }
            let byName = try await cli.run(endpoint + ["pods", "--name", "^al", "-o", "json"])
            #expect(count(try byName.json(), "items") == 2)
            let byNamespace = try await cli.run(endpoint + ["pods", "--namespace", "team-b", "-o", "json"])
            #expect(string(try byNamespace.json(), "items.0.metadata.name") == "beta")
            let byLabel = try await cli.run(endpoint + ["pods", "--label", "app=alpine", "-o", "json"])
            #expect(count(try byLabel.json(), "items") == 1)
            let latest = try await cli.run(endpoint + ["pods", "--latest", "-o", "json"])
            #expect(string(try latest.json(), "items.0.metadata.name") == "alpine")
            let last = try await cli.run(endpoint + ["pods", "-n", "2", "-q"])
            #expect(last.lines.count == 2)
            let badRegex = try await cli.run(endpoint + ["pods", "--name", "("])
            #expect(badRegex.status == 1)
        }
    }

    @Test func unknownKeysWarnWithTheirPathAndStrictFails() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("pod-config.yaml", """
                metadata:
                  name: web
                  namespace: default
                  nmae: typo
                logDirectory: /tmp/x
                dns_config:
                  servers: [1.1.1.1]
                  bogus: 1
                """)
            let lenient = try await cli.run(endpoint + ["runp", "pod-config.yaml"])
            #expect(lenient.status == 0)
            #expect(lenient.stderr.contains(#"WARN: pod-config.yaml: unknown field "metadata.nmae""#))
            #expect(lenient.stderr.contains(#"unknown field "dns_config.bogus""#))
            // lowerCamel (logDirectory) is accepted, not reported.
            #expect(!lenient.stderr.contains("logDirectory"))

            let strict = try await cli.run(endpoint + ["runp", "--strict", "pod-config.yaml"])
            #expect(strict.status == 1)
            #expect(strict.stderr.contains("metadata.nmae"))
            #expect(strict.stderr.contains("--strict"))
        }
    }

    @Test func requiredFieldsAreCheckedWithPreciseMessages() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("no-namespace.yaml", "metadata:\n  name: web\n")
            let noNamespace = try await cli.run(endpoint + ["runp", "no-namespace.yaml"])
            #expect(noNamespace.status == 1)
            #expect(noNamespace.stderr.contains("no-namespace.yaml: metadata.namespace is required"))
            try cli.write("no-metadata.json", #"{"hostname": "x"}"#)
            let noMetadata = try await cli.run(endpoint + ["runp", "no-metadata.json"])
            #expect(noMetadata.stderr.contains("no-metadata.json: metadata is required"))
            try cli.write("pod.json", #"{"metadata": {"name": "p", "namespace": "n"}}"#)
            try cli.write("no-image.yaml", "metadata:\n  name: c\n")
            let runp = try await cli.run(endpoint + ["runp", "pod.json"])
            let noImage = try await cli.run(endpoint + ["create", runp.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "no-image.yaml", "pod.json"])
            #expect(noImage.status == 1)
            #expect(noImage.stderr.contains("no-image.yaml: image.image is required"))
            try cli.write("bad.yaml", "metadata: [unclosed")
            let bad = try await cli.run(endpoint + ["runp", "bad.yaml"])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("bad.yaml"))
        }
    }

    @Test func enumNamesAndNumbersAndRuntimeHandler() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("host.yaml", """
                metadata: {name: host, namespace: default}
                linux:
                  security_context:
                    namespace_options:
                      network: NODE
                      pid: 1
                """)
            let result = try await cli.run(endpoint + ["runp", "-r", "runc", "host.yaml"])
            #expect(result.status == 0, "\(result.stderr)")
            let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let inspect = try await cli.run(endpoint + ["inspectp", id])
            let json = try inspect.json()
            #expect(string(json, "status.linux.namespaces.options.network") == "NODE")
            #expect(string(json, "status.linux.namespaces.options.pid") == "CONTAINER")
            #expect(string(json, "status.runtimeHandler") == "runc")
            let pods = try await cli.run(endpoint + ["pods"])
            #expect(pods.lines[1].hasSuffix("runc"))
        }
    }

    @Test func rmpRefusesAReadyPodWithoutForce() async throws {
        try await withCLI { cli, _, endpoint in
            try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory))
            let id = try await cli.run(endpoint + ["runp", "pod.yaml"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let refused = try await cli.run(endpoint + ["rmp", id])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("--force"))
            let forced = try await cli.run(endpoint + ["rmp", "-f", id])
            #expect(forced.status == 0)
            let all = try await cli.run(endpoint + ["rmp", "--all"])
            #expect(all.status == 0)
        }
    }
}
