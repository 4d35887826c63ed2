import ArgumentParser
import CRI
import Foundation

/// `cri logs ID`: prints a container's log from its `log_path` on this host.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Fetch the logs of a container.")

    @Flag(name: .shortAndLong, help: "Follow the log until the container stops.") var follow = false
    @Flag(name: .shortAndLong, help: "Print the log of the previous instance (attempt - 1).") var previous = false
    @Flag(name: .shortAndLong, help: "Ask the runtime to reopen the log file first (ReopenContainerLog).") var reopen = false
    @Option(help: "Number of lines to show from the end (-1 = all).") var tail: Int = -1
    @Option(help: "Only lines since this time (RFC 3339) or for this long (10m, 1h).") var since: String?
    @Flag(name: .shortAndLong, help: "Prefix each line with its timestamp.") var timestamps = false
    @Option(help: "Stop after this many bytes.") var limitBytes: Int = -1
    @Option(name: .shortAndLong, help: "Only this stream: stdout or stderr.") var stream: String?
    @Argument(help: "The container ID (or unique prefix).") var containerID: String

    func run() async throws {
        var options = LogReader.Options()
        options.tail = tail >= 0 ? tail : nil
        options.timestamps = timestamps
        options.limitBytes = limitBytes >= 0 ? limitBytes : nil
        if let stream {
            guard let parsed = CRILogLine.Stream(rawValue: stream) else {
                throw CLIFailure("invalid --stream \(quoted(stream)): use stdout or stderr")
            }
            options.stream = parsed
        }
        if let since { options.since = try Self.parseSince(since) }
        try await withRuntimeClient { client, _ in
            if reopen {
                var request = ReopenContainerLogRequest()
                request.containerID = containerID
                _ = try await client.reopenContainerLog(request)
            }
            let status = try await client.containerStatus(id: containerID).status ?? ContainerStatus()
            var path = status.logPath
            guard !path.isEmpty else {
                throw CLIFailure("container \(containerID) has no log path (the pod config needs log_directory and the container log_path)")
            }
            if previous { path = try Self.previousPath(path) }
            let file = try LogFile(path: path)
            var reader = LogReader(options: options)
            reader.emit(rawLines: file.readLines(), applyTail: true)
            guard follow && !previous else {
                reader.emit(rawLines: file.takeRemainder(), applyTail: false)
                return
            }
            var lastCheck = ContinuousClock.now
            while !reader.isExhausted {
                try await Task.sleep(for: .milliseconds(200))
                reader.emit(rawLines: file.readLines(), applyTail: false)
                if file.wasRotated {
                    reader.emit(rawLines: file.readLines(), applyTail: false)
                    try? file.reopen()
                    continue
                }
                if ContinuousClock.now - lastCheck >= .seconds(1) {
                    lastCheck = ContinuousClock.now
                    if try await !Self.isRunning(client, containerID) {
                        reader.emit(rawLines: file.readLines(), applyTail: false)
                        reader.emit(rawLines: file.takeRemainder(), applyTail: false)
                        return
                    }
                }
            }
        }
    }

    /// RUNNING (or unreachable for now, as crictl treats UNAVAILABLE) keeps a follow going.
    static func isRunning(_ client: CRIClient, _ id: String) async throws -> Bool {
        do {
            return try await client.containerStatus(id: id).status?.state == .containerRunning
        } catch let error as CRIError where error.isUnavailable {
            return true
        } catch let error as CRIError where error.isNotFound {
            return false
        }
    }

    /// `<dir>/<attempt>.log` → `<dir>/<attempt-1>.log`.
    static func previousPath(_ path: String) throws -> String {
        guard let slash = path.lastIndex(of: "/") else { throw CLIFailure("cannot derive the previous log of \(path)") }
        let name = path[path.index(after: slash)...]
        guard name.hasSuffix(".log"), let attempt = Int(name.dropLast(4)), attempt > 0 else {
            throw CLIFailure("--previous needs a log path like <dir>/<attempt>.log with attempt > 0, not \(path)")
        }
        return path[...slash] + "\(attempt - 1).log"
    }

    /// RFC 3339, or a Go duration counted back from now.
    static func parseSince(_ text: String) throws -> CRITimestamp {
        if let timestamp = CRITimestamp(rfc3339: text) { return timestamp }
        guard let duration = GoDuration.parse(text) else {
            throw CLIFailure("invalid --since \(quoted(text)): use RFC 3339 (2024-01-02T15:04:05Z) or a duration (10m, 1h)")
        }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let (seconds, attoseconds) = duration.components
        return CRITimestamp(nanosecondsSinceEpoch: now - seconds * 1_000_000_000 - attoseconds / 1_000_000_000)
    }
}
