import CRI
import Foundation

/// Reads CRI log files (`<RFC3339Nano> <stream> <P|F> <content>`), joining partial lines, and
/// prints them with `crictl logs`' options.
struct LogReader {
    struct Options {
        var tail: Int?
        var since: CRITimestamp?
        var timestamps = false
        var limitBytes: Int?
        var stream: CRILogLine.Stream?
    }

    let options: Options
    private var pendingPartial: [CRILogLine.Stream: (timestamp: CRITimestamp, content: [UInt8])] = [:]
    private var written = 0

    init(options: Options) {
        self.options = options
    }

    /// Whether `--limit-bytes` has been reached.
    var isExhausted: Bool {
        guard let limit = options.limitBytes else { return false }
        return written >= limit
    }

    /// Prints the complete lines among `lines` (raw file lines), honouring `--tail` when `applyTail`.
    mutating func emit(rawLines: [ArraySlice<UInt8>], applyTail: Bool) {
        var messages: [(CRILogLine.Stream, CRITimestamp, [UInt8])] = []
        for raw in rawLines where !raw.isEmpty {
            guard let line = CRILogLine(parsing: raw) else {
                // Not CRI format (e.g. a docker json-file line): pass through as stdout.
                messages.append((.stdout, CRITimestamp(nanosecondsSinceEpoch: 0), Array(raw) + [0x0A]))
                continue
            }
            if line.isPartial {
                var pending = pendingPartial[line.stream] ?? (line.timestamp, [])
                pending.content += line.content
                pendingPartial[line.stream] = pending
                continue
            }
            var content = line.content
            var timestamp = line.timestamp
            if let pending = pendingPartial.removeValue(forKey: line.stream) {
                content = pending.content + content
                timestamp = pending.timestamp
            }
            messages.append((line.stream, timestamp, content + [0x0A]))
        }
        messages = messages.filter { message in
            if let stream = options.stream, message.0 != stream { return false }
            if let since = options.since, message.1.nanosecondsSinceEpoch != 0, message.1 < since { return false }
            return true
        }
        if applyTail, let tail = options.tail, tail >= 0 { messages = Array(messages.suffix(tail)) }
        for (stream, timestamp, content) in messages {
            var bytes = content
            if options.timestamps { bytes = Array((timestamp.rfc3339NanoFixed + " ").utf8) + bytes }
            if let limit = options.limitBytes {
                guard written < limit else { return }
                bytes = Array(bytes.prefix(limit - written))
            }
            written += bytes.count
            if stream == .stderr {
                CLIOutput.writeErrorBytes(bytes)
            } else {
                CLIOutput.writeBytes(bytes)
            }
        }
    }
}

/// A log file being read, possibly followed across rotations.
final class LogFile {
    let path: String
    private var handle: FileHandle?
    private var inode: UInt64 = 0
    private var leftover: [UInt8] = []

    init(path: String) throws {
        self.path = path
        try reopen()
    }

    /// Opens (again) `path`, remembering its inode.
    func reopen() throws {
        try? handle?.close()
        guard let opened = FileHandle(forReadingAtPath: path) else {
            throw CLIFailure("cannot open log file \(path) (logs are read from the runtime host's filesystem)")
        }
        handle = opened
        inode = Self.inode(of: path) ?? 0
        leftover = []
    }

    /// Whether `path` now names a different file (rotation) than the one open.
    var wasRotated: Bool {
        guard let current = Self.inode(of: path) else { return false }
        return current != inode
    }

    /// Complete lines read since the last call (a trailing incomplete line is kept for later).
    func readLines() -> [ArraySlice<UInt8>] {
        guard let handle else { return [] }
        // Truncated in place (copytruncate rotation): start over from the beginning.
        if let size = Self.size(of: handle), let offset = try? handle.offset(), size < offset {
            try? handle.seek(toOffset: 0)
            leftover = []
        }
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return [] }
        leftover += Array(data)
        guard let lastNewline = leftover.lastIndex(of: 0x0A) else { return [] }
        let complete = Array(leftover[...lastNewline])
        leftover = Array(leftover[(lastNewline + 1)...])
        return complete.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
    }

    /// Whatever is left without a final newline (at the end of a non-followed read).
    func takeRemainder() -> [ArraySlice<UInt8>] {
        defer { leftover = [] }
        return leftover.isEmpty ? [] : [leftover[...]]
    }

    /// The size of the open file (not of whatever `path` names now).
    private static func size(of handle: FileHandle) -> UInt64? {
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0 else { return nil }
        return UInt64(info.st_size)
    }

    private static func inode(of path: String) -> UInt64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let number = attributes[.systemFileNumber] as? NSNumber
        else { return nil }
        return number.uint64Value
    }
}
