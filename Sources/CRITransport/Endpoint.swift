/// Where a CRI runtime listens: a unix socket, a TCP address or a Windows named pipe.
///
/// Parse user input with ``init(parsing:)``, which follows crictl/kubelet semantics (`unix:///path`, a deprecated
/// bare `/path`, `tcp://host:port`, `npipe:////./pipe/name` and its backslash spellings). Parsing is pure data on
/// every platform; only ``connect(to:deadline:)`` cares whether the platform can reach the endpoint.
///
/// Two endpoints are equal when they resolve to the same place (``kind``), however they were spelled.
package struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The resolved address.
    package enum Kind: Hashable, Sendable {
        /// An absolute filesystem path to a unix domain socket.
        case unixSocket(path: String)
        /// A host (name or IP literal, IPv6 without brackets) and port; port 0 asks `listen` for an ephemeral port.
        case tcp(host: String, port: UInt16)
        /// A Windows pipe path in native form, e.g. `\\.\pipe\containerd-containerd`.
        case namedPipe(path: String)
    }

    /// The resolved address.
    package var kind: Kind
    /// The text this endpoint was parsed from, if it was parsed.
    package var original: String?
    /// Set when the input used a deprecated form (a bare path); says which URL to use instead.
    package var deprecationNote: String?

    /// Creates an endpoint from its parts.
    package init(kind: Kind, original: String? = nil, deprecationNote: String? = nil) {
        self.kind = kind
        self.original = original
        self.deprecationNote = deprecationNote
    }

    /// A unix domain socket at an absolute `path`.
    package static func unixSocket(path: String) -> Endpoint { Endpoint(kind: .unixSocket(path: path)) }
    /// A TCP address; `host` is a name or an IP literal (IPv6 without brackets).
    package static func tcp(host: String, port: UInt16) -> Endpoint { Endpoint(kind: .tcp(host: host, port: port)) }
    /// A Windows named pipe in native form (`\\.\pipe\NAME`).
    package static func namedPipe(path: String) -> Endpoint { Endpoint(kind: .namedPipe(path: path)) }

    /// The endpoint as the user gave it, or its canonical URL if it was built in code.
    package var description: String { original ?? canonicalURL }

    /// The full URL form: `unix:///run/x.sock`, `tcp://[::1]:10000`, `npipe:////./pipe/x`; it parses back to
    /// this endpoint (error messages suggest it as the spelling to use).
    package var canonicalURL: String {
        switch kind {
        case .unixSocket(let path):
            return "unix://" + Self.escapingURLSyntax(path)
        case .tcp(let host, let port):
            // Brackets for IPv6 literals, and for any host the parser would otherwise read as bracketed or split.
            let bracketed = host.unicodeScalars.contains(":") || host.unicodeScalars.first == "["
            return bracketed ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)"
        case .namedPipe(let path):
            let slashed = String(String.UnicodeScalarView(path.unicodeScalars.map { $0 == "\\" ? "/" : $0 }))
            return "npipe://" + Self.escapingURLSyntax(slashed)
        }
    }

    /// `path` with what a URL path cannot hold as is percent-encoded: `%` (an escape), `?` (a query), `#` (a
    /// fragment) and ASCII control characters (rejected raw, accepted escaped). Parsing decodes escapes and drops
    /// queries and fragments, so without this such a path would come back different or not at all (found by the
    /// fuzz-endpoint target).
    private static func escapingURLSyntax(_ path: String) -> String {
        func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "%" || scalar == "?" || scalar == "#" || scalar.value < 0x20 || scalar.value == 0x7F
        }
        guard path.unicodeScalars.contains(where: needsEscape) else { return path }
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var escaped = String.UnicodeScalarView()
        for scalar in path.unicodeScalars {
            if needsEscape(scalar) {
                // All of them are ASCII: one octet each.
                escaped.append(contentsOf: ["%", hex[Int(scalar.value >> 4)], hex[Int(scalar.value & 0xF)]])
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// Two endpoints are equal when they resolve to the same address, however they were spelled.
    package static func == (lhs: Endpoint, rhs: Endpoint) -> Bool { lhs.kind == rhs.kind }

    /// Hashes the resolved address only, matching `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}
