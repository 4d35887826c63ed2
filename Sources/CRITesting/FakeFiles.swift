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

    /// The contents of `path`, or nil when it cannot be read or exceeds `limit` bytes.
    static func read(path: String, limit: Int = 16 << 20) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
            if bytes.count > limit { return nil }
        }
    }

    /// The names in directory `path` (without `.` and `..`), or nil when it is not a readable directory.
    static func entries(ofDirectory path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
