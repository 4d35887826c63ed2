/// A SPDY/3.1 framing failure: a frame that breaks draft-mbelshe-httpbis-spdy-00 § 2, one over a configured
/// limit, or a header block that does not inflate.
///
/// Errors from the frame decoder are final for the connection (its header inflater's state is lost). Equality
/// and hashing use ``code`` only; ``message`` carries the detail for people (never header values).
package struct SPDYError: CodedError {
    /// The kind of failure.
    package enum Code: Hashable, Sendable {
        /// A frame whose fixed fields break the draft (wrong length for its type, a malformed header block).
        case protocolError
        /// A frame longer than the decoder's `maxFrameLength`.
        case frameTooLarge
        /// A header block that inflates to more than the decoder's `maxHeaderBlockSize`.
        case headerBlockTooLarge
        /// A header block that is not a valid chunk of the direction's zlib stream.
        case compression
        /// A control frame of a version other than 3.
        case unsupportedVersion
        /// A frame for a stream that cannot carry it (used by the session layer).
        case invalidStream
        /// A flow-control violation (used by the session layer).
        case flowControl
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

    /// Descriptions read `SPDY: message`.
    package static var layer: String { "SPDY" }
}
