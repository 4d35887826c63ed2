import CRI
import CRITesting
import Foundation
import Testing

@Suite struct ConfigurationTests {
    @Test func endpointPrecedenceFlagOverEnvironmentOverFile() async throws {
        try await withCLI { cli, server, _ in
            let bogus = "unix://\(cli.directory)/bogus.sock"
            let fileOnly = try cli.write("file.yaml", "runtime-endpoint: \(server.endpoint)\ntimeout: 5\n")
            let viaFile = try await cli.run(["version"], environment: ["CRI_CONFIG_FILE": fileOnly])
            #expect(viaFile.status == 0, "\(viaFile.stderr)")

            // The environment beats the file: the error names the environment's endpoint.
            let viaEnvironment = try await cli.run(
                ["version"], environment: ["CRI_CONFIG_FILE": fileOnly, "CONTAINER_RUNTIME_ENDPOINT": bogus])
            #expect(viaEnvironment.status == 1)
            #expect(viaEnvironment.stderr.contains(bogus))

            // The flag beats the environment.
            let viaFlag = try await cli.run(
                ["-r", server.endpoint, "version"], environment: ["CONTAINER_RUNTIME_ENDPOINT": bogus])
            #expect(viaFlag.status == 0)
            let longFlagAfter = try await cli.run(
                ["version", "--runtime-endpoint", server.endpoint], environment: ["CONTAINER_RUNTIME_ENDPOINT": bogus])
            #expect(longFlagAfter.status == 0)

            // -c beats CRI_CONFIG_FILE.
            let other = try cli.write("other.yaml", "runtime-endpoint: \(bogus)\n")
            let viaConfigFlag = try await cli.run(["-c", fileOnly, "version"], environment: ["CRI_CONFIG_FILE": other])
            #expect(viaConfigFlag.status == 0)

            // The image endpoint defaults to the runtime endpoint and can be split off.
            let splitImage = try await cli.run(["-r", server.endpoint, "-i", bogus, "images"])
            #expect(splitImage.status == 1)
            #expect(splitImage.stderr.contains(bogus))
            let imageFromEnvironment = try await cli.run(
                ["-r", server.endpoint, "images"], environment: ["IMAGE_SERVICE_ENDPOINT": bogus])
            #expect(imageFromEnvironment.stderr.contains(bogus))
        }
    }

    @Test func defaultEndpointIsProbedByExistence() async throws {
        try await withCLI { cli, server, _ in
            let path = String(server.endpoint.dropFirst("unix://".count))
            let candidates = "unix://\(cli.directory)/missing.sock,\(server.endpoint)"
            let probed = try await cli.run(["version"], environment: ["CRI_DEFAULT_ENDPOINTS": candidates])
            #expect(probed.status == 0, "\(probed.stderr)")
            #expect(probed.stderr.contains("using default endpoint \(server.endpoint)"))
            #expect(FileManager.default.fileExists(atPath: path))

            let none = try await cli.run(["version"], environment: ["CRI_DEFAULT_ENDPOINTS": "unix://\(cli.directory)/a.sock,unix://\(cli.directory)/b.sock"])
            #expect(none.status == 1)
            #expect(none.stderr.contains("\(cli.directory)/a.sock"))
            #expect(none.stderr.contains("\(cli.directory)/b.sock"))
            #expect(none.stderr.contains("--runtime-endpoint"))
            #expect(none.stderr.contains("CONTAINER_RUNTIME_ENDPOINT"))
        }
    }

    @Test func configFileErrors() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let unknown = try cli.write("unknown.yaml", "runtime-endpoint: unix:///x.sock\nruntime-endpiont: typo\n")
        let result = try await cli.run(["version"], environment: ["CRI_CONFIG_FILE": unknown])
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"unknown config option "runtime-endpiont""#))
        let badTimeout = try cli.write("timeout.yaml", "timeout: 2s\n")
        let timeout = try await cli.run(["version"], environment: ["CRI_CONFIG_FILE": badTimeout])
        #expect(timeout.stderr.contains("whole number of seconds"))
        let missing = try await cli.run(["-c", cli.directory + "/nope.yaml", "version"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"))
    }

    @Test func timeoutFromFlagAndFileApplies() async throws {
        let runtime = FakeRuntime()
        await runtime.inject(.delay(.seconds(3)), into: "Version", times: 3)
        try await withCLI(runtime: runtime) { cli, server, endpoint in
            let defaultTimeout = try await cli.run(endpoint + ["version"])
            #expect(defaultTimeout.status == 1)
            #expect(defaultTimeout.stderr.contains("DEADLINE_EXCEEDED"))
            #expect(defaultTimeout.stderr.contains("-t/--timeout"))
            let longer = try await cli.run(["-t", "10s"] + endpoint + ["version"])
            #expect(longer.status == 0, "\(longer.stderr)")
            let file = try cli.write("t.yaml", "runtime-endpoint: \(server.endpoint)\ntimeout: 10\n")
            let fromFile = try await cli.run(["version"], environment: ["CRI_CONFIG_FILE": file])
            #expect(fromFile.status == 0, "\(fromFile.stderr)")
        }
    }

    @Test func configCommandSetsGetsAndListsPreservingComments() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let path = try cli.write("edit.yaml", "# managed by hand\ntimeout: 2\n")
        let environment = ["CRI_CONFIG_FILE": path]
        let set = try await cli.run(["config", "--set", "runtime-endpoint=unix:///run/x.sock,timeout=10"], environment: environment)
        #expect(set.status == 0, "\(set.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "# managed by hand\ntimeout: 10\nruntime-endpoint: unix:///run/x.sock\n")
        let get = try await cli.run(["config", "--get", "timeout"], environment: environment)
        #expect(get.stdout == "10\n")
        let positional = try await cli.run(["config", "debug", "true"], environment: environment)
        #expect(positional.status == 0)
        let list = try await cli.run(["config", "--list"], environment: environment)
        #expect(list.stdout.contains("debug"))
        #expect(list.lines.contains { $0.hasPrefix("runtime-endpoint") && $0.hasSuffix("unix:///run/x.sock") })
        let invalid = try await cli.run(["config", "--set", "bogus=1"], environment: environment)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("bogus"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}
