import CRIStreaming

/// A streaming URL's secret parts and the form of it that errors and logs may show.
///
/// containerd and CRI-O hand out URLs like `http://127.0.0.1:40123/exec/Zx8kP2qR`: whoever holds the token can run
/// that command once, so the token (every path segment after the first, and any query) never leaves this client.
struct StreamingURLSecrets: Sendable {
    /// The token text to hide wherever it shows up.
    let secrets: [String]
    /// The URL with each secret replaced by `<redacted>`, e.g. `http://127.0.0.1:40123/exec/<redacted>`.
    let redacted: String

    /// Splits `url` (absolute or relative) into what may be shown and what may not.
    init(url: String) {
        var rest = Substring(url)
        var prefix = ""
        if let schemeEnd = rest.firstRange(of: "://") {
            let afterScheme = rest[schemeEnd.upperBound...]
            let pathStart = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
            prefix = String(rest[..<pathStart])
            rest = rest[pathStart...]
        }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = (parts.first ?? "").split(separator: "/").map(String.init)
        var secrets = Array(segments.dropFirst())
        var shown = prefix + (segments.first.map { "/" + $0 } ?? "")
        shown += segments.dropFirst().map { _ in "/<redacted>" }.joined()
        if parts.count == 2 {
            secrets.append(String(parts[1]))
            shown += "?<redacted>"
        }
        // Short segments would mangle every word of a message while hiding nothing worth hiding.
        self.secrets = secrets.filter { $0.count >= AuthConfig.minimumRedactedLength }
        self.redacted = shown
    }
}

/// The token of the streaming URL an Exec, Attach or PortForward response carries, which the call logger must not
/// show; nothing for other responses.
func streamingURLSecrets(of response: some ProtoMessage) -> [String] {
    let url: String? =
        switch response {
        case let response as ExecResponse: response.url
        case let response as AttachResponse: response.url
        case let response as PortForwardResponse: response.url
        default: nil
        }
    return url.map { StreamingURLSecrets(url: $0).secrets } ?? []
}

extension CRIError {
    /// The ``CRIError`` for a failure of the stream behind `rpc` (`Exec`, `Attach`, `PortForward`): the code says what
    /// kind of failure, the message is the streaming layer's without the URL's token, the endpoint is the redacted
    /// streaming URL, and the cause is the streaming error (its message redacted the same way).
    static func streaming(_ error: StreamingError, rpc: String, url: StreamingURLSecrets) -> CRIError {
        var cause = error
        cause.message = redact(error.message, url.secrets)
        var message = cause.message
        // The endpoint already names the URL; a message that starts with it (perhaps with the `port` query the
        // dialer added) would say it twice.
        // The streaming layer writes the URL with its token as `<token>`.
        let shown = [url.redacted, url.redacted.replacing("<redacted>", with: "<token>")]
        if let prefix = shown.first(where: { message.hasPrefix($0) }) {
            let rest = message.dropFirst(prefix.count)
            if rest.hasPrefix(": ") {
                message = String(rest.dropFirst(2))
            } else if rest.hasPrefix("?") || rest.hasPrefix("&"), let colon = rest.firstRange(of: ": ") {
                message = String(rest[colon.upperBound...])
            }
        }
        return CRIError(
            code: code(for: error.code), message: message, method: rpc, endpoint: url.redacted, cause: cause)
    }

    /// Runs `body` (a dial, a write, a wait on a stream) and turns a ``StreamingError`` into a ``CRIError``.
    static func mappingStreaming<Result>(
        rpc: String, url: StreamingURLSecrets, _ body: () async throws -> Result
    ) async throws -> Result {
        do {
            return try await body()
        } catch let error as StreamingError {
            throw streaming(error, rpc: rpc, url: url)
        }
    }

    private static func code(for code: StreamingError.Code) -> Code {
        switch code {
        case .connectionFailed: .unavailable
        case .timedOut: .deadlineExceeded
        case .cancelled: .cancelled
        case .unsupported: .failedPrecondition
        case .invalidURL: .invalidResponse
        default: .streamingFailed
        }
    }
}
