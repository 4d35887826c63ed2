#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes straight to file descriptors 1 and 2 (no stdio buffering), so stdout and stderr
/// interleave in the order the program wrote them; tests and the demo transcript rely on that.
enum CLIOutput {
    /// Writes `text` to stdout as is.
    static func write(_ text: String) {
        writeAll(1, Array(text.utf8))
    }

    /// Writes `text` and a newline to stdout.
    static func line(_ text: String = "") {
        writeAll(1, Array((text + "\n").utf8))
    }

    /// Writes raw bytes to stdout.
    static func writeBytes(_ bytes: some Collection<UInt8>) {
        writeAll(1, Array(bytes))
    }

    /// Writes raw bytes to stderr.
    static func writeErrorBytes(_ bytes: some Collection<UInt8>) {
        writeAll(2, Array(bytes))
    }

    /// Writes `text` and a newline to stderr.
    static func error(_ text: String) {
        writeAll(2, Array((text + "\n").utf8))
    }

    /// Writes `text` to stderr as is.
    static func errorText(_ text: String) {
        writeAll(2, Array(text.utf8))
    }

    /// `WARN: text` on stderr.
    static func warning(_ text: String) {
        error("WARN: " + text)
    }

    /// Whether the descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        if let capture {
            capture.append(descriptor, bytes)
            return
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// `write(2)`, named apart from ``CLIOutput/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
