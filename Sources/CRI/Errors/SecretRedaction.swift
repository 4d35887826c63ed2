/// Keeps registry credentials out of errors, even when a runtime repeats them.
///
/// Requests never show them (`debug_redact` fields render as `<redacted>` in every description), but a runtime's
/// error message is free text: a buggy or hostile runtime, or a registry error it passes on, could echo a password
/// or token back, and the message would reach the ``CRIError``, the call logger and the CLI's output.
extension AuthConfig {
    /// The set `debug_redact` values (password, auth, identity_token, registry_token) and the password inside
    /// `auth` (base64 of `user:password`), which a runtime would echo decoded. Values shorter than
    /// ``minimumRedactedLength`` are left out: replacing one or two characters would mangle every word of a
    /// message while hiding almost nothing.
    var secretValues: [String] {
        var values = [password, auth, identityToken, registryToken]
        if let decoded = Base64.decode(auth) {
            let text = String(decoding: decoded, as: UTF8.self)
            if let colon = text.firstIndex(of: ":") { values.append(String(text[text.index(after: colon)...])) }
        }
        return values.filter { $0.count >= AuthConfig.minimumRedactedLength }
    }

    /// See ``secretValues``.
    static let minimumRedactedLength = 3
}

/// The credentials a request carries that must not come back in its error (only PullImage has any).
func secretValues(of request: some ProtoMessage) -> [String] {
    (request as? PullImageRequest)?.auth?.secretValues ?? []
}

extension CRIError {
    /// This error with every occurrence of `secrets` in its message replaced by `<redacted>`, and a cause that
    /// mentions one replaced by its redacted description (the cause is for debugging; its type matters less).
    func redacting(_ secrets: [String]) -> CRIError {
        guard !secrets.isEmpty else { return self }
        var redacted = self
        redacted.message = redact(message, secrets)
        if let cause {
            let text = String(describing: cause)
            let clean = redact(text, secrets)
            if clean != text { redacted.cause = RedactedCause(description: clean) }
        }
        return redacted
    }
}

/// `text` with every occurrence of each secret (longest first, so one containing another goes whole) replaced.
func redact(_ text: String, _ secrets: [String]) -> String {
    var text = text
    for secret in secrets.sorted(by: { $0.count > $1.count }) where text.contains(secret) {
        text = text.replacing(secret, with: "<redacted>")
    }
    return text
}

/// The description of an error that mentioned a secret, with the secret replaced.
struct RedactedCause: Error, Sendable, CustomStringConvertible {
    /// The redacted description.
    let description: String
}

/// `dump(_:)` and other `Mirror` users show the same redacted fields as ``AuthConfig/description`` (a mirror of
/// the stored properties would print the password).
extension AuthConfig: CustomReflectable {
    /// The fields by proto name, secrets as `<redacted>` when set.
    public var customMirror: Mirror {
        func shown(_ secret: String) -> String { secret.isEmpty ? "" : "<redacted>" }
        return Mirror(
            self,
            children: [
                "username": username, "password": shown(password), "auth": shown(auth),
                "server_address": serverAddress, "identity_token": shown(identityToken),
                "registry_token": shown(registryToken),
            ] as KeyValuePairs<String, Any>,
            displayStyle: .struct)
    }
}
