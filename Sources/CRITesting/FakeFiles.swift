#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file operations the fake runtime needs (container logs, checkpoints), without Foundation.
enum FakeFiles {
    /// Creates `path`'s parent directories (mode 0755), ignoring ones that exist.
    static func makeParentDirectories(of path: String) {
        var prefix = ""
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for component in components {
            prefix += prefix.isEmpty && component.isEmpty ? "/" : (prefix.hasSuffix("/") ? "" : "/") + component
            if !prefix.isEmpty { _ = mkdir(prefix, 0o755) }
        }
    }

    /// Appends bytes to `path`, creating it (and its directories) when missing. Returns false on failure.
    @discardableResult
    static func append(path: String, bytes: [UInt8]) -> Bool {
        write(path: path, bytes: bytes, flags: O_WRONLY | O_CREAT | O_APPEND)
    }

    /// Replaces `path` with `bytes`. Returns false on failure.
    @discardableResult
    static func write(path: String, bytes: [UInt8]) -> Bool {
        write(path: path, bytes: bytes, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    private static func write(path: String, bytes: [UInt8], flags: Int32) -> Bool {
        makeParentDirectories(of: path)
        let descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
