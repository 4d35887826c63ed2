/// An error that is a code plus a message for people, like ``ZlibError`` and ``SPDYError``: equal and hashed by
/// code alone, so tests and callers match on `error.code` while the message carries detail.
package protocol CodedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    associatedtype Code: Hashable & Sendable
    /// What went wrong, for programs.
    var code: Code { get }
    /// What went wrong, for people.
    var message: String { get }
    /// What the description starts with: the layer that failed (`zlib`, `SPDY`).
    static var layer: String { get }
}

extension CodedError {
    /// `layer: message`, the form logs and test failures show.
    package var description: String { "\(Self.layer): \(message)" }

    /// Errors are equal when their codes are; the message is detail, not identity.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    /// Hashes the code only, matching `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
