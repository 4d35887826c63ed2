/// A zlib (RFC 1950) or deflate (RFC 1951) stream that cannot be inflated, or inflates to more than allowed.
///
/// Equality and hashing use ``code`` only, so tests write `#expect(error.code == .badDistance)`; ``message``
/// carries the detail for people (never any of the stream's bytes, which may be secret headers).
package struct ZlibError: CodedError {
    /// The kind of failure.
    package enum Code: Hashable, Sendable {
        /// The two-byte zlib header is wrong: not deflate, a window over 32 KiB, FCHECK failing, or FDICT
        /// without (or with) a dictionary configured.
        case badHeader
        /// FDICT names a dictionary whose Adler-32 is not the one configured.
        case wrongDictionary
        /// A block header is invalid: block type 3, or a stored block whose LEN and NLEN disagree.
        case badBlock
        /// The code lengths of a dynamic block do not form a usable Huffman code (over-subscribed, incomplete,
        /// a repeat with nothing to repeat or past the end), or a symbol no valid stream contains was decoded.
        case badHuffmanTable
        /// A match reaches back before the start of the window (and dictionary).
        case badDistance
        /// One call's output would pass the caller's limit.
        case outputLimitExceeded
        /// The Adler-32 trailer does not match the inflated data.
        case checksumMismatch
        /// Input arrived after the stream's end.
        case truncated
    }

    /// What went wrong, for programs.
    package var code: Code
    /// What went wrong, for people.
    package var message: String

    /// Creates an error.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Descriptions read `zlib: message`.
    package static var layer: String { "zlib" }
}
