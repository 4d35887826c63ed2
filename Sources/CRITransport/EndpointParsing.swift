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
    ///
    /// Parsing looks at Unicode scalars, never Characters: every delimiter is ASCII, and a combining mark or a
    /// prepended character next to one would otherwise hide it inside a grapheme cluster (`؄#` is one Character),
    /// where Go's byte-wise `url.Parse` still sees it (found by the fuzz-endpoint target).
    package init(parsing text: String) throws(TransportError) {
        guard !text.isEmpty else { throw .invalidEndpoint(text, "endpoint is empty") }
        // Go's url.Parse rejects ASCII control characters; a NUL would also truncate a socket path.
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .invalidEndpoint(text, "endpoint contains a control character")
        }
        // kubelet util_windows.go: "url.Parse doesn't recognize \, so replace with / first." Only pipe forms
        // use this spelling; unix paths keep their bytes.
        let slashed = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\\" ? "/" : $0 }))
        let (scheme, rest) = splitScheme(slashed.unicodeScalars[...])
        switch String(scheme).lowercased() {
        case "":
            if slashed.unicodeScalars.starts(with: "//".unicodeScalars) {
                self = try Self.parseNamedPipe(original: text, afterScheme: slashed.unicodeScalars[...])
                deprecationNote = Self.deprecation(text, canonicalURL)
            } else if text.unicodeScalars.first == "/" {
                self = try Self.parseUnix(original: text, afterScheme: ("//" + text).unicodeScalars[...])
                deprecationNote = Self.deprecation(text, canonicalURL)
            } else {
                throw .invalidEndpoint(
                    text,
                    "unix socket path \(quoted(text)) is relative; use an absolute path in URL form "
                        + "unix:///path/to/socket"
                )
            }
        case "unix":
            self = try Self.parseUnix(original: text, afterScheme: splitScheme(text.unicodeScalars[...]).rest)
        case "tcp":
            self = try Self.parseTCP(original: text, afterScheme: rest)
        case "npipe":
            self = try Self.parseNamedPipe(original: text, afterScheme: rest)
        default:
            throw .invalidEndpoint(text, "protocol \(quoted(String(scheme).lowercased())) not supported")
        }
    }

    @inline(never)
    private static func deprecation(_ text: String, _ url: String) -> String {
        "using \(quoted(text)) as endpoint is deprecated, please consider using full URL format \(quoted(url))"
    }

    private static func parseUnix(original: String, afterScheme: Scalars) throws(TransportError) -> Endpoint {
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
        guard url.path.unicodeScalars.first == "/" else {
            throw .invalidEndpoint(
                original,
                "unix socket path \(quoted(url.path)) is relative; use unix:///\(url.path) for an absolute path"
            )
        }
        return Endpoint(kind: .unixSocket(path: url.path), original: original)
    }

    private static func parseTCP(original: String, afterScheme: Scalars) throws(TransportError) -> Endpoint {
        let url = try URLParts(original: original, afterScheme: afterScheme)
        guard let authority = url.authority, !authority.isEmpty else {
            throw .invalidEndpoint(original, "missing host and port; use tcp://HOST:PORT")
        }
        guard url.path.isEmpty || url.path.unicodeScalars.elementsEqual("/".unicodeScalars) else {
            throw .invalidEndpoint(original, "unexpected path \(quoted(url.path)) after the TCP address")
        }
        let scalars = authority.unicodeScalars
        let host: Scalars
        let portText: Scalars?
        if scalars.first == "[" {
            guard let close = scalars.firstIndex(of: "]") else {
                throw .invalidEndpoint(original, "missing ']' in address \(quoted(authority))")
            }
            host = scalars[scalars.index(after: scalars.startIndex)..<close]
            let after = scalars[scalars.index(after: close)...]
            if after.isEmpty {
                portText = nil
            } else if after.first == ":" {
                portText = after.dropFirst()
            } else {
                throw .invalidEndpoint(original, "unexpected \(quoted(String(after))) after ']' in address")
            }
        } else if let colon = scalars.lastIndex(of: ":") {
            host = scalars[..<colon]
            portText = scalars[scalars.index(after: colon)...]
            if host.contains(":") {
                throw .invalidEndpoint(
                    original,
                    "IPv6 address \(quoted(String(host))) must be in brackets: tcp://[ADDR]:PORT"
                )
            }
        } else {
            host = scalars[...]
            portText = nil
        }
        guard let portText, !portText.isEmpty else {
            throw .invalidEndpoint(original, "missing port in address \(quoted(authority))")
        }
        guard !host.isEmpty else { throw .invalidEndpoint(original, "missing host in address \(quoted(authority))") }
        guard portText.allSatisfy({ ("0"..."9").contains($0) }), let port = UInt16(String(portText)) else {
            throw .invalidEndpoint(original, "invalid port \(quoted(String(portText))) (must be 0-65535)")
        }
        return Endpoint(kind: .tcp(host: String(host), port: port), original: original)
    }

    /// kubelet util_windows.go: `u.Path` starting with `//./pipe` (here: any `//SERVER/`) is used as-is, else
    /// `//<host or ".">` + path;
    /// then converted to native form. Runs of slashes after the leading `//` are collapsed first so doubly escaped
    /// spellings (`npipe:\\\\.\\pipe\\x`) resolve like the plain ones instead of to a bogus path.
    private static func parseNamedPipe(original: String, afterScheme: Scalars) throws(TransportError) -> Endpoint {
        let url = try URLParts(original: original, afterScheme: afterScheme)
        // A backslash that only appears after percent-decoding (`%5C`) is a separator too, like a written one:
        // Windows pipe names cannot contain one, and the canonical URL spells every separator `/`.
        var path = collapsingSlashes(String(String.UnicodeScalarView(url.path.unicodeScalars.map { $0 == "\\" ? "/" : $0 })))
        // kubelet checks for the "//./pipe" prefix only; any "//SERVER/…" path already names its server, and
        // prepending a host to it would only produce a nonsense path.
        if !path.unicodeScalars.starts(with: "//".unicodeScalars) {
            let host = url.authority.flatMap { $0.isEmpty ? nil : $0 } ?? "."
            path = collapsingSlashes("//" + host + "/" + path)
        }
        let native = String(String.UnicodeScalarView(path.unicodeScalars.map { $0 == "/" ? "\\" : $0 }))
        // Windows pipe names are \\SERVER\pipe\NAME; anything else would open a file, not a pipe.
        let components = path.unicodeScalars.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false)
        guard components.count >= 3, String(components[1]).lowercased() == "pipe", !components[2].isEmpty else {
            throw .invalidEndpoint(original, "named pipe path \(quoted(native)) is not of the form \\\\.\\pipe\\NAME")
        }
        return Endpoint(kind: .namedPipe(path: native), original: original)
    }

    /// Keeps a leading `//` (the pipe server marker) and collapses every other run of `/` to one.
    private static func collapsingSlashes(_ path: String) -> String {
        let scalars = path.unicodeScalars
        let server = scalars.starts(with: "//".unicodeScalars)
        var result = String.UnicodeScalarView(server ? "//".unicodeScalars : "".unicodeScalars)
        var previousWasSlash = server
        for scalar in scalars.drop(while: { server && $0 == "/" }) {
            if scalar == "/" && previousWasSlash { continue }
            previousWasSlash = scalar == "/"
            result.append(scalar)
        }
        return String(result)
    }
}

