/// Fields a decoder did not recognise, kept as their original wire bytes (tag and value) so that
/// re-encoding a message from a newer peer loses nothing.
public struct UnknownFields: Hashable, Sendable {
    /// The raw wire bytes, in the order the fields arrived.
    public var bytes: [UInt8]

    /// No unknown fields.
    @inlinable
    public init() { bytes = [] }

    /// Wraps raw wire bytes (each a complete tag + value).
    @inlinable
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// True when nothing unknown was seen.
    @inlinable
    public var isEmpty: Bool { bytes.isEmpty }

    @inlinable
    mutating func append(tag: FieldTag, value: UnsafeRawBufferPointer) {
        var tagValue = UInt64(tag.raw)
        while tagValue >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: tagValue) | 0x80)
            tagValue >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: tagValue))
        bytes.append(contentsOf: value)
    }
}
