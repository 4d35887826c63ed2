/// The uncompressed SPDY/3 header block (draft-mbelshe-httpbis-spdy-00 § 2.6.10): a 32-bit pair count, then per
/// pair a 32-bit length and the name, a 32-bit length and the value, all big-endian.
enum SPDYHeaderBlock {
    /// The serialized block of `headers`.
    static func encode(_ headers: SPDYHeaders) -> [UInt8] {
        var bytes: [UInt8] = []
        var size = 4
        for (name, value) in headers {
            size += 8 + name.utf8.count + value.utf8.count
        }
        bytes.reserveCapacity(size)
        appendLength(headers.count, to: &bytes)
        for (name, value) in headers {
            appendLength(name.utf8.count, to: &bytes)
            bytes.append(contentsOf: name.utf8)
            appendLength(value.utf8.count, to: &bytes)
            bytes.append(contentsOf: value.utf8)
        }
        return bytes
    }

    /// Parses an inflated block. Every count and length is checked against the bytes that are left before
    /// anything is allocated for it, so a block claiming 2^31 pairs costs nothing.
    ///
    /// Names must be non-empty (§ 2.6.10); upper-case ASCII in a name is lower-cased rather than refused, since
    /// every peer we talk to (Go's framer) lower-cases anyway. Bytes after the last pair are a protocol error.
    static func decode(_ block: [UInt8]) throws(SPDYError) -> SPDYHeaders {
        var reader = Reader(bytes: block)
        let count = try reader.length()
        // Each pair takes at least 8 bytes (two lengths), which bounds a claimed count by the block's size.
        guard count <= reader.remaining / 8 else {
            throw SPDYError(.protocolError, "header block claims \(count) pairs in \(reader.remaining) bytes")
        }
        var headers = SPDYHeaders()
        for _ in 0..<count {
            let name = try reader.string()
            guard !name.isEmpty else { throw SPDYError(.protocolError, "header block has an empty header name") }
            let value = try reader.string()
            headers.add(name, value)
        }
        guard reader.remaining == 0 else {
            throw SPDYError(.protocolError, "header block has \(reader.remaining) bytes after its last pair")
        }
        return headers
    }

    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        let value = UInt32(truncatingIfNeeded: length)
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// A bounds-checked cursor over the inflated block.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var remaining: Int { bytes.count - offset }

        mutating func length() throws(SPDYError) -> Int {
            guard remaining >= 4 else { throw SPDYError(.protocolError, "header block ends inside a length field") }
            var value = 0
            for index in offset..<offset + 4 {
                value = value << 8 | Int(bytes[index])
            }
            offset += 4
            return value
        }

        mutating func string() throws(SPDYError) -> String {
            let count = try length()
            guard count <= remaining else {
                throw SPDYError(.protocolError, "header block field of \(count) bytes with \(remaining) left")
            }
            defer { offset += count }
            return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
        }
    }
}
