import CRI
import CRITesting
import Foundation
import Testing

/// What one run of the `cri` binary produced.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as JSON.
    func json() throws -> JSONValue {
        try JSONParser.parse(stdout)
    }

    /// The non-empty lines of stdout.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs the built `cri` executable as a child process, with a clean environment (no system
/// crictl.yaml, no inherited endpoint variables, no system sockets probed).
struct CLIHarness: Sendable {
    /// A scratch directory for this test (config files, logs).
    let directory: String
    /// The environment every run gets, before per-run additions.
    var environment: [String: String]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cri-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let emptyConfig = directory + "/crictl.yaml"
        _ = FileManager.default.createFile(atPath: emptyConfig, contents: Data())
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory,
            "CRI_CONFIG_FILE": emptyConfig,
            "CRI_DEFAULT_ENDPOINTS": "unix://\(directory)/none.sock",
        ].merging(sanitizerEnvironment()) { own, _ in own }
    }

    /// Removes the scratch directory.
    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes a file in the scratch directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The `cri` binary next to the test bundle (`.build/<triple>/debug/cri`).
    static let binary: URL = {
        let besideRunner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [besideRunner.appendingPathComponent("cri")]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("cri"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/cri"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// Runs `cri arguments...` and waits for it (killing it after `timeout` seconds).
    func run(
        _ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil,
        timeout: TimeInterval = 60
    ) async throws -> CLIResult {
        let running = try start(arguments, environment: extra, stdin: stdin)
        return await running.finish(timeout: timeout)
    }

    /// Starts `cri arguments...` without waiting.
    func start(_ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil) throws -> RunningCLI {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw CLIHarnessError(message: "the cri binary is missing at \(Self.binary.path); run `swift build` first")
        }
        return try start(executable: Self.binary, arguments, environment: extra, stdin: stdin)
    }

    /// Starts any executable with the harness's environment and directory. With `interactive`, stdin stays open
    /// for ``RunningCLI/type(_:)`` (and is closed when the process is finished).
    func start(
        executable: URL, _ arguments: [String], environment extra: [String: String] = [:], stdin: String? = nil,
        interactive: Bool = false
    ) throws -> RunningCLI {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(extra) { _, new in new }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        if interactive { return RunningCLI(process: process, output: output, errors: errors, input: input.fileHandleForWriting) }
        try? input.fileHandleForWriting.close()
        return RunningCLI(process: process, output: output, errors: errors)
    }
}

struct CLIHarnessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A `cri` process started by ``CLIHarness/start(_:environment:stdin:)``; output is collected on
/// dedicated threads so no Swift concurrency thread blocks (the fake server shares that pool).
final class RunningCLI: @unchecked Sendable {
    let process: Process
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()
    private let group = DispatchGroup()
    /// The write end of stdin, for interactive runs.
    private let input: FileHandle?

