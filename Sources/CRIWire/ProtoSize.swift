/// Encoded sizes of fields, for ``ProtoMessage/encodedSize()``.
///
/// Each function returns the whole field (tag, length prefix, value) so that generated size code is a
/// sum of calls that mirror the writer's calls one for one. Tag sizes arrive precomputed from the
/// generator, since field numbers are constants there.
public enum ProtoSize {
    /// A varint-encoded value (int32 sign-extends to ten bytes when negative).
    @inlinable
    public static func varint(tagSize: Int, _ value: UInt64) -> Int {
        tagSize + Varint.encodedSize(of: value)
    }

    /// An `int32` or enum field.
    @inlinable
    public static func int32(tagSize: Int, _ value: Int32) -> Int {
        tagSize + Varint.encodedSize(of: UInt64(bitPattern: Int64(value)))
    }

    /// A length-delimited field of `length` bytes.
    @inlinable
    public static func lengthDelimited(tagSize: Int, _ length: Int) -> Int {
        tagSize + Varint.encodedSize(of: UInt64(length)) + length
    }

    /// A `string` field.
    @inlinable
    public static func string(tagSize: Int, _ value: String) -> Int {
        lengthDelimited(tagSize: tagSize, value.utf8.count)
    }

    /// A nested message field.
    @inlinable
    public static func message(tagSize: Int, _ message: some ProtoMessage) -> Int {
        lengthDelimited(tagSize: tagSize, message.encodedSize())
    }

    /// Every element of a `repeated` message field.
    @inlinable
    public static func repeatedMessage<M: ProtoMessage>(tagSize: Int, _ messages: [M]) -> Int {
        messages.withUnsafeBufferPointer { elements in
            guard let first = elements.baseAddress else { return 0 }
            var total = 0
            // Through `pointee`: borrowed in place, not copied (see ProtoWriter.writeRepeatedMessage).
            for index in elements.indices { total += lengthDelimited(tagSize: tagSize, (first + index).pointee.encodedSize()) }
            return total
        }
    }

    /// Every element of a `repeated string` field.
    @inlinable
    public static func repeatedString(tagSize: Int, _ values: [String]) -> Int {
        var total = 0
        for value in values { total += string(tagSize: tagSize, value) }
        return total
    }

    /// A packed `repeated int64` field (nothing when empty).
    @inlinable
    public static func packedInt64(tagSize: Int, _ values: [Int64]) -> Int {
        values.isEmpty ? 0 : lengthDelimited(tagSize: tagSize, packedInt64Body(values))
    }

    /// A packed `repeated int32` field (nothing when empty).
    @inlinable
    public static func packedInt32(tagSize: Int, _ values: [Int32]) -> Int {
        values.isEmpty ? 0 : lengthDelimited(tagSize: tagSize, packedInt32Body(values))
    }

    /// A `map<string, string>` field: one entry message per key.
    @inlinable
    public static func stringMap(tagSize: Int, _ map: StringMap) -> Int {
        // The map keeps its size for one-byte tags; wider tags add their extra bytes per entry.
        tagSize == 1 ? map.wireSize : map.wireSize + (tagSize - 1) * map.count
    }

    @inlinable
    static func packedInt64Body(_ values: [Int64]) -> Int {
        var length = 0
        for value in values { length += Varint.encodedSize(of: UInt64(bitPattern: value)) }
        return length
    }

    @inlinable
    static func packedInt32Body(_ values: [Int32]) -> Int {
        var length = 0
        for value in values { length += Varint.encodedSize(of: UInt64(bitPattern: Int64(value))) }
        return length
    }
}
