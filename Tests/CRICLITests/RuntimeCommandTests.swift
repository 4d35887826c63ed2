import CRI
import CRITesting
import Foundation
import Testing

@Suite struct RuntimeCommandTests {
    @Test func versionPrintsTheFourFields() async throws {
        try await withCLI { cli, _, endpoint in
            let result = try await cli.run(endpoint + ["version"])
            #expect(result.status == 0)
            #expect(result.lines == ["Version:  0.1.0", "RuntimeName:  fake-cri", "RuntimeVersion:  0.1.0", "RuntimeApiVersion:  v1"])
        }
    }

    @Test func infoMergesStatusHandlersFeaturesAndInfoWithSortedKeys() async throws {
        try await withCLI { cli, _, endpoint in
            let result = try await cli.run(endpoint + ["info"])
            #expect(result.status == 0)
            let json = try result.json()
            #expect(keys(json) == keys(json).sorted())
            #expect(keys(json).contains("status") && keys(json).contains("runtimeHandlers") && keys(json).contains("config"))
            #expect(string(json, "status.conditions.0.type") == "RuntimeReady")
            #expect(value(json, "status.conditions.1.status") == .bool(true))
            // The fake claims no handler features (it implements none of them), so there are none to print.
            #expect(value(json, "runtimeHandlers.1.features") == nil)
            #expect(value(json, "features") == nil)
            #expect(string(json, "runtimeHandlers.1.name") == "runc")
            #expect(string(json, "config.runtimeName") == "fake-cri")
            #expect(string(json, "lastCNILoadStatus") == "OK")

            let yaml = try await cli.run(endpoint + ["info", "-o", "yaml"])
            #expect(yaml.status == 0)
            #expect(yaml.stdout.contains("lastCNILoadStatus: OK"))
            #expect(yaml.stdout.contains("type: RuntimeReady"))
        }
    }

    @Test func runtimeConfigPrintsTheCgroupDriver() async throws {
        try await withCLI { cli, _, endpoint in
            let result = try await cli.run(endpoint + ["runtime-config"])
            #expect(result.status == 0)
            #expect(result.stdout == "cgroup driver: SYSTEMD\n")
        }
    }

    @Test func updateRuntimeConfigAndMetrics() async throws {
        try await withCLI { cli, server, endpoint in
            let update = try await cli.run(endpoint + ["update-runtime-config", "-p", "10.99.0.0/16"])
            #expect(update.status == 0, "\(update.stderr)")
            let info = try await cli.run(endpoint + ["info"])
            #expect(string(try info.json(), "config.podCIDR") == "10.99.0.0/16")
            let descriptors = try await cli.run(endpoint + ["metricdescs"])
            #expect(descriptors.status == 0)
            #expect(string(try descriptors.json(), "descriptors.0.name") == "container_cpu_usage_seconds_total")
            _ = try await cli.startWorkload(endpoint)
            let metrics = try await cli.run(endpoint + ["metricsp", "-o", "yaml"])
            #expect(metrics.status == 0)
            #expect(metrics.stdout.contains("podMetrics:"))
            #expect(await server.runtime.calledMethods.contains("ListPodSandboxMetrics"))
        }
    }

    @Test func goTemplateIsRejectedWithAHint() async throws {
        try await withCLI { cli, _, endpoint in
            let result = try await cli.run(endpoint + ["info", "-o", "go-template"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("jq"))
        }
    }

    @Test func completionPrintsAShellScript() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let bash = try await cli.run(["completion"])
        #expect(bash.status == 0)
        #expect(bash.stdout.contains("complete"))
        #expect(bash.stdout.contains("runp"))
        let zsh = try await cli.run(["completion", "zsh"])
        #expect(zsh.status == 0 && zsh.stdout.contains("#compdef"))
        let bad = try await cli.run(["completion", "tcsh"])
        #expect(bad.status == 1)
    }

    @Test func helpListsEverySubcommand() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = try await cli.run(["--help"])
        #expect(result.status == 0)
        for name in [
            "version", "info", "runtime-config", "runp", "pods", "inspectp", "stopp", "rmp", "create", "start", "run",
            "ps", "inspect", "stop", "rm", "exec", "attach", "port-forward", "logs", "pull", "images", "inspecti", "rmi",
            "imagefsinfo", "stats", "statsp", "metricsp", "metricdescs", "update-runtime-config", "events", "update", "checkpoint", "checkpointp", "restorep", "config", "completion", "demo",
            "fake-runtime",
        ] {
            #expect(result.stdout.contains("  \(name)"), "missing \(name)")
        }
        #expect(result.stdout.contains("--runtime-endpoint"))
    }

    @Test func fakeRuntimeServesUntilSIGTERMAndRemovesItsSocket() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let socket = cli.directory + "/fake.sock"
        let server = try cli.start(["fake-runtime", "--listen", "unix://\(socket)"])
        try await server.waitForOutput(containing: "listening on")
        let version = try await cli.run(["-r", "unix://\(socket)", "version"])
        #expect(version.status == 0)
        #expect(version.stdout.contains("RuntimeName:  fake-cri"))
        server.signal(SIGTERM)
        let result = await server.finish(timeout: 30)
        #expect(result.status == 0)
        #expect(result.stdout.contains("stopped"))
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func demoRunsEveryStepAndExitsZero() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let result = try await cli.run(["demo"], timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        var position = result.stdout.startIndex
        for step in [
            "$ cri version", "$ cri info", "$ cat pod.yaml", "$ cat ctr.yaml", "$ cri runp pod.yaml", "$ cri pods",
            "$ cri pull busybox", "$ cri images", "$ cri create ", "$ cri start ", "$ cri ps", "$ cri exec -s ",
            "$ cri exec ", "$ cri logs ", "$ cri stop ", "$ cri rm ", "$ cri stopp ", "$ cri rmp ",
        ] {
            let found = result.stdout.range(of: step, range: position..<result.stdout.endIndex)
            #expect(found != nil, "missing step \(step)")
            if let found { position = found.upperBound }
        }
        #expect(result.stdout.contains("Image is up to date for "))
        #expect(result.stdout.contains("\nhello\n"))
        #expect(result.stdout.contains("streamed over WebSocket from demo"))
        #expect(result.stdout.contains("hello from the demo container"))
        #expect(result.stdout.contains("Removed sandbox "))
        #expect(result.stderr.contains("this line went to stderr"))
    }
}
