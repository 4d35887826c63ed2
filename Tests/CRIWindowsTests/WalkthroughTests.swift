#if CRI_WINDOWS_STANDIN
import CRI
import CRITesting
import CRITransport
import CRIWinSDKStandIn
import Foundation
import Testing

@testable import cri

/// The walkthrough this project started from (containerd on Windows Server, driven with crictl), with its own
/// files, run through the CLI in-process over the simulated `\\.\pipe\containerd-containerd`.
@Suite("The Windows walkthrough over a simulated pipe", .serialized, .timeLimit(.minutes(1)))
struct WalkthroughTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/walkthrough")

    /// A scratch home: `USERPROFILE`, with the walkthrough's crictl.yaml where crictl looks for it on Windows.
    struct Home {
        let directory: String
        let profile: String

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("cri-win-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            profile = directory + "/profile"
            for name in ["pod-config.yaml", "simple-server.yaml"] {
                try FileManager.default.copyItem(
                    atPath: fixtures.appendingPathComponent(name).path, toPath: directory + "/" + name)
            }
            // On Linux the Windows path `%USERPROFILE%\.crictl\crictl.yaml` is one file name with backslashes
            // in it; placing the file there proves the lookup composes exactly that path.
            let configPath = ConfigFile.defaultPath(environment: ["USERPROFILE": profile])
            #expect(configPath == profile + #"\.crictl\crictl.yaml"#)
            try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("crictl.yaml").path, toPath: configPath)
        }

        /// The path of `name` in the scratch directory (the walkthrough's files are copied there).
        func file(_ name: String) -> String { directory + "/" + name }

        /// Runs `cri arguments` in this process and returns (status, stdout, stderr).
        func run(_ arguments: String...) async -> (status: Int32, stdout: String, stderr: String) {
            let capture = CLIOutputCapture()
            let context = CLIContext(environment: ["USERPROFILE": profile], announcesDefaultEndpoint: true)
            let status = await CLIOutput.$capture.withValue(capture) {
                await CLIRunner.run(arguments: arguments, context: context)
            }
            return (status, capture.stdout, capture.stderr)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    @Test func theWalkthroughsFilesParseAndWarnWhereKeysBelong() throws {
        let config = try ConfigFile(
            path: "crictl.yaml", text: String(contentsOf: Self.fixtures.appendingPathComponent("crictl.yaml"), encoding: .utf8))
        #expect(config.values.runtimeEndpoint == "npipe://./pipe/containerd-containerd")
        #expect(config.values.timeout == 10)
        #expect(try Endpoint(parsing: config.values.runtimeEndpoint ?? "") == .namedPipe(path: #"\\.\pipe\containerd-containerd"#))
    }

    @Test func theWalkthroughsCommandSequence() async throws {
        let home = try Home()
        defer { home.remove() }
        #expect(SimulatedKernel.shared.awaitPipeGone(#"\\.\pipe\containerd-containerd"#))
        try await withFakeCRIServer(runtime: windowsRuntime(), listeningOn: "npipe:////./pipe/containerd-containerd") { server in
            // crictl info
            let info = await home.run("info")
            #expect(info.status == 0, "\(info.stderr)")

            // crictl runp --runtime runhcs-wcow-process pod-config.yaml
            let runp = await home.run("runp", "--runtime", "runhcs-wcow-process", home.file("pod-config.yaml"))
            #expect(runp.status == 0, "\(runp.stderr)")
            let podID = runp.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(podID.count == 64)
            #expect(runp.stderr.contains(#"pod-config.yaml: unknown field "windows.namespaces""#))
            #expect(runp.stderr.contains("windows.security_context.namespace_options"))
            let handler = try await withCRIClient(endpoint: server.endpoint) { cri in
                try await cri.podSandboxStatus(id: podID).status?.runtimeHandler
            }
            #expect(handler == "runhcs-wcow-process")

            // crictl pods POD_ID (positional, as the walkthrough types it)
            let pods = await home.run("pods", podID)
            #expect(pods.status == 0, "\(pods.stderr)")
            #expect(pods.stdout.contains(String(podID.prefix(13))) && pods.stdout.contains("sample-sandbox"))
            let none = await home.run("pods", "--id", "ffffffff")
            #expect(none.status == 0 && !none.stdout.contains("sample-sandbox"))

            // crictl pull mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
            let pull = await home.run("pull", "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022")
            #expect(pull.status == 0, "\(pull.stderr)")

            // crictl create POD_ID simple-server.yaml pod-config.yaml
            let create = await home.run("create", podID, home.file("simple-server.yaml"), home.file("pod-config.yaml"))
            #expect(create.status == 0, "\(create.stderr)")
            #expect(create.stderr.contains(#"simple-server.yaml: unknown field "ports""#))
            #expect(create.stderr.contains("port_mappings"))
            let containerID = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            // crictl start CONTAINER_ID
            let start = await home.run("start", containerID)
            #expect(start.status == 0, "\(start.stderr)")
            let ps = await home.run("ps", "-q")
            #expect(ps.stdout.contains(containerID))

            // crictl exec -i CONTAINER_ID ipconfig: the CLI dials the runtime's streaming URL
            // (http://127.0.0.1:PORT/exec/...) over Winsock, and the fake's streaming server listens over Winsock.
            let exec = await home.run("exec", "-i", containerID, "ipconfig")
            #expect(exec.status == 0, "\(exec.stderr)")
            #expect(exec.stdout.contains("Windows IP Configuration"), "\(exec.stdout)")
            #expect(exec.stdout.contains("Host Name . . . . . . . . . . . . : "), "\(exec.stdout)")
        }
        // Every socket the exec opened (client, the fake's streaming listener, accepted) is closed and its
        // WSAStartup returned, the listener's once its accept loop has seen the runtime go.
        #expect(SimulatedWinsock.shared.awaitIdle())
    }

    @Test func crictlsWindowsDefaults() {
        #expect(CLISettings.defaultTimeout == .seconds(200))
        #expect(ConfigFile.defaultPath(environment: ["USERPROFILE": #"C:\Users\me"#]) == #"C:\Users\me\.crictl\crictl.yaml"#)
    }

    @Test func withNothingConfiguredTheContainerdPipeIsPicked() async throws {
        let home = try Home()
        defer { home.remove() }
        try FileManager.default.removeItem(atPath: ConfigFile.defaultPath(environment: ["USERPROFILE": home.profile]))
        // A server an earlier test shut down may still be closing its last instance (its accept thread does that).
        #expect(SimulatedKernel.shared.awaitPipeGone(#"\\.\pipe\containerd-containerd"#))
        let missing = await home.run("version")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("npipe:////./pipe/containerd-containerd"))
        #expect(missing.stderr.contains("npipe:////./pipe/cri-dockerd"))
        try await withFakeCRIServer(runtime: windowsRuntime(), listeningOn: "npipe:////./pipe/containerd-containerd") { _ in
            let version = await home.run("version")
            #expect(version.status == 0, "\(version.stderr)")
            #expect(version.stderr.contains("using default endpoint npipe:////./pipe/containerd-containerd"))
            #expect(version.stdout.contains("fake-cri"))
        }
    }

    @Test func unixEndpointsAreRefusedAsOnWindows() async throws {
        let home = try Home()
        defer { home.remove() }
        let result = await home.run("--runtime-endpoint", "unix:///run/containerd/containerd.sock", "version")
        #expect(result.status != 0)
        #expect(result.stderr.contains("unix sockets are not implemented on Windows"), "\(result.stderr)")
    }
}
#endif
