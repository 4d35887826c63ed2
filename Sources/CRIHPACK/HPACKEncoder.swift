/// Encodes header lists into HPACK header blocks (RFC 7541). One per connection direction.
///
/// Fields found whole in the static or dynamic table are sent as an index; other indexable fields
/// are sent as literals with incremental indexing and added to the dynamic table; `.notIndexed` and
/// `.neverIndexed` fields are sent as the matching literal forms and never stored. Names are taken
/// from the static table first, as the RFC 7541 Appendix C examples do. Strings are Huffman-coded
/// when that is not longer than the raw form.
///
/// - Note: A value type owned by the one task that writes the connection; blocks must be sent in
///   the order they are encoded.
package struct HPACKEncoder: Sendable {
    /// The table mirroring the peer decoder's.
    package private(set) var dynamicTable: DynamicTable
    /// Whether string literals may be Huffman-coded.
    package var useHuffman: Bool
    /// The smallest size set since the last block, if it changed (RFC 7541 § 4.2 requires signalling it).
    private var pendingMinimumSize: Int?

    /// The largest table we keep whatever the peer allows: RFC 7541 § 4.2 lets an encoder use less
    /// than SETTINGS_HEADER_TABLE_SIZE, and a peer advertising gigabytes must not make us retain them.
    package let tableSizeCeiling: Int

    /// Creates an encoder.
    /// - Parameters:
    ///   - maxTableSize: the peer's SETTINGS_HEADER_TABLE_SIZE, 4096 until it says otherwise
    ///     (RFC 9113 § 6.5.2). The table uses `min(maxTableSize, tableSizeCeiling)` without signalling it,
    ///     as the peer's decoder also starts at that setting.
    ///   - useHuffman: whether string literals may be Huffman-coded.
    ///   - tableSizeCeiling: the most table memory we spend on our own headers. Default 4096.
    package init(maxTableSize: Int = 4096, useHuffman: Bool = true, tableSizeCeiling: Int = 4096) {
        self.tableSizeCeiling = max(0, tableSizeCeiling)
        self.dynamicTable = DynamicTable(maxSize: min(max(0, maxTableSize), self.tableSizeCeiling))
        self.useHuffman = useHuffman
    }

    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE; when the size we use changes (it is capped by
    /// ``tableSizeCeiling``), the next block starts with a size update (RFC 7541 § 4.2).
    package mutating func setMaxTableSize(_ size: Int) {
        let size = min(max(0, size), tableSizeCeiling)
        guard size != dynamicTable.maxSize || pendingMinimumSize != nil else { return }
        pendingMinimumSize = min(pendingMinimumSize ?? size, size)
        dynamicTable.setMaxSize(size)
    }

    /// Appends the header block for `headers` to `buffer`.
    package mutating func encode(_ headers: [HPACKHeader], into buffer: inout [UInt8]) {
        if let minimum = pendingMinimumSize {
            // RFC 7541 § 4.2: signal the smallest size reached, then the final one, so the peer evicts
            // exactly what we evicted.
            if minimum < dynamicTable.maxSize {
                IntegerCoding.encode(minimum, prefixBits: 5, flags: 0x20, into: &buffer)
            }
            IntegerCoding.encode(dynamicTable.maxSize, prefixBits: 5, flags: 0x20, into: &buffer)
            pendingMinimumSize = nil
        }
        for header in headers { encode(header, into: &buffer) }
    }

    private mutating func encode(_ header: HPACKHeader, into buffer: inout [UInt8]) {
        let staticMatch = StaticTable.find(name: header.name, value: header.value)
        if header.indexing == .indexable {
            if let staticMatch, staticMatch.valueMatches {
                IntegerCoding.encode(staticMatch.index, prefixBits: 7, flags: 0x80, into: &buffer)
                return
            }
        }
        let dynamicMatch = dynamicTable.find(name: header.name, value: header.value)
        if header.indexing == .indexable, let dynamicMatch, dynamicMatch.valueMatches {
            IntegerCoding.encode(StaticTable.count + dynamicMatch.index, prefixBits: 7, flags: 0x80, into: &buffer)
            return
        }
        let nameIndex = staticMatch?.index ?? dynamicMatch.map { StaticTable.count + $0.index } ?? 0
        let prefixBits: Int
        let flags: UInt8
        switch header.indexing.kind {
        case .indexable: (prefixBits, flags) = (6, 0x40)  // RFC 7541 § 6.2.1
        case .notIndexed: (prefixBits, flags) = (4, 0x00)  // RFC 7541 § 6.2.2
        case .neverIndexed: (prefixBits, flags) = (4, 0x10)  // RFC 7541 § 6.2.3
        }
        IntegerCoding.encode(nameIndex, prefixBits: prefixBits, flags: flags, into: &buffer)
        if nameIndex == 0 { encodeString(header.name, into: &buffer) }
        encodeString(header.value, into: &buffer)
        if header.indexing == .indexable { dynamicTable.insert(name: header.name, value: header.value) }
    }

    /// Appends a string literal (RFC 7541 § 5.2).
    private func encodeString(_ string: String, into buffer: inout [UInt8]) {
        let utf8 = string.utf8
        if useHuffman {
            let huffmanLength = HuffmanEncoding.encodedLength(of: utf8)
            if huffmanLength <= utf8.count {
                IntegerCoding.encode(huffmanLength, prefixBits: 7, flags: 0x80, into: &buffer)
                HuffmanEncoding.encode(utf8, into: &buffer)
                return
            }
        }
        IntegerCoding.encode(utf8.count, prefixBits: 7, flags: 0x00, into: &buffer)
        buffer.append(contentsOf: utf8)
    }
}
