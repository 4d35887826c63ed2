/// Decodes HPACK header blocks (RFC 7541). One per connection direction.
///
/// - Note: A value type owned by the one task that reads the connection; blocks must be decoded in
///   the order they arrive, since each may change the dynamic table.
package struct HPACKDecoder: Sendable {
    /// The dynamic table the peer's encoder fills.
    package private(set) var dynamicTable: DynamicTable
    /// The SETTINGS_HEADER_TABLE_SIZE we advertised: the ceiling for the peer's size updates.
    package private(set) var maxTableSize: Int
    /// The decoded list limit, counted as RFC 9113 § 6.5.2 does (name + value + 32 per field).
    package var maxHeaderListSize: Int
    /// Set when we lowered `maxTableSize` below the table's current maximum: the next block must
    /// start with a size update (RFC 7541 § 4.2).
    private var sizeUpdateRequired = false

    /// Creates a decoder. `maxTableSize` is the SETTINGS_HEADER_TABLE_SIZE we advertised;
    /// `maxHeaderListSize` bounds the decoded list (RFC 9113 § 6.5.2 accounting: name + value + 32).
    package init(maxTableSize: Int = 4096, maxHeaderListSize: Int = 65536) {
        self.maxTableSize = max(0, maxTableSize)
        self.maxHeaderListSize = maxHeaderListSize
        self.dynamicTable = DynamicTable(maxSize: self.maxTableSize)
    }

    /// Applies a new SETTINGS_HEADER_TABLE_SIZE of ours once the peer has acknowledged it.
    ///
    /// A smaller value than the table's current maximum obliges the peer to start its next block
    /// with a size update (RFC 7541 § 4.2); a larger one is only a new ceiling.
    package mutating func setMaxTableSize(_ size: Int) {
        maxTableSize = max(0, size)
        if dynamicTable.maxSize > maxTableSize { sizeUpdateRequired = true }
    }

    /// Decodes one complete header block. Throws ``HPACKError`` on any malformed input.
    ///
    /// When the list exceeds ``maxHeaderListSize`` the block is still decoded to the end, so the
    /// dynamic table stays in sync, and ``HPACKError/Code/headerListTooLarge`` is thrown afterwards.
    package mutating func decode(_ block: some Collection<UInt8>) throws(HPACKError) -> [HPACKHeader] {
        if let result = block.withContiguousStorageIfAvailable({ bytes in
            Result<[HPACKHeader], HPACKError>(catching: { () throws(HPACKError) in try decode(bytes) })
        }) {
            return try result.get()
        }
        let copy = Array(block)
        return try copy.withUnsafeBufferPointer { bytes throws(HPACKError) in try decode(bytes) }
    }

    /// Decodes one complete header block held in contiguous memory.
    package mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(HPACKError) -> [HPACKHeader] {
        var reader = HPACKByteReader(bytes)
        var headers: [HPACKHeader] = []
        var listSize = 0
        var sawField = false
        var sizeUpdates = 0

        while let first = reader.peek() {
            let header: HPACKHeader
            if first & 0x80 != 0 {
                // RFC 7541 § 6.1: indexed header field.
                let index = try IntegerCoding.decode(prefixBits: 7, from: &reader)
                let entry = try lookup(index)
                header = HPACKHeader(name: entry.name, value: entry.value)
            } else if first & 0xc0 == 0x40 {
                // RFC 7541 § 6.2.1: literal with incremental indexing.
                let (name, value) = try readLiteral(prefixBits: 6, from: &reader)
                dynamicTable.insert(name: name, value: value)
                header = HPACKHeader(name: name, value: value)
            } else if first & 0xe0 == 0x20 {
                // RFC 7541 § 6.3: dynamic table size update.
                // RFC 7541 § 4.2: "This dynamic table size update MUST occur at the beginning of the first
                // header block following the change to the dynamic table size."
                guard !sawField else { throw .misplacedTableSizeUpdate() }
                // An encoder needs at most two (the smallest size, then the final one); more only burn CPU.
                sizeUpdates += 1
                guard sizeUpdates <= 2 else { throw .tooManyTableSizeUpdates() }
                let size = try IntegerCoding.decode(prefixBits: 5, from: &reader)
                // RFC 7541 § 6.3: "The new maximum size MUST be lower than or equal to the limit".
                guard size <= maxTableSize else { throw .tableSizeUpdateTooLarge(size, max: maxTableSize) }
                dynamicTable.setMaxSize(size)
                sizeUpdateRequired = false
                continue
            } else {
                // RFC 7541 § 6.2.2 (0000) and § 6.2.3 (0001): literal without / never indexed.
                let neverIndexed = first & 0x10 != 0
                let (name, value) = try readLiteral(prefixBits: 4, from: &reader)
                header = HPACKHeader(name: name, value: value, indexing: neverIndexed ? .neverIndexed : .notIndexed)
            }
            if !sawField {
                sawField = true
                guard !sizeUpdateRequired else { throw .missingTableSizeUpdate(max: maxTableSize) }
            }
            listSize += header.name.utf8.count + header.value.utf8.count + 32
            // Keep decoding past the limit so the table stays in sync, but stop collecting fields.
            if listSize <= maxHeaderListSize { headers.append(header) }
        }
        if listSize > maxHeaderListSize { throw .headerListTooLarge(listSize, max: maxHeaderListSize) }
        // An empty block still has to carry a required size update.
        if !sawField && sizeUpdateRequired { throw .missingTableSizeUpdate(max: maxTableSize) }
        return headers
    }

    /// The field at combined index `index` (RFC 7541 § 2.3.3).
    private func lookup(_ index: Int) throws(HPACKError) -> (name: String, value: String) {
        if index >= 1 && index <= StaticTable.count {
            let entry = StaticTable.entries[index - 1]
            return (entry.name, entry.value)
        }
        // RFC 7541 § 6.1: "The index value of 0 is not used. It MUST be treated as a decoding error".
        guard index > StaticTable.count, let entry = dynamicTable[index - StaticTable.count] else {
            throw .invalidIndex(index, tableCount: dynamicTable.count)
        }
        return entry
    }

    /// Reads a literal representation after its type bits: an indexed name or a literal name, then a value.
    private func readLiteral(
        prefixBits: Int,
        from reader: inout HPACKByteReader
    ) throws(HPACKError) -> (name: String, value: String) {
        let nameIndex = try IntegerCoding.decode(prefixBits: prefixBits, from: &reader)
        let name = nameIndex == 0 ? try readString(from: &reader) : try lookup(nameIndex).name
        let value = try readString(from: &reader)
        return (name, value)
    }

    /// Reads a string literal (RFC 7541 § 5.2), Huffman-coded or raw.
    private func readString(from reader: inout HPACKByteReader) throws(HPACKError) -> String {
        guard let first = reader.peek() else { throw .truncated("a string literal") }
        let length = try IntegerCoding.decode(prefixBits: 7, from: &reader)
        guard length <= reader.remaining else { throw .stringTooLong(length, available: reader.remaining) }
        let bytes = reader.take(length)
        if first & 0x80 != 0 { return try HuffmanDecoding.decode(bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
