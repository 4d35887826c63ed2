/// The connection preface (RFC 9113 § 3.4).
package enum HTTP2ConnectionPreface {
    /// The 24 octets a client sends first: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", followed by SETTINGS.
    package static let client: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
}