    init(process: Process, output: Pipe, errors: Pipe, input: FileHandle? = nil) {
        self.process = process
        self.input = input
        for (pipe, isError) in [(output, false), (errors, true)] {
            group.enter()
            let handle = pipe.fileHandleForReading
            Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    lock.withLock {
                        if isError { stderrData.append(chunk) } else { stdoutData.append(chunk) }
                    }
                }
                group.leave()
            }.start()
        }
    }

    /// What stdout holds so far.
    var stdoutSoFar: String { lock.withLock { String(decoding: stdoutData, as: UTF8.self) } }
    /// What stderr holds so far.
    var stderrSoFar: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }

    /// Waits until stdout (or, with `onStderr`, stderr) contains `text`, failing after `timeout` seconds or when the
    /// process exits without it.
    func waitForOutput(containing text: String, onStderr: Bool = false, timeout: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !(onStderr ? stderrSoFar : stdoutSoFar).contains(text) {
            guard Date() < deadline, process.isRunning else {
                throw CLIHarnessError(message: "no \(text) in output; stdout: \(stdoutSoFar) stderr: \(stderrSoFar)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Writes `text` to the process's stdin (interactive runs only).
    func type(_ text: String) {
        input?.write(Data(text.utf8))
    }

    /// Sends a signal.
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for exit (terminating the process after `timeout` seconds) and for all output.
    func finish(timeout: TimeInterval = 60) async -> CLIResult {
        let process = process
        let group = group
        return await withCheckedContinuation { continuation in
            Thread { [self] in
                let deadline = Date().addingTimeInterval(timeout)
                while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                try? input?.close()
                group.wait()
                let result = lock.withLock {
                    CLIResult(
                        status: process.terminationStatus,
                        stdout: String(decoding: stdoutData, as: UTF8.self),
                        stderr: String(decoding: stderrData, as: UTF8.self))
                }
                continuation.resume(returning: result)
            }.start()
        }
    }
}

/// Runs `body` with a fresh harness and a fake runtime; the third argument is `["-r", endpoint]`.
func withCLI<Result>(
    runtime: FakeRuntime = FakeRuntime(),
    _ body: (CLIHarness, FakeCRIServer, [String]) async throws -> Result
) async throws -> Result {
    let harness = try CLIHarness()
    defer { harness.cleanUp() }
    return try await withFakeCRIServer(runtime: runtime) { server in
        try await body(harness, server, ["-r", server.endpoint])
    }
}

/// The value at a dotted path of object keys and array indexes (`status.metadata.name`, `items.0.id`).
func value(_ json: JSONValue, _ path: String) -> JSONValue? {
    var current = json
    for key in path.split(separator: ".") {
        if let index = Int(key), case .array(let items) = current {
            guard index < items.count else { return nil }
            current = items[index]
            continue
        }
        guard case .object(let members) = current, let member = members.last(where: { $0.key == key }) else { return nil }
        current = member.value
    }
    return current
}

/// The string at a path, or nil.
func string(_ json: JSONValue, _ path: String) -> String? {
    if case .string(let text)? = value(json, path) { return text }
    return nil
}

/// The number of items of the array at a path (0 when not an array).
func count(_ json: JSONValue, _ path: String) -> Int {
    if case .array(let items)? = value(json, path) { return items.count }
    return 0
}

/// The keys of the object at a path.
func keys(_ json: JSONValue, _ path: String = "") -> [String] {
    let target = path.isEmpty ? json : value(json, path)
    if case .object(let members)? = target { return members.map(\.key) }
    return []
}

/// Pod and container configs the tests write.
enum Fixtures {
    static func podYAML(name: String = "web", namespace: String = "default", logDirectory: String, extra: String = "") -> String {
        """
        metadata:
          name: \(name)
          namespace: \(namespace)
        log_directory: \(logDirectory)
        labels:
          app: \(name)
        \(extra)
        """
    }

    static func containerYAML(name: String = "shell", command: String = "echo out-line; echo err-line >&2; sleep 3600") -> String {
        """
        metadata:
          name: \(name)
        image:
          image: busybox
        command: [sh, -c, "\(command)"]
        log_path: \(name)/0.log
        """
    }
}

extension CLIHarness {
    /// Runs a pod, pulls busybox and creates and starts a container via the CLI; returns (podID, containerID).
    func startWorkload(_ endpoint: [String], podName: String = "web", containerName: String = "shell") async throws -> (String, String) {
        try write("pod-\(podName).yaml", Fixtures.podYAML(name: podName, logDirectory: directory + "/logs"))
        try write("ctr-\(containerName).yaml", Fixtures.containerYAML(name: containerName))
        let runp = try await run(endpoint + ["runp", "pod-\(podName).yaml"])
        try #require(runp.status == 0, "runp: \(runp.stderr)")
        let podID = runp.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let pull = try await run(endpoint + ["pull", "busybox"])
        try #require(pull.status == 0, "pull: \(pull.stderr)")
        let create = try await run(endpoint + ["create", podID, "ctr-\(containerName).yaml", "pod-\(podName).yaml"])
        try #require(create.status == 0, "create: \(create.stderr)")
        let containerID = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let start = try await run(endpoint + ["start", containerID])
        try #require(start.status == 0, "start: \(start.stderr)")
        return (podID, containerID)
    }
}

/// The sanitizer runtime's settings from the test process's environment (empty outside sanitizer runs), so a
/// `cri` child built with `--sanitize=thread|address` reports (and fails) under the same options as the test
/// binary: `TSAN_OPTIONS`/`ASAN_OPTIONS`/... and the `LD_PRELOAD`ed Mutex annotations of Scripts/test.sh.
func sanitizerEnvironment() -> [String: String] {
    let names = ["LD_PRELOAD", "TSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"]
    return ProcessInfo.processInfo.environment.filter { names.contains($0.key) }
}
