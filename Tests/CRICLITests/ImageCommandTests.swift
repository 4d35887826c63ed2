import CRI
import CRITesting
import Foundation
import Testing

@Suite struct ImageCommandTests {
    @Test func pullImagesInspectiRmiImagefsinfo() async throws {
        try await withCLI { cli, _, endpoint in
            let pull = try await cli.run(endpoint + ["pull", "busybox"])
            #expect(pull.status == 0)
            #expect(pull.stdout.hasPrefix("Image is up to date for sha256:"))
            #expect(pull.stderr.isEmpty, "no spinner when stderr is not a terminal")
            _ = try await cli.run(endpoint + ["pull", "registry.example:5000/team/app:1.2"])

            let images = try await cli.run(endpoint + ["images"])
            #expect(images.lines[0].hasPrefix("IMAGE "))
            for column in ["TAG", "IMAGE ID", "SIZE"] { #expect(images.lines[0].contains(column)) }
            #expect(images.lines.contains { $0.hasPrefix("docker.io/library/busybox ") && $0.contains(" latest ") && $0.hasSuffix("MB") })
            #expect(images.lines.contains { $0.hasPrefix("registry.example:5000/team/app ") && $0.contains(" 1.2 ") })
            let alias = try await cli.run(endpoint + ["img", "-q"])
            #expect(alias.lines.count == 2)
            let digests = try await cli.run(endpoint + ["image", "--digests"])
            #expect(digests.lines[0].contains("DIGEST"))
            let filtered = try await cli.run(endpoint + ["images", "busybox", "-o", "json"])
            #expect(count(try filtered.json(), "images") == 1)
            #expect(string(try filtered.json(), "images.0.repoTags.0") == "docker.io/library/busybox:latest")
            if case .string? = value(try filtered.json(), "images.0.size") {} else { Issue.record("size is not a string") }

            let inspect = try await cli.run(endpoint + ["inspecti", "busybox"])
            let json = try inspect.json()
            #expect(keys(json) == ["info", "status"])
            #expect(string(json, "status.repoTags.0") == "docker.io/library/busybox:latest")
            #expect(string(json, "info.imageSpec.os") == "linux")
            let missing = try await cli.run(endpoint + ["inspecti", "nothere"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no such image"))

            let fs = try await cli.run(endpoint + ["imagefsinfo"])
            #expect(string(try fs.json(), "status.imageFilesystems.0.fsId.mountpoint") == "/var/lib/fake-cri/snapshots")

            let rmi = try await cli.run(endpoint + ["rmi", "busybox"])
            #expect(rmi.status == 0)
            #expect(rmi.stdout == "Deleted: docker.io/library/busybox:latest\n")
            let prune = try await cli.run(endpoint + ["rmi", "--prune"])
            #expect(prune.stdout.contains("Deleted: registry.example:5000/team/app:1.2"))
            let none = try await cli.run(endpoint + ["images", "-q"])
            #expect(none.stdout.isEmpty)
        }
    }

    /// On a terminal (util-linux `script` gives one) the pull shows an elapsed-time spinner on stderr, then clears it.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func pullShowsASpinnerOnATerminal() async throws {
        try await withCLI { cli, server, _ in
            let command = "\(CLIHarness.binary.path) -r \(server.endpoint) pull busybox"
            let result = await (try cli.start(executable: URL(fileURLWithPath: "/usr/bin/script"), ["-eqc", command, "/dev/null"]))
                .finish(timeout: 30)
            #expect(result.status == 0)
            #expect(result.stdout.contains("Pulling image busybox ("))
            #expect(result.stdout.contains("\r\u{1B}[KImage is up to date for sha256:"))
        }
    }

    static func privateRegistryRuntime() -> FakeRuntime {
        var configuration = FakeRuntime.Configuration()
        configuration.registryCredentials = ["registry.example:5000": (username: "alice", password: "s3cret-pw")]
        return FakeRuntime(configuration: configuration)
    }

    @Test func pullCredentialsFromFlagsEnvironmentAndDockerConfig() async throws {
        try await withCLI(runtime: Self.privateRegistryRuntime()) { cli, server, endpoint in
            let image = "registry.example:5000/private/app:1"
            let anonymous = try await cli.run(endpoint + ["pull", image])
            #expect(anonymous.status == 1)
            #expect(anonymous.stderr.contains("401"))

            // Flags after the positional argument count (crictl's urfave/cli ignored them).
            let creds = try await cli.run(endpoint + ["pull", image, "--creds", "alice:s3cret-pw"])
            #expect(creds.status == 0, "\(creds.stderr)")
            let wrong = try await cli.run(endpoint + ["pull", "--creds", "alice:nope", image])
            #expect(wrong.status == 1)
            let both = try await cli.run(endpoint + ["pull", "--creds", "a:b", "--auth", "eA==", image])
            #expect(both.status == 1)
            #expect(both.stderr.contains("cannot be used together"))

            let auth = Data("alice:s3cret-pw".utf8).base64EncodedString()
            let viaAuth = try await cli.run(endpoint + ["pull", "--auth", auth, image])
            #expect(viaAuth.status == 0)
            let viaEnvironment = try await cli.run(endpoint + ["pull", image], environment: ["CRICTL_CREDS": "alice:s3cret-pw"])
            #expect(viaEnvironment.status == 0)
            let prompted = try await cli.run(endpoint + ["pull", "-u", "alice", image], stdin: "s3cret-pw\n")
            #expect(prompted.status == 0, "\(prompted.stderr)")

            let dockerConfig = cli.directory + "/docker"
            try cli.write("docker/config.json", #"{"auths": {"registry.example:5000": {"auth": "\#(auth)"}}}"#)
            let viaDockerConfig = try await cli.run(endpoint + ["pull", image], environment: ["DOCKER_CONFIG": dockerConfig])
            #expect(viaDockerConfig.status == 0, "\(viaDockerConfig.stderr)")
            try cli.write(".docker/config.json", #"{"auths": {"https://registry.example:5000": {"auth": "\#(auth)"}}}"#)
            let viaHome = try await cli.run(endpoint + ["pull", image])
            #expect(viaHome.status == 0, "\(viaHome.stderr)")
            let authfile = try cli.write("auth.json", #"{"auths": {"registry.example:5000": {"auth": "\#(auth)"}}}"#)
            let viaAuthfile = try await cli.run(endpoint + ["pull", "--authfile", authfile, image])
            #expect(viaAuthfile.status == 0)

            let debug = try await cli.run(endpoint + ["--debug", "pull", "--creds", "alice:s3cret-pw", image])
            #expect(debug.status == 0)
            #expect(debug.stderr.contains("PullImage"))
            #expect(!debug.stderr.contains("s3cret-pw"))
            #expect(!debug.stdout.contains("s3cret-pw"))
            let recorded = await server.runtime.calls.filter { $0.method == "PullImage" }.count
            #expect(recorded == 10)
        }
    }

    @Test func pullTimeoutIsADeadline() async throws {
        let runtime = FakeRuntime()
        await runtime.inject(.delay(.seconds(5)), into: "PullImage")
        try await withCLI(runtime: runtime) { cli, _, endpoint in
            let result = try await cli.run(endpoint + ["pull", "--pull-timeout", "200ms", "busybox"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("DEADLINE_EXCEEDED"))
        }
    }
}
