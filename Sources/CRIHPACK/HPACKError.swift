/// Why a header block could not be decoded.
///
/// In HTTP/2 every HPACK error is a connection error of type COMPRESSION_ERROR (RFC 9113 § 4.3), except
/// ``Code/headerListTooLarge``: the block was still decoded in full, so the table stays in sync and only the
/// stream needs to fail. Equality and hashing use ``code`` only, so tests can compare against a bare code.
package struct HPACKError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; an open set so new checks do not break callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case truncated, integerOverflow, invalidIndex, invalidHuffman, stringTooLong
            case tableSizeUpdateTooLarge, misplacedTableSizeUpdate, tooManyTableSizeUpdates, missingTableSizeUpdate,
                headerListTooLarge
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The block ended inside an integer, a string or a representation.
        package static let truncated = Code(.truncated)
        /// A prefix integer does not fit the implementation limit (RFC 7541 § 5.1).
        package static let integerOverflow = Code(.integerOverflow)
        /// Index 0, or an index past the static plus dynamic table (RFC 7541 § 2.3.3).
        package static let invalidIndex = Code(.invalidIndex)
        /// Huffman data holding EOS, padding longer than 7 bits, or padding that is not all ones (RFC 7541 § 5.2).
        package static let invalidHuffman = Code(.invalidHuffman)
        /// A string length past the end of the block.
        package static let stringTooLong = Code(.stringTooLong)
        /// A dynamic table size update above the SETTINGS_HEADER_TABLE_SIZE we advertised (RFC 7541 § 6.3).
        package static let tableSizeUpdateTooLarge = Code(.tableSizeUpdateTooLarge)
        /// A dynamic table size update after the first field of a block (RFC 7541 § 4.2).
        package static let misplacedTableSizeUpdate = Code(.misplacedTableSizeUpdate)
        /// More than two size updates at the start of one block: RFC 7541 § 4.2 needs at most the smallest
        /// size and the final size.
        package static let tooManyTableSizeUpdates = Code(.tooManyTableSizeUpdates)
        /// We lowered our table size but the peer's next block did not start with an update (RFC 7541 § 4.2).
        package static let missingTableSizeUpdate = Code(.missingTableSizeUpdate)
        /// The decoded list exceeds the header list size limit (RFC 9113 § 6.5.2 accounting).
        package static let headerListTooLarge = Code(.headerListTooLarge)

        /// The code's name.
        package var description: String { String(describing: kind) }
    }

    /// The kind of failure.
    package var code: Code
    /// A sentence for logs; not part of equality.
    package var reason: String

    /// Creates an error; prefer the factories, which keep construction out of hot paths.
    package init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    package var description: String { "HPACKError.\(code): \(reason)" }

    /// Equal when the codes are equal; the reason is only for people.
    package static func == (lhs: HPACKError, rhs: HPACKError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }

    @inline(never) static func truncated(_ what: String) -> HPACKError {
        HPACKError(code: .truncated, reason: "header block ends inside \(what)")
    }
    @inline(never) static func integerOverflow() -> HPACKError {
        HPACKError(code: .integerOverflow, reason: "prefix integer exceeds the implementation limit")
    }
    @inline(never) static func invalidIndex(_ index: Int, tableCount: Int) -> HPACKError {
        HPACKError(code: .invalidIndex, reason: "index \(index) is outside 1...\(StaticTable.count + tableCount)")
    }
    @inline(never) static func invalidHuffman(_ why: String) -> HPACKError {
        HPACKError(code: .invalidHuffman, reason: why)
    }
    @inline(never) static func stringTooLong(_ length: Int, available: Int) -> HPACKError {
        HPACKError(code: .stringTooLong, reason: "string of \(length) octets but only \(available) remain")
    }
    @inline(never) static func tableSizeUpdateTooLarge(_ size: Int, max: Int) -> HPACKError {
        HPACKError(code: .tableSizeUpdateTooLarge, reason: "table size update to \(size) exceeds our maximum \(max)")
    }
    @inline(never) static func misplacedTableSizeUpdate() -> HPACKError {
        HPACKError(code: .misplacedTableSizeUpdate, reason: "dynamic table size update after a header field")
    }
    @inline(never) static func tooManyTableSizeUpdates() -> HPACKError {
        HPACKError(code: .tooManyTableSizeUpdates, reason: "more than two dynamic table size updates in one block")
    }
    @inline(never) static func missingTableSizeUpdate(max: Int) -> HPACKError {
        HPACKError(code: .missingTableSizeUpdate, reason: "block must start with a table size update to <= \(max)")
    }
    @inline(never) static func headerListTooLarge(_ size: Int, max: Int) -> HPACKError {
        HPACKError(code: .headerListTooLarge, reason: "header list of at least \(size) octets exceeds \(max)")
    }
}
