/// The wire type in the low three bits of a field tag (protobuf encoding guide, "Message Structure").
///
/// A struct with static members rather than an enum, so that the reserved values 6 and 7 stay
/// representable long enough to be reported as errors.
public struct WireType: Hashable, Sendable, CustomStringConvertible {
    /// The three-bit value as it appears on the wire.
    public let rawValue: UInt8

    /// Wraps a raw wire type.
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// int32, int64, uint32, uint64, sint32, sint64, bool, enum.
    public static let varint = WireType(rawValue: 0)
    /// fixed64, sfixed64, double.
    public static let fixed64 = WireType(rawValue: 1)
    /// string, bytes, embedded messages, packed repeated fields, map entries.
    public static let lengthDelimited = WireType(rawValue: 2)
    /// Deprecated group start; proto3 has no groups.
    public static let startGroup = WireType(rawValue: 3)
    /// Deprecated group end; proto3 has no groups.
    public static let endGroup = WireType(rawValue: 4)
    /// fixed32, sfixed32, float.
    public static let fixed32 = WireType(rawValue: 5)

    /// A short name for error messages.
    public var description: String {
        switch rawValue {
        case 0: "varint"
        case 1: "fixed64"
        case 2: "length-delimited"
        case 3: "start-group"
        case 4: "end-group"
        case 5: "fixed32"
        default: "invalid(\(rawValue))"
        }
    }
}

/// A decoded field tag: field number and wire type, plus the raw varint value they came from.
///
/// Generated decoders switch on ``raw`` so that each known field is one integer-literal case.
public struct FieldTag: Hashable, Sendable {
    /// `fieldNumber << 3 | wireType`.
    public let raw: UInt32

    /// Wraps a raw tag value.
    @inlinable
    public init(raw: UInt32) { self.raw = raw }

    /// Builds a tag from its parts.
    @inlinable
    public init(fieldNumber: Int, wireType: WireType) {
        self.raw = UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue)
    }

    /// The field number (1 ... 2^29-1).
    @inlinable
    public var fieldNumber: Int { Int(raw >> 3) }

    /// The wire type.
    @inlinable
    public var wireType: WireType { WireType(rawValue: UInt8(truncatingIfNeeded: raw & 7)) }
}
