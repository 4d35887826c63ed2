/// A connection error (RFC 9113 § 5.4.1): the connection must end with GOAWAY carrying ``code``.
///
/// Equality and hashing use ``code`` only, so tests compare against a bare code.
package struct HTTP2ConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error code for the GOAWAY frame.
    package var code: HTTP2ErrorCode
    /// A sentence for logs and GOAWAY debug data; not part of equality.
    package var reason: String

    /// Creates a connection error.
    package init(code: HTTP2ErrorCode, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `CODE: reason`.
    package var description: String { "HTTP2ConnectionError(\(code)): \(reason)" }

    /// Equal when the codes are equal; the reason is only for people.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }

    @inline(never) static func protocolError(_ reason: String) -> Self { Self(code: .protocolError, reason: reason) }
    @inline(never) static func frameSizeError(_ reason: String) -> Self { Self(code: .frameSizeError, reason: reason) }
    @inline(never) static func flowControlError(_ reason: String) -> Self {
        Self(code: .flowControlError, reason: reason)
    }
    @inline(never) static func compressionError(_ reason: String) -> Self {
        Self(code: .compressionError, reason: reason)
    }
    @inline(never) static func enhanceYourCalm(_ reason: String) -> Self {
        Self(code: .enhanceYourCalm, reason: reason)
    }
}

/// A stream error (RFC 9113 § 5.4.2): only ``streamID`` must be reset with RST_STREAM carrying ``code``;
/// the connection and the decoder stay usable.
///
/// Equality and hashing use ``streamID`` and ``code``.
package struct HTTP2StreamError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stream to reset.
    package var streamID: UInt32
    /// The error code for the RST_STREAM frame.
    package var code: HTTP2ErrorCode
    /// A sentence for logs; not part of equality.
    package var reason: String

    /// Creates a stream error.
    package init(streamID: UInt32, code: HTTP2ErrorCode, reason: String) {
        self.streamID = streamID
        self.code = code
        self.reason = reason
    }

    /// `stream N CODE: reason`.
    package var description: String { "HTTP2StreamError(stream \(streamID), \(code)): \(reason)" }

    /// Equal when stream and code are equal; the reason is only for people.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.streamID == rhs.streamID && lhs.code == rhs.code }
    /// Hashes stream and code, consistent with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(streamID)
        hasher.combine(code)
    }

    @inline(never) static func make(_ streamID: UInt32, _ code: HTTP2ErrorCode, _ reason: String) -> Self {
        Self(streamID: streamID, code: code, reason: reason)
    }
}
