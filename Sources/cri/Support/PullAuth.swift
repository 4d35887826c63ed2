import ArgumentParser
import CRI
import Foundation

/// The pull credential flags of `pull`, `create` and `run`.
struct PullOptions: ParsableArguments {
    @Option(name: .long, help: "Registry credentials USERNAME[:PASSWORD] (env CRICTL_CREDS).")
    var creds: String?

    @Option(name: .long, help: "Registry credentials as base64 of USERNAME:PASSWORD (env CRICTL_AUTH).")
    var auth: String?

    @Option(name: [.customShort("u"), .long], help: "Registry username; the password is prompted for without echo.")
    var username: String?

    @Option(name: .long, help: "A docker/podman auth file (config.json, auth.json) to take credentials from.")
    var authfile: String?

    @Option(name: [.customLong("pull-timeout"), .customLong("pt")], help: "Deadline of the pull, e.g. 5m (0 = none; env CRICTL_PULL_TIMEOUT).")
    var pullTimeout: String?

    /// The pull deadline; nil for none.
    func timeout() throws -> Duration? {
        guard let text = pullTimeout ?? CLIContext.current.env("CRICTL_PULL_TIMEOUT") else { return nil }
        guard let duration = GoDuration.parse(text, bareNumberUnit: .seconds) else {
            throw CLIFailure("invalid --pull-timeout \(quoted(text)): use a duration such as 90s or 5m")
        }
        return duration > .zero ? duration : nil
    }

    /// The credentials for pulling `image`, or nil for an anonymous pull.
    func authConfig(for image: String) throws -> AuthConfig? {
        let context = CLIContext.current
        let creds = self.creds ?? context.env("CRICTL_CREDS")
        let auth = self.auth ?? context.env("CRICTL_AUTH")
        if creds != nil && auth != nil {
            throw CLIFailure("--creds and --auth cannot be used together")
        }
        if let username {
            guard !username.isEmpty else { throw CLIFailure("--username must not be empty") }
            var config = AuthConfig()
            config.username = username
            config.password = try Terminal.readSecret(prompt: "Enter Password:")
            return config
        }
        if let creds {
            let parts = creds.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = parts.first, !user.isEmpty else {
                throw CLIFailure("--creds needs a username: USERNAME[:PASSWORD]")
            }
            var config = AuthConfig()
            config.username = String(user)
            config.password = parts.count > 1 ? String(parts[1]) : try Terminal.readSecret(prompt: "Enter Password:")
            return config
        }
        if let auth {
            var config = AuthConfig()
            config.auth = auth
            return config
        }
        let registry = Self.registry(of: image)
        if let authfile {
            guard let found = try Self.lookup(registry: registry, inFile: authfile, required: true) else {
                CLIOutput.warning("\(authfile) has no credentials for \(registry); pulling anonymously")
                return nil
            }
            return found
        }
        for path in Self.dockerConfigPaths(context) {
            if let found = try Self.lookup(registry: registry, inFile: path, required: false) { return found }
        }
        return nil
    }

    /// The registry host of an image reference (`docker.io` when none is named).
    static func registry(of image: String) -> String {
        guard let slash = image.firstIndex(of: "/") else { return "docker.io" }
        let first = image[..<slash]
        return first.contains(".") || first.contains(":") || first == "localhost" ? String(first) : "docker.io"
    }

    static func dockerConfigPaths(_ context: CLIContext) -> [String] {
        var paths: [String] = []
        if let directory = context.env("DOCKER_CONFIG") { paths.append(directory + "/config.json") }
        if let home = context.env("HOME") { paths.append(home + "/.docker/config.json") }
        return paths
    }

    /// `auths[registry].auth` (or username/password) from a docker-style config file.
    static func lookup(registry: String, inFile path: String, required: Bool) throws -> AuthConfig? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required { throw CLIFailure("cannot read auth file \(path)") }
            return nil
        }
        guard case .object(let top)? = try? JSONParser.parse(Array(data)) else {
            throw CLIFailure("\(path) is not a JSON object")
        }
        guard case .object(let auths)? = top.first(where: { $0.key == "auths" })?.value else { return nil }
        var names = [registry, "https://\(registry)", "http://\(registry)"]
        if registry == "docker.io" {
            names += ["https://index.docker.io/v1/", "index.docker.io", "registry-1.docker.io"]
        }
        for name in names {
            guard case .object(let entry)? = auths.first(where: { $0.key == name || $0.key == name + "/" })?.value
            else { continue }
            var config = AuthConfig()
            for member in entry {
                guard case .string(let text) = member.value else { continue }
                switch member.key {
                case "auth": config.auth = text
                case "username": config.username = text
                case "password": config.password = text
                case "identitytoken": config.identityToken = text
                case "registrytoken": config.registryToken = text
                default: break
                }
            }
            config.serverAddress = registry
            if config.auth.isEmpty && config.username.isEmpty && config.identityToken.isEmpty && config.registryToken.isEmpty {
                continue
            }
            return config
        }
        return nil
    }
}
