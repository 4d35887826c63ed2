/// An `http://host:port/path?query` URL of a runtime's streaming server, as returned in `ExecResponse.url`,
/// `AttachResponse.url` and `PortForwardResponse.url`.
///
/// Only plain `http` is supported: containerd and CRI-O serve streaming over plain HTTP on loopback by default.
public struct StreamingURL: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address, without brackets for IPv6.
    public var host: String
    /// The TCP port (80 when the URL gives none).
    public var port: UInt16
    /// The request target: the path (always starting with `/`) plus `?query` if any; no fragment.
    public var pathAndQuery: String

    /// Creates a URL from its parts.
    public init(host: String, port: UInt16, pathAndQuery: String) {
        self.host = host
        self.port = port
        self.pathAndQuery = pathAndQuery.hasPrefix("/") ? pathAndQuery : "/" + pathAndQuery
    }

    /// Parses `text`, resolving a relative URL (`/exec/abc`, as some runtimes return) against `base`.
    ///
    /// crictl resolves relative URLs against `http://127.0.0.1:10250` (kubelet's streaming address); callers that
    /// know better pass their own base.
    /// - Throws: ``StreamingError`` with code ``StreamingError/Code/invalidURL`` naming the text.
    public init(parsing text: String, relativeTo base: String? = nil) throws(StreamingError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw .invalidURL(text, "empty URL") }
        if let schemeEnd = trimmed.firstRange(of: "://") {
            let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else {
                if scheme == "https" {
                    throw StreamingError(
                        code: .unsupported, message: "\(quotedURL(text)): https streaming URLs are not supported (TLS)"
                    )
                }
                throw .invalidURL(text, "scheme \(quotedURL(scheme)) is not http")
            }
            try self.init(authorityAndPath: String(trimmed[schemeEnd.upperBound...]), original: text)
            return
        }
        guard let base else { throw .invalidURL(text, "relative URL and no base URL to resolve it against") }
        let baseURL = try StreamingURL(parsing: base)
        var path = trimmed
        if !path.hasPrefix("/") {
            // RFC 3986 § 5.2.3: merge with the base path up to its last slash.
            let basePath = baseURL.pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let directory = basePath.lastIndex(of: "/").map { basePath[...$0] } ?? "/"
            path = String(directory) + path
        }
        self.init(host: baseURL.host, port: baseURL.port, pathAndQuery: Self.removingFragment(path))
    }

    private init(authorityAndPath rest: String, original: String) throws(StreamingError) {
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var pathAndQuery = Self.removingFragment(String(rest[authorityEnd...]))
        if pathAndQuery.isEmpty || pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        guard !authority.contains("@") else { throw .invalidURL(original, "user information is not supported") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .invalidURL(original, "unterminated IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL(original, "junk after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .invalidURL(original, "no host") }
        var port: UInt16 = 80
        if let portText {
            guard let value = UInt16(portText), value > 0 else {
                throw .invalidURL(original, "invalid port \(quotedURL(String(portText)))")
            }
            port = value
        }
        self.init(host: String(host), port: port, pathAndQuery: pathAndQuery)
    }

    private static func removingFragment(_ text: String) -> String {
        text.firstIndex(of: "#").map { String(text[..<$0]) } ?? text
    }

    /// The value of the `Host` header (RFC 9112 § 3.2): brackets around IPv6, the port always.
    public var hostHeader: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// The path without the query.
    public var path: String {
        String(pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    /// `http://host:port/path?query` with the one-shot token of `/exec/`, `/attach/` and `/portforward/` URLs
    /// replaced by `<token>`: the token grants access to the container, so messages and logs never show it.
    public var description: String {
        let segments = pathAndQuery.split(separator: "/", omittingEmptySubsequences: false)
        // "", kind, token[?query]
        guard segments.count == 3, ["exec", "attach", "portforward"].contains(segments[1]) else {
            return unredacted
        }
        let query = segments[2].firstIndex(of: "?").map { String(segments[2][$0...]) } ?? ""
        return "http://\(hostHeader)/\(segments[1])/<token>\(query)"
    }

    /// `http://host:port/path?query` in full, token included (not for messages).
    public var unredacted: String { "http://\(hostHeader)\(pathAndQuery)" }

    /// This URL with `name=value` query parameters appended.
    package func appendingQuery(_ items: [(name: String, value: String)]) -> StreamingURL {
        guard !items.isEmpty else { return self }
        var result = self
        let query = items.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        result.pathAndQuery += (pathAndQuery.contains("?") ? "&" : "?") + query
        return result
    }

    /// The values of the query parameter `name`, in order (no percent-decoding: ports and tokens need none).
    package func queryValues(named name: String) -> [String] {
        let parts = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return [] }
        return parts[1].split(separator: "&").compactMap { pair in
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard keyValue[0] == name else { return nil }
            return keyValue.count == 2 ? String(keyValue[1]) : ""
        }
    }
}

extension StreamingError {
    @inline(never)
    static func invalidURL(_ text: String, _ reason: String) -> StreamingError {
        StreamingError(code: .invalidURL, message: "invalid streaming URL \(quotedURL(text)): \(reason)")
    }
}

/// `"text"`, for messages.
func quotedURL(_ text: String) -> String { "\"\(text)\"" }

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
