/// One header field as HPACK carries it: a lowercase name and a value.
///
/// Names and values are kept as `String`; HTTP/2 requires lowercase names, which the
/// HTTP/2 layer checks, not HPACK.
package struct HPACKHeader: Hashable, Sendable {
    /// The field name, e.g. `:path` or `content-type`.
    package var name: String
    /// The field value.
    package var value: String
    /// How the encoder may store this field; sensitive values are never indexed.
    package var indexing: HPACKIndexing

    /// Creates a header field.
    package init(name: String, value: String, indexing: HPACKIndexing = .indexable) {
        self.name = name
        self.value = value
        self.indexing = indexing
    }
}

/// Whether an encoder may add a field to its dynamic table (RFC 7541 § 6.2).
package struct HPACKIndexing: Hashable, Sendable {
    /// The three literal forms of RFC 7541 § 6.2.
    package enum Kind: Hashable, Sendable { case indexable, notIndexed, neverIndexed }
    /// Which form this is.
    package var kind: Kind
    /// Literal with incremental indexing allowed.
    package static let indexable = HPACKIndexing(kind: .indexable)
    /// Literal without indexing.
    package static let notIndexed = HPACKIndexing(kind: .notIndexed)
    /// Literal never indexed: intermediaries must not index it either (secrets).
    package static let neverIndexed = HPACKIndexing(kind: .neverIndexed)
}
