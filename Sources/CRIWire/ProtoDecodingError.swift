/// Why bytes or JSON text could not be decoded as a message.
///
/// Equality and hashing use ``code`` only, so tests can write `#expect(throws: ProtoDecodingError(code: .truncated))`
/// style checks; ``reason`` carries the detail (field path, offsets) for people.
public struct ProtoDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure: an open set, so new kinds are not breaking changes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        @usableFromInline
        enum Kind: UInt8, Sendable {
            case truncated, overlongVarint, invalidWireType, invalidFieldNumber, lengthOutOfBounds
            case groupsUnsupported, invalidUTF8, nestingTooDeep, invalidJSON, jsonTypeMismatch
            case unknownJSONField, invalidJSONValue
        }

        @usableFromInline
        let kind: Kind

        @inlinable
        init(_ kind: Kind) { self.kind = kind }

        /// The input ended inside a tag, varint, fixed-width value or length-delimited payload.
        public static let truncated = Code(.truncated)
        /// A varint longer than 10 bytes, or a 10th byte carrying more than one bit.
        public static let overlongVarint = Code(.overlongVarint)
        /// Wire type 6 or 7.
        public static let invalidWireType = Code(.invalidWireType)
        /// Field number 0 or above 2^29-1.
        public static let invalidFieldNumber = Code(.invalidFieldNumber)
        /// A length prefix that runs past the end of the enclosing buffer.
        public static let lengthOutOfBounds = Code(.lengthOutOfBounds)
        /// Wire types 3 and 4 (groups), which proto3 does not have.
        public static let groupsUnsupported = Code(.groupsUnsupported)
        /// A `string` field whose bytes are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// Messages nested deeper than the reader's limit.
        public static let nestingTooDeep = Code(.nestingTooDeep)
        /// JSON text that is not well-formed.
        public static let invalidJSON = Code(.invalidJSON)
        /// A JSON value of the wrong kind for its field (a string where an object belongs...).
        public static let jsonTypeMismatch = Code(.jsonTypeMismatch)
        /// A JSON key that names no field, when unknown keys are errors.
        public static let unknownJSONField = Code(.unknownJSONField)
        /// A JSON value of the right kind that is out of range or unparsable (a bad enum name, "12x").
        public static let invalidJSONValue = Code(.invalidJSONValue)

        /// The code's name.
        public var description: String { String(describing: kind) }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for people, naming the field path or offset where known.
    public var reason: String

    /// Creates an error.
    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// Creates an error with only a code (handy in tests).
    public init(code: Code) {
        self.init(code: code, reason: "")
    }

    /// `code: reason`.
    public var description: String { reason.isEmpty ? "\(code)" : "\(code): \(reason)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    @usableFromInline @inline(never)
    static func truncated(_ what: String) -> Self {
        Self(code: .truncated, reason: "input ended inside \(what)")
    }

    @usableFromInline @inline(never)
    static func overlongVarint() -> Self {
        Self(code: .overlongVarint, reason: "varint longer than 10 bytes or over 64 bits")
    }

    @usableFromInline @inline(never)
    static func lengthOutOfBounds(_ length: UInt64, available: Int) -> Self {
        Self(code: .lengthOutOfBounds, reason: "length \(length) exceeds the \(available) bytes left")
    }

    @usableFromInline @inline(never)
    static func badTag(_ raw: UInt64) -> Self {
        let wireType = raw & 7
        if raw >> 3 == 0 || raw >> 3 > 0x1FFF_FFFF {
            return Self(code: .invalidFieldNumber, reason: "field number \(raw >> 3) is out of range")
        }
        if wireType == 3 || wireType == 4 {
            return Self(
                code: .groupsUnsupported, reason: "field \(raw >> 3) uses a group wire type, which proto3 lacks")
        }
        return Self(code: .invalidWireType, reason: "field \(raw >> 3) has wire type \(wireType)")
    }

    @usableFromInline @inline(never)
    static func invalidUTF8() -> Self {
        Self(code: .invalidUTF8, reason: "string field is not valid UTF-8")
    }

    @usableFromInline @inline(never)
    static func nestingTooDeep(_ limit: Int) -> Self {
        Self(code: .nestingTooDeep, reason: "messages nested deeper than \(limit) levels")
    }
}
