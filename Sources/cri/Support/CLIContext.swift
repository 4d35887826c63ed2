import CRI
import Foundation

/// Everything a command reads from outside its own flags: the global flags, the environment, and
/// whether a config file is consulted. Task-local, so `cri demo` can run commands in-process
/// against its own endpoint without touching the process environment.
struct CLIContext: Sendable {
    /// The global flags.
    var globals = GlobalOptions()
    /// The environment variables.
    var environment: [String: String] = [:]
    /// False to ignore crictl.yaml entirely (the demo).
    var readsConfigFile = true
    /// Print which default endpoint was picked (off in the demo, whose endpoint is explicit).
    var announcesDefaultEndpoint = true

    @TaskLocal static var current = CLIContext.fromProcess()

    /// The context of a normal run: the process environment.
    static func fromProcess() -> CLIContext {
        CLIContext(environment: ProcessInfo.processInfo.environment)
    }

    /// The environment variable `name`, nil when unset or empty.
    func env(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// Resolved connection settings, crictl's precedence: flag > environment > crictl.yaml > default.
struct CLISettings: Sendable {
    var runtimeEndpoint: String
    var imageEndpoint: String
    var timeout: Duration
    var debug: Bool
    var pullImageOnCreate: Bool
    var disablePullOnRun: Bool

    /// The default RPC timeout (crictl: 2 s on unix, 200 s on Windows).
    static var defaultTimeout: Duration {
        #if os(Windows) || CRI_WINDOWS_STANDIN
        .seconds(200)
        #else
        .seconds(2)
        #endif
    }

    /// Resolves the settings for the current context; endpoints are probed when none is configured.
    static func resolve(needsEndpoint: Bool = true) throws -> CLISettings {
        let context = CLIContext.current
        let file = try ConfigFile.loadForContext(context)
        let values = file?.values ?? ConfigFile.Values()
        var runtime = context.globals.runtimeEndpoint ?? context.env("CONTAINER_RUNTIME_ENDPOINT") ?? values.runtimeEndpoint
        if runtime == nil && needsEndpoint {
            runtime = try DefaultEndpointProbe.pick(announce: context.announcesDefaultEndpoint, context: context)
        }
        let image = context.globals.imageEndpoint ?? context.env("IMAGE_SERVICE_ENDPOINT") ?? values.imageEndpoint ?? runtime
        var timeout = context.globals.timeout ?? values.timeout.map { Duration.seconds($0) } ?? defaultTimeout
        if timeout <= .zero { timeout = defaultTimeout }
        return CLISettings(
            runtimeEndpoint: runtime ?? "",
            imageEndpoint: image ?? "",
            timeout: timeout,
            debug: context.globals.debug || values.debug,
            pullImageOnCreate: values.pullImageOnCreate,
            disablePullOnRun: values.disablePullOnRun
        )
    }

    /// Client options for these settings: the per-RPC timeout and, with `--debug`, a logger that
    /// prints each call's redacted request and response on stderr.
    func clientOptions(pullTimeout: Duration? = nil) -> CRIClientOptions {
        var options = CRIClientOptions()
        options.timeout = timeout
        options.pullImageTimeout = pullTimeout
        options.userAgent = "cri/0.1 (swift-cri)"
        if debug {
            options.logger = { record in CLIOutput.error("DEBU: \(record)") }
        }
        return options
    }
}

/// Runs `body` with a client for the configured endpoints.
func withRuntimeClient<Result>(
    pullTimeout: Duration? = nil,
    _ body: (CRIClient, CLISettings) async throws -> Result
) async throws -> Result {
    let settings = try CLISettings.resolve()
    let client = try CRIClient(
        endpoint: settings.runtimeEndpoint, imageEndpoint: settings.imageEndpoint,
        options: settings.clientOptions(pullTimeout: pullTimeout))
    defer { client.close() }
    return try await body(client, settings)
}
