import CRI
import CRITesting
import Synchronization
import Testing

/// Registry credentials (AuthConfig's `debug_redact` fields: password, auth, identity_token, registry_token) in
/// every rendering a program or person sees: descriptions, `dump`, errors, the call logger; on success and on
/// both failure paths (the runtime rejects them; the runtime echoes them back in its error message).
@Suite("Secrets stay out of descriptions, errors and logs")
struct SecretsTests {
    static let password = "pw-Secret-7f3a"
    static let authPassword = "auth-Secret-91c2"
    static let auth = Base64.encode(Array("robot:\(authPassword)".utf8))
    static let identityToken = "idtok-Secret-5d0e"
    static let registryToken = "regtok-Secret-c4b8"
    static let secrets = [password, authPassword, auth, identityToken, registryToken]

    static let credentials = AuthConfig {
        $0.username = "robot"
        $0.password = password
        $0.auth = auth
        $0.identityToken = identityToken
        $0.registryToken = registryToken
        $0.serverAddress = "registry.example:5000"
    }

    /// The secrets `text` contains.
    static func leaked(_ text: String) -> [String] {
        secrets.filter { text.contains($0) }
    }

    /// Every rendering of `value`: description, debugDescription, interpolation, and `dump` (Mirror).
    static func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    @Test func messagesRenderNoSecret() {
        var request = PullImageRequest()
        request.image = ImageSpec { $0.image = "registry.example:5000/app:1" }
        request.auth = Self.credentials
        for value in [Self.credentials, request] as [Any] {
            for text in Self.renderings(value) {
                #expect(Self.leaked(text).isEmpty, "\(text)")
                #expect(text.contains("robot"), "non-secret fields stay visible: \(text)")
            }
        }
        var mirrored = ""
        dump(Self.credentials, to: &mirrored)
        #expect(mirrored.contains("<redacted>"), "\(mirrored)")
    }

    /// Pulls with ``credentials`` through a client whose logger records every call; returns the error, if any,
    /// and the records.
    func pull(_ runtime: FakeRuntime) async throws -> (CRIError?, [CRICallRecord]) {
        let records = Mutex<[CRICallRecord]>([])
        var options = CRIClientOptions()
        options.logger = { record in records.withLock { $0.append(record) } }
        let error = try await withFakeCRIServer(runtime: runtime) { server in
            try await withCRIClient(endpoint: server.endpoint, options: options) { cri -> CRIError? in
                do {
                    _ = try await cri.pullImage("registry.example:5000/app:1", auth: Self.credentials)
                    return nil
                } catch let error as CRIError {
                    return error
                }
            }
        }
        return (error, records.withLock { $0 })
    }

    /// Checks an error and the logged records for secrets.
    func expectNoSecret(in error: CRIError?, _ records: [CRICallRecord]) {
        if let error {
            var texts = Self.renderings(error) + [error.message]
            if let cause = error.cause { texts += Self.renderings(cause) }
            for text in texts { #expect(Self.leaked(text).isEmpty, "\(text)") }
        }
        #expect(!records.isEmpty)
        for record in records {
            for text in Self.renderings(record) + [record.request, record.response ?? ""] {
                #expect(Self.leaked(text).isEmpty, "\(text)")
            }
            #expect(record.request.contains("password: <redacted>"), "\(record.request)")
        }
    }

    @Test func acceptedCredentialsAreNotLogged() async throws {
        var configuration = FakeRuntime.Configuration()
        // The fake, like containerd, uses `auth` when it is set.
        configuration.registryCredentials = ["registry.example:5000": (username: "robot", password: Self.authPassword)]
        let (error, records) = try await pull(FakeRuntime(configuration: configuration))
        #expect(error == nil)
        expectNoSecret(in: error, records)
    }

    @Test func rejectedCredentialsAreNotInTheError() async throws {
        var configuration = FakeRuntime.Configuration()
        configuration.registryCredentials = ["registry.example:5000": (username: "robot", password: "another")]
        let (error, records) = try await pull(FakeRuntime(configuration: configuration))
        #expect(error?.message.contains("401 Unauthorized") == true)
        expectNoSecret(in: error, records)
    }

    /// A runtime (or the registry error it passes on) that repeats the credentials: the client redacts them
    /// before the error reaches the logger or the caller.
    @Test func credentialsEchoedByTheRuntimeAreRedacted() async throws {
        let runtime = FakeRuntime()
        let echo = "pull failed for robot with \(Self.secrets.joined(separator: " and "))"
        await runtime.inject(.error(.unknown, message: echo), into: "PullImage")
        let (error, records) = try await pull(runtime)
        #expect(error?.code == .unknown)
        #expect(error?.message.hasPrefix("pull failed for robot with <redacted>") == true, "\(String(describing: error))")
        expectNoSecret(in: error, records)
    }
}
