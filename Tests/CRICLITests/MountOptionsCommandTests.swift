import CRI
import CRITesting
import Foundation
import Testing

/// `Mount.mount_options` and `RuntimeFeatures.mount_options` (Kubernetes 1.37) from a config file to `inspect` and
/// `info`, against a fake that supports them and one that, like every containerd so far, does not.
@Suite struct MountOptionsCommandTests {
    static func containerWithMountOptions(_ cli: CLIHarness) throws {
        try cli.write(
            "ctr-mounts.yaml",
            Fixtures.containerYAML(name: "mounts") + """

                mounts:
                  - container_path: /data
                    host_path: \(cli.directory)
                    mount_options: [noexec, nodev]
                """)
    }

    static func createdContainer(_ cli: CLIHarness, _ endpoint: [String]) async throws -> String {
        try containerWithMountOptions(cli)
        try cli.write("pod.yaml", Fixtures.podYAML(logDirectory: cli.directory))
        let podID = try await cli.run(endpoint + ["runp", "pod.yaml"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let created = try await cli.run(endpoint + ["create", "--with-pull", podID, "ctr-mounts.yaml", "pod.yaml"])
        try #require(created.status == 0, "\(created.stderr)")
        return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a runtime that supports them advertises the feature in info and reports the options in inspect")
    func supported() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.supportsMountOptions = true
        try await withCLI(runtime: FakeRuntime(configuration: configuration)) { cli, server, endpoint in
            let info = try await cli.run(endpoint + ["info"]).json()
            #expect(value(info, "features.mount_options") == .bool(true))
            let id = try await Self.createdContainer(cli, endpoint)
            let sent = await server.runtime.calls.compactMap { ($0.request as? CreateContainerRequest)?.config?.mounts }
            #expect(sent.first?.first?.mountOptions == ["noexec", "nodev"], "the CLI sends field 11")
            let inspect = try await cli.run(endpoint + ["inspect", id]).json()
            #expect(string(inspect, "status.mounts.0.containerPath") == "/data")
            #expect(string(inspect, "status.mounts.0.mountOptions.0") == "noexec")
            #expect(string(inspect, "status.mounts.0.mountOptions.1") == "nodev")
        }
    }

    @Test("a runtime that does not know them advertises nothing and drops them, as an unknown field")
    func unsupported() async throws {
        try await withCLI { cli, _, endpoint in
            let info = try await cli.run(endpoint + ["info"]).json()
            #expect(value(info, "features") == nil)
            let id = try await Self.createdContainer(cli, endpoint)
            let inspect = try await cli.run(endpoint + ["inspect", id]).json()
            #expect(string(inspect, "status.mounts.0.containerPath") == "/data")
            #expect(count(inspect, "status.mounts.0.mountOptions") == 0)
            #expect(string(inspect, "status.mounts.0.mountOptions.0") == nil)
        }
    }
}
