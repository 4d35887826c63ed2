// CONTRACT (to be implemented; signatures are fixed, bodies are placeholders).
// The HTTP/2 layer codes against these signatures.

/// Encodes header lists into HPACK header blocks (RFC 7541). One per connection direction.
package struct HPACKEncoder: Sendable {
    /// Creates an encoder whose dynamic table may grow to `maxTableSize` octets.
    package init(maxTableSize: Int = 4096, useHuffman: Bool = true) { fatalError("unimplemented") }
    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE; the next block starts with a size update.
    package mutating func setMaxTableSize(_ size: Int) { fatalError("unimplemented") }
    /// Appends the header block for `headers` to `buffer`.
    package mutating func encode(_ headers: [HPACKHeader], into buffer: inout [UInt8]) { fatalError("unimplemented") }
}

/// Decodes HPACK header blocks (RFC 7541). One per connection direction.
package struct HPACKDecoder: Sendable {
    /// Creates a decoder. `maxTableSize` is the SETTINGS_HEADER_TABLE_SIZE we advertised;
    /// `maxHeaderListSize` bounds the decoded list (RFC 9113 § 6.5.2 accounting: name + value + 32).
    package init(maxTableSize: Int = 4096, maxHeaderListSize: Int = 65536) { fatalError("unimplemented") }
    /// Decodes one complete header block. Throws ``HPACKError`` on any malformed input.
    package mutating func decode(_ block: some Collection<UInt8>) throws(HPACKError) -> [HPACKHeader] { fatalError("unimplemented") }
}

/// Why a header block could not be decoded; any HPACK error is a connection error
/// COMPRESSION_ERROR in HTTP/2 (RFC 9113 § 4.3), except `headerListTooLarge`.
package struct HPACKError: Error, Hashable, Sendable {
    package var code: String
    package var reason: String
    package init(code: String, reason: String) { self.code = code; self.reason = reason }
}
