extension Endpoint {
    /// Parses an endpoint with crictl/kubelet semantics.
    ///
    /// Accepted forms:
    /// - `unix:///run/containerd/containerd.sock` (also `unix:/path`); a bare absolute path `/run/x.sock` is
    ///   accepted with a ``deprecationNote``, as kubelet's `parseEndpointWithFallbackProtocol` does.
    /// - `tcp://127.0.0.1:port`, `tcp://[::1]:port`, `tcp://localhost:port`.
    /// - `npipe:////./pipe/NAME`, `npipe://./pipe/NAME`, and backslash spellings (`npipe:\\.\pipe\NAME`, bare
    ///   `\\.\pipe\NAME`), all resolving to `\\.\pipe\NAME` as kubelet's `util_windows.go` does.
    ///
    /// - Throws: ``TransportError`` with code ``TransportError/Code/invalidEndpoint``; the message quotes the
    ///   endpoint and, where one was resolved, the path.
    package init(parsing text: String) throws(TransportError) {
        guard !text.isEmpty else { throw .invalidEndpoint(text, "endpoint is empty") }
        // Go's url.Parse rejects ASCII control characters; a NUL would also truncate a socket path.
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .invalidEndpoint(text, "endpoint contains a control character")
        }
        // kubelet util_windows.go: "url.Parse doesn't recognize \, so replace with / first." Only pipe forms
        // use this spelling; unix paths keep their bytes.
        let slashed = String(text.map { $0 == "\\" ? "/" : $0 })
        let (scheme, rest) = splitScheme(slashed)
        switch scheme.lowercased() {
        case "":
            if slashed.hasPrefix("//") {
                self = try Self.parseNamedPipe(original: text, afterScheme: slashed)
                deprecationNote = Self.deprecation(text, canonicalURL)
            } else if text.hasPrefix("/") {
                self = try Self.parseUnix(original: text, afterScheme: "//" + text)
                deprecationNote = Self.deprecation(text, canonicalURL)
            } else {
                throw .invalidEndpoint(
                    text,
                    "unix socket path \(quoted(text)) is relative; use an absolute path in URL form "
                        + "unix:///path/to/socket"
                )
            }
        case "unix":
            self = try Self.parseUnix(original: text, afterScheme: String(splitScheme(text).rest))
        case "tcp":
            self = try Self.parseTCP(original: text, afterScheme: rest)
        case "npipe":
            self = try Self.parseNamedPipe(original: text, afterScheme: rest)
        default:
            throw .invalidEndpoint(text, "protocol \(quoted(scheme.lowercased())) not supported")
        }
    }

    @inline(never)
    private static func deprecation(_ text: String, _ url: String) -> String {
        "using \(quoted(text)) as endpoint is deprecated, please consider using full URL format \(quoted(url))"
    }

    private static func parseUnix(original: String, afterScheme: String) throws(TransportError) -> Endpoint {
        let url = try URLParts(original: original, afterScheme: afterScheme)
        if let authority = url.authority, !authority.isEmpty {
            // kubelet would silently drop the host part ("unix://run/x.sock" → "/x.sock"); say what was meant.
            let asWritten = authority + url.path
            throw .invalidEndpoint(
                original,
                "unix socket path \(quoted(asWritten)) is relative; use unix:///\(asWritten) for an absolute path"
            )
        }
        guard !url.path.isEmpty else { throw .invalidEndpoint(original, "unix socket path is empty") }
        guard url.path.hasPrefix("/") else {
            throw .invalidEndpoint(
                original,
                "unix socket path \(quoted(url.path)) is relative; use unix:///\(url.path) for an absolute path"
            )
        }
        return Endpoint(kind: .unixSocket(path: url.path), original: original)
    }

    private static func parseTCP(original: String, afterScheme: Substring) throws(TransportError) -> Endpoint {
        let url = try URLParts(original: original, afterScheme: String(afterScheme))
        guard let authority = url.authority, !authority.isEmpty else {
            throw .invalidEndpoint(original, "missing host and port; use tcp://HOST:PORT")
        }
        guard url.path.isEmpty || url.path == "/" else {
            throw .invalidEndpoint(original, "unexpected path \(quoted(url.path)) after the TCP address")
        }
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .invalidEndpoint(original, "missing ']' in address \(quoted(authority))")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.first == ":" {
                portText = after.dropFirst()
            } else {
                throw .invalidEndpoint(original, "unexpected \(quoted(String(after))) after ']' in address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
            if host.contains(":") {
                throw .invalidEndpoint(
                    original,
                    "IPv6 address \(quoted(String(host))) must be in brackets: tcp://[ADDR]:PORT"
                )
            }
        } else {
            host = authority[...]
            portText = nil
        }
        guard let portText, !portText.isEmpty else {
            throw .invalidEndpoint(original, "missing port in address \(quoted(authority))")
        }
        guard !host.isEmpty else { throw .invalidEndpoint(original, "missing host in address \(quoted(authority))") }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText) else {
            throw .invalidEndpoint(original, "invalid port \(quoted(String(portText))) (must be 0-65535)")
        }
        return Endpoint(kind: .tcp(host: String(host), port: port), original: original)
    }

    /// kubelet util_windows.go: `u.Path` starting with `//./pipe` (here: any `//SERVER/`) is used as-is, else
    /// `//<host or ".">` + path;
    /// then converted to native form. Runs of slashes after the leading `//` are collapsed first so doubly escaped
    /// spellings (`npipe:\\\\.\\pipe\\x`) resolve like the plain ones instead of to a bogus path.
    private static func parseNamedPipe(original: String, afterScheme: some StringProtocol) throws(TransportError)
        -> Endpoint
    {
        let url = try URLParts(original: original, afterScheme: String(afterScheme))
        var path = collapsingSlashes(url.path)
        // kubelet checks for the "//./pipe" prefix only; any "//SERVER/…" path already names its server, and
        // prepending a host to it would only produce a nonsense path.
        if !path.hasPrefix("//") {
            let host = url.authority.flatMap { $0.isEmpty ? nil : $0 } ?? "."
            path = collapsingSlashes("//" + host + "/" + path)
        }
        let native = String(path.map { $0 == "/" ? "\\" : $0 })
        // Windows pipe names are \\SERVER\pipe\NAME; anything else would open a file, not a pipe.
        let components = path.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false)
        guard components.count >= 3, components[1].lowercased() == "pipe", !components[2].isEmpty else {
            throw .invalidEndpoint(original, "named pipe path \(quoted(native)) is not of the form \\\\.\\pipe\\NAME")
        }
        return Endpoint(kind: .namedPipe(path: native), original: original)
    }

    /// Keeps a leading `//` (the pipe server marker) and collapses every other run of `/` to one.
    private static func collapsingSlashes(_ path: String) -> String {
        var result = path.hasPrefix("//") ? "//" : ""
        var previousWasSlash = !result.isEmpty
        for character in path.drop(while: { !result.isEmpty && $0 == "/" }) {
            if character == "/" && previousWasSlash { continue }
            previousWasSlash = character == "/"
            result.append(character)
        }
        return result
    }
}