/// A run of Unicode scalars of the endpoint text (see ``Endpoint/init(parsing:)`` for why not Characters).
private typealias Scalars = Substring.UnicodeScalarView

/// Splits off a URL scheme as Go's `getScheme` does: a letter, then letters, digits, `+`, `-`, `.`, up to `:`.
/// Anything else before the first `:` means "no scheme" (a path).
private func splitScheme(_ text: Scalars) -> (scheme: Scalars, rest: Scalars) {
    for index in text.indices {
        let scalar = text[index]
        if scalar == ":" {
            guard index > text.startIndex else { return (text[text.startIndex..<text.startIndex], text) }
            return (text[..<index], text[text.index(after: index)...])
        }
        let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        let isLater = ("0"..."9").contains(scalar) || scalar == "+" || scalar == "-" || scalar == "."
        if !(isLetter || (index > text.startIndex && isLater)) { return (text[text.startIndex..<text.startIndex], text) }
    }
    return (text[text.startIndex..<text.startIndex], text)
}

/// The parts of `scheme:rest` that Go's `url.Parse` yields and kubelet reads: the authority (after `//`) and the
/// percent-decoded path, with any `?query` and `#fragment` dropped.
private struct URLParts {
    var authority: String?
    var path: String

    init(original: String, afterScheme: Scalars) throws(TransportError) {
        var rest = afterScheme
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
        if rest.starts(with: "//".unicodeScalars) {
            let afterSlashes = rest.dropFirst(2)
            let pathStart = afterSlashes.firstIndex(of: "/") ?? afterSlashes.endIndex
            authority = String(afterSlashes[..<pathStart])
            rest = afterSlashes[pathStart...]
        }
        path = try percentDecoded(rest, original: original)
    }
}

/// Decodes `%XX` escapes as Go's `url.PathUnescape` does; a malformed escape is an error, as in Go.
private func percentDecoded(_ text: Scalars, original: String) throws(TransportError) -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    var utf8 = Substring(text).utf8.makeIterator()
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
