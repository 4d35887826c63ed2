import CRI
import CRITesting
import Foundation
import Testing

/// Registry credentials on the command line, in the environment, in docker/podman auth files and typed at a
/// prompt never show in `cri`'s output, with `--debug` and when the pull fails; a typed password is not echoed.
@Suite struct CredentialSecrecyTests {
    static let image = "registry.example:5000/private/app:1"
    static let password = "pw-Secret-7f3a"

    /// A runtime whose registry wants alice / ``password``.
    static func runtime() -> FakeRuntime {
        var configuration = FakeRuntime.Configuration()
        configuration.registryCredentials = ["registry.example:5000": (username: "alice", password: password)]
        return FakeRuntime(configuration: configuration)
    }

    @Test func aPasswordIsReadFromStdinWhenItIsNoTerminal() async throws {
        try await withCLI(runtime: Self.runtime()) { cli, _, endpoint in
            for flags in [["--creds", "alice"], ["-u", "alice"]] {
                let pull = try await cli.run(endpoint + ["pull"] + flags + [Self.image], stdin: Self.password + "\n")
                #expect(pull.status == 0, "\(flags): \(pull.stderr)")
                #expect(!pull.stdout.contains(Self.password) && !pull.stderr.contains(Self.password))
                #expect(!pull.stderr.contains("Enter Password"), "no prompt without a terminal")
            }
        }
    }

    /// On a terminal (util-linux `script` gives `cri` one) the prompt appears with echo already off: what is
    /// typed after it never reaches the terminal's output.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aPasswordTypedAtThePromptIsNotEchoed() async throws {
        try await withCLI(runtime: Self.runtime()) { cli, server, _ in
            for flags in ["--creds alice", "-u alice"] {
                let command = "\(CLIHarness.binary.path) -r \(server.endpoint) pull \(flags) \(Self.image)"
                let running = try cli.start(
                    executable: URL(fileURLWithPath: "/usr/bin/script"), ["-eqc", command, "/dev/null"], interactive: true)
                try await running.waitForOutput(containing: "Enter Password:")
                running.type(Self.password + "\n")
                let result = await running.finish(timeout: 30)
                #expect(result.status == 0, "\(flags): \(result.stdout)")
                #expect(result.stdout.contains("Image is up to date for sha256:"), "\(result.stdout)")
                #expect(!result.stdout.contains(Self.password), "echoed: \(result.stdout)")
            }
        }
    }

    /// Every way to give credentials, right and wrong, with `--debug` (which prints each call's request):
    /// the output names the call and shows `<redacted>`, never a secret.
    @Test func debugOutputAndFailuresShowNoSecret() async throws {
        try await withCLI(runtime: Self.runtime()) { cli, _, endpoint in
            let wrong = "wrong-Secret-2b9d"
            let goodAuth = Data("alice:\(Self.password)".utf8).base64EncodedString()
            let wrongAuth = Data("alice:\(wrong)".utf8).base64EncodedString()
            let identityToken = "idtok-Secret-5d0e"
            let registryToken = "regtok-Secret-c4b8"
            let secrets = [Self.password, wrong, goodAuth, wrongAuth, identityToken, registryToken]
            let authFile = try cli.write(
                "tokens.json",
                #"{"auths": {"registry.example:5000": {"identitytoken": "\#(identityToken)", "registrytoken": "\#(registryToken)"}}}"#)
            let dockerConfig = try cli.write(
                "docker/config.json",
                #"{"auths": {"registry.example:5000": {"username": "alice", "password": "\#(wrong)"}}}"#)
            let runs: [(arguments: [String], environment: [String: String], succeeds: Bool)] = [
                (["--creds", "alice:\(Self.password)"], [:], true),
                (["--creds", "alice:\(wrong)"], [:], false),
                (["--auth", goodAuth], [:], true),
                (["--auth", wrongAuth], [:], false),
                ([], ["CRICTL_CREDS": "alice:\(wrong)"], false),
                ([], ["CRICTL_AUTH": wrongAuth], false),
                (["--authfile", authFile], [:], false),
                ([], ["DOCKER_CONFIG": URL(fileURLWithPath: dockerConfig).deletingLastPathComponent().path], false),
            ]
            for run in runs {
                for debug in [[], ["--debug"]] {
                    let result = try await cli.run(
                        endpoint + debug + ["pull"] + run.arguments + [Self.image], environment: run.environment)
                    let label = "\(debug + run.arguments) \(run.environment)"
                    #expect((result.status == 0) == run.succeeds, "\(label): \(result.stderr)")
                    for secret in secrets {
                        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(label) shows \(secret)")
                    }
                    if !debug.isEmpty {
                        #expect(result.stderr.contains("PullImage") && result.stderr.contains("<redacted>"), "\(label): \(result.stderr)")
                    }
                }
            }
        }
    }
}