/// Splits off a URL scheme as Go's `getScheme` does: a letter, then letters, digits, `+`, `-`, `.`, up to `:`.
/// Anything else before the first `:` means "no scheme" (a path).
private func splitScheme(_ text: String) -> (scheme: Substring, rest: Substring) {
    for (offset, character) in zip(0..., text) {
        if character == ":" {
            guard offset > 0 else { return ("", text[...]) }
            let colon = text.index(text.startIndex, offsetBy: offset)
            return (text[..<colon], text[text.index(after: colon)...])
        }
        let allowed =
            character.isASCII
            && (character.isLetter || (offset > 0 && (character.isNumber || "+-.".contains(character))))
        if !allowed { return ("", text[...]) }
    }
    return ("", text[...])
}

/// The parts of `scheme:rest` that Go's `url.Parse` yields and kubelet reads: the authority (after `//`) and the
/// percent-decoded path, with any `?query` and `#fragment` dropped.
private struct URLParts {
    var authority: String?
    var path: String

    init(original: String, afterScheme: String) throws(TransportError) {
        var rest = Substring(afterScheme)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
        if rest.hasPrefix("//") {
            let afterSlashes = rest.dropFirst(2)
            let pathStart = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            authority = String(afterSlashes[..<pathStart])
            rest = afterSlashes[pathStart...]
        }
        path = try percentDecoded(rest, original: original)
    }
}

/// Decodes `%XX` escapes as Go's `url.PathUnescape` does; a malformed escape is an error, as in Go.
private func percentDecoded(_ text: Substring, original: String) throws(TransportError) -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    var utf8 = text.utf8.makeIterator()
    while let byte = utf8.next() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let high = utf8.next().flatMap(hexValue), let low = utf8.next().flatMap(hexValue) else {
            throw .invalidEndpoint(original, "invalid URL escape in \(quoted(String(text)))")
        }
        bytes.append(high << 4 | low)
    }
    guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.utf8.contains(0) else {
        throw .invalidEndpoint(original, "URL escape in \(quoted(String(text))) decodes to an invalid path")
    }
    return decoded
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
