import CRI
import Foundation
import Synchronization
import Testing

/// What one run of the `cri` binary did.
struct CLIRun: Sendable, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: String
    var stderr: String
    /// Whether the run was killed for outliving its timeout.
    var timedOut: Bool

    /// The non-empty lines of stdout.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// stdout as trimmed text (the ID `runp` and `create` print).
    var trimmed: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// stdout parsed as JSON.
    func json() throws -> CLIJSON {
        try CLIJSON(parsing: stdout)
    }

    var description: String {
        "cri \(CLITranscript.shellLine(arguments)) exited \(status)\(timedOut ? " (killed: timed out)" : "")\n"
            + "stdout: \(stdout)\nstderr: \(stderr)"
    }
}

/// A parsed JSON document, read by dotted paths (`status.state`, `items.0.id`).
struct CLIJSON {
    /// What JSONSerialization returned: dictionaries, arrays, strings, numbers, booleans, NSNull.
    let root: Any

    init(parsing text: String) throws {
        root = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    init(root: Any) {
        self.root = root
    }

    /// The value at `path` (object keys and array indexes separated by dots), or nil.
    subscript(_ path: String) -> CLIJSON? {
        var current = root
        for key in path.split(separator: ".") {
            if let object = current as? [String: Any], let next = object[String(key)] {
                current = next
            } else if let array = current as? [Any], let index = Int(key), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return CLIJSON(root: current)
    }

    var string: String? { root as? String }
    var bool: Bool? { root as? Bool }
    var array: [CLIJSON] { (root as? [Any])?.map(CLIJSON.init(root:)) ?? [] }
}

/// One CLI test's scratch directory, config files and runs of the built `cri` binary against the
/// lab. The binary reads its endpoints from a crictl.yaml written here (`CRI_CONFIG_FILE`), with
/// an otherwise empty environment: no endpoint variables, no system config, no default sockets.
struct CLISession: Sendable {
    let lab: LabEnvironment
    /// Unique per test; pods carry it as the value of the ``labelKey`` label, so cleanup finds them.
    let name: String
    /// The scratch directory (config files, captured output).
    let directory: String
    /// The environment every run gets.
    let environment: [String: String]

    /// The pod label that marks what a CLI test created.
    static let labelKey = "swift-cri-e2e-cli"

    init(lab: LabEnvironment, name: String) throws {
        self.lab = lab
        self.name = name
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cri-\(name)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // timeout: the per-call deadline; crictl's 2 s default is tight for RunPodSandbox on a busy machine.
        let config = "runtime-endpoint: \(lab.endpoint)\nimage-endpoint: \(lab.endpoint)\ntimeout: 30\n"
        try config.write(toFile: directory + "/crictl.yaml", atomically: true, encoding: .utf8)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory,
            "CRI_CONFIG_FILE": directory + "/crictl.yaml",
            "CRI_DEFAULT_ENDPOINTS": "unix://\(directory)/no-default.sock",
        ].merging(sanitizerEnvironment()) { own, _ in own }
    }

    /// The pod's `log_directory` (container log paths are relative to it).
    var podLogDirectory: String { "\(lab.logDirectory)/\(name)" }

    /// Writes a file in the scratch directory and returns its path.
    @discardableResult
    func write(_ fileName: String, _ text: String) throws -> String {
        let path = directory + "/" + fileName
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `cri arguments...` (stdin from `stdin`, else empty) and records it in the transcript.
    /// A run that outlives `timeout` is killed and reported with ``CLIRun/timedOut``; `onStart` gets the process ID.
    func cri(
        _ arguments: [String], stdin: String = "", environment extra: [String: String] = [:],
        timeout: Duration = .seconds(60), onStart: (@Sendable (Int32) -> Void)? = nil
    ) async throws -> CLIRun {
        guard FileManager.default.isExecutableFile(atPath: CLIBinary.url.path) else {
            throw CLISessionError("the cri binary is missing at \(CLIBinary.url.path); run `swift build` first")
        }
        let started = ContinuousClock.now
        let run = try await CLIProcess.run(
            CLIBinary.url, arguments, environment: environment.merging(extra) { _, new in new },
            directory: directory, stdin: stdin, timeout: timeout, started: onStart)
        CLITranscript.append(transcriptEntry(run, stdin: stdin, extra: extra, elapsed: ContinuousClock.now - started))
        return run
    }

    /// Runs `cri arguments...` and requires exit status 0 (the failure shows the whole run).
    @discardableResult
    func succeed(
        _ arguments: [String], stdin: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CLIRun {
        let run = try await cri(arguments, stdin: stdin)
        try #require(run.status == 0 && !run.timedOut, "\(run)", sourceLocation: sourceLocation)
        return run
    }

    /// Notes a step in the transcript (a test's name, a cleanup).
    func note(_ text: String) {
        CLITranscript.append("# [\(name)] \(text)")
    }

    private func transcriptEntry(_ run: CLIRun, stdin: String, extra: [String: String], elapsed: Duration) -> String {
        let environment = extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value) " }.joined()
        var entry = "$ \(environment)cri \(CLITranscript.shellLine(run.arguments))"
        if !stdin.isEmpty { entry += "    # stdin: \(stdin.debugDescription)" }
        entry += "\n"
        if !run.stdout.isEmpty { entry += run.stdout.hasSuffix("\n") ? run.stdout : run.stdout + "\n" }
        if !run.stderr.isEmpty {
            let text = run.stderr.hasSuffix("\n") ? String(run.stderr.dropLast()) : run.stderr
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) { entry += "stderr| \(line)\n" }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        entry += "[exit \(run.status)\(run.timedOut ? ", killed after timing out" : ""), \(String(format: "%.2f", seconds))s]"
        return entry
    }
}

/// Runs `body` with a fresh ``CLISession`` named after `base`, then removes — whether `body`
/// succeeded or not — every pod labelled with the session's name (with its containers), the
/// `images`, the pods' log directory and the scratch directory.
///
/// Cleanup uses the library client, not the CLI under test, so a broken `cri` cannot leave pods
/// behind, and runs in a task of its own so a cancelled (timed-out) test still cleans up.
func withCLISession<Result>(
    _ base: String,
    removingImages images: [String] = [],
    isolation: isolated (any Actor)? = #isolation,
    _ body: (CLISession) async throws -> Result
) async throws -> Result {
    let lab = try LabEnvironment.require()
    let session = try CLISession(lab: lab, name: uniqueName("cli-\(base)"))
    session.note("start")
    let result: Swift.Result<Result, any Error>
    do {
        result = .success(try await body(session))
    } catch {
        result = .failure(error)
    }
    await Task { await cleanUp(session, images: images) }.value
    return try result.get()
}

private func cleanUp(_ session: CLISession, images: [String]) async {
    let lab = session.lab
    do {
        try await lab.withClient { cri in
            let filter = PodSandboxFilter { $0.labelSelector = [CLISession.labelKey: session.name] }
            let pods = try await cri.listPodSandbox(filter: filter)
            for pod in pods { await lab.removePod(cri, id: pod.id) }
            // RemoveImage is idempotent: an image the test already removed is fine.
            for image in images { try await cri.removeImage(image) }
            session.note("cleanup: \(pods.count) pod(s) left to remove, images \(images) removed")
        }
    } catch {
        Issue.record("cleanup of \(session.name) failed: \(error)")
    }
    try? FileManager.default.removeItem(atPath: session.podLogDirectory)
    try? FileManager.default.removeItem(atPath: session.directory)
}

/// The `cri` executable `swift build` put next to the test bundle (`.build/<triple>/debug/cri`).
enum CLIBinary {
    static let url: URL = {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cri")]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("cri"))
        }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/cri"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()
}

/// A CLI test could not run a command.
struct CLISessionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The sanitizer runtime's settings from the test process's environment (empty outside sanitizer runs), so a
/// `cri` child built with `--sanitize=thread|address` reports (and fails) under the same options as the test
/// binary: `TSAN_OPTIONS`/`ASAN_OPTIONS`/... and the `LD_PRELOAD`ed Mutex annotations of Scripts/test.sh.
func sanitizerEnvironment() -> [String: String] {
    let names = ["LD_PRELOAD", "TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"]
    return ProcessInfo.processInfo.environment.filter { names.contains($0.key) }
}

/// `CRI_TEST_TIME_SCALE` (default 1): Scripts/test.sh raises it for the sanitizer runs, which slow every step
/// 2-15x, so a bound on how long something takes is multiplied by it (as in CRIHostileTests).
let endToEndTimeScale: Int =
    ProcessInfo.processInfo.environment["CRI_TEST_TIME_SCALE"].flatMap(Int.init).map { max(1, $0) } ?? 1
