/// Writes protobuf wire format into a growing byte array.
///
/// Nested messages are written with an optimistic one-byte length that is widened in place when
/// the message turns out to be 128 bytes or longer, so encoding is a single pass with no size
/// pre-computation; most CRI sub-messages are short.
public struct ProtoWriter {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer, reserving `capacity` bytes up front.
    @inlinable
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Primitives

    /// Appends a base-128 varint.
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a field tag.
    @inlinable
    public mutating func writeTag(field: Int, wireType: WireType) {
        writeVarint(UInt64(FieldTag(fieldNumber: field, wireType: wireType).raw))
    }

    @inlinable
    mutating func writeFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    // MARK: Scalar fields

    /// Writes an `int32` field; negative values take 10 bytes (sign-extended), as the spec requires.
    @inlinable
    public mutating func writeInt32(field: Int, _ value: Int32) {
        writeTag(field: field, wireType: .varint)
        writeVarint(UInt64(bitPattern: Int64(value)))
    }

    /// Writes an `int64` field.
    @inlinable
    public mutating func writeInt64(field: Int, _ value: Int64) {
        writeTag(field: field, wireType: .varint)
        writeVarint(UInt64(bitPattern: value))
    }

    /// Writes a `uint32` field.
    @inlinable
    public mutating func writeUInt32(field: Int, _ value: UInt32) {
        writeTag(field: field, wireType: .varint)
        writeVarint(UInt64(value))
    }

    /// Writes a `uint64` field.
    @inlinable
    public mutating func writeUInt64(field: Int, _ value: UInt64) {
        writeTag(field: field, wireType: .varint)
        writeVarint(value)
    }

    /// Writes a `bool` field.
    @inlinable
    public mutating func writeBool(field: Int, _ value: Bool) {
        writeTag(field: field, wireType: .varint)
        bytes.append(value ? 1 : 0)
    }

    /// Writes an enum field by number (negative numbers sign-extend like `int32`).
    @inlinable
    public mutating func writeEnum(field: Int, _ value: some ProtoEnum) {
        writeInt32(field: field, value.protoValue)
    }

    /// Writes a `double` field.
    @inlinable
    public mutating func writeDouble(field: Int, _ value: Double) {
        writeTag(field: field, wireType: .fixed64)
        writeFixed64(value.bitPattern)
    }

    /// Writes a `string` field.
    @inlinable
    public mutating func writeString(field: Int, _ value: String) {
        writeTag(field: field, wireType: .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes a `bytes` field.
    @inlinable
    public mutating func writeBytes(field: Int, _ value: [UInt8]) {
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    // MARK: Messages

    /// Writes a nested message field; an empty but present message is still written (tag + zero length).
    @inlinable
    public mutating func writeMessage(field: Int, _ message: some ProtoMessage) {
        writeTag(field: field, wireType: .lengthDelimited)
        let lengthIndex = bytes.count
        bytes.append(0)
        message.encodeMessage(into: &self)
        finishLength(at: lengthIndex)
    }

    /// Fills in the length byte reserved at `lengthIndex`, widening it when the body needs more.
    @usableFromInline
    mutating func finishLength(at lengthIndex: Int) {
        let length = bytes.count - lengthIndex - 1
        if length < 0x80 {
            bytes[lengthIndex] = UInt8(truncatingIfNeeded: length)
            return
        }
        let width = Varint.encodedSize(of: UInt64(length))
        bytes.insert(contentsOf: repeatElement(0, count: width - 1), at: lengthIndex + 1)
        var value = UInt64(length)
        var index = lengthIndex
        while value >= 0x80 {
            bytes[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        bytes[index] = UInt8(truncatingIfNeeded: value)
    }

    // MARK: Repeated and map fields

    /// Writes a packed `repeated int64` field; nothing when empty.
    @inlinable
    public mutating func writePackedInt64(field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        writeTag(field: field, wireType: .lengthDelimited)
        var length = 0
        for value in values { length += Varint.encodedSize(of: UInt64(bitPattern: value)) }
        writeVarint(UInt64(length))
        for value in values { writeVarint(UInt64(bitPattern: value)) }
    }

    /// Writes a packed `repeated int32` field; nothing when empty.
    @inlinable
    public mutating func writePackedInt32(field: Int, _ values: [Int32]) {
        if values.isEmpty { return }
        writeTag(field: field, wireType: .lengthDelimited)
        var length = 0
        for value in values { length += Varint.encodedSize(of: UInt64(bitPattern: Int64(value))) }
        writeVarint(UInt64(length))
        for value in values { writeVarint(UInt64(bitPattern: Int64(value))) }
    }

    /// Writes a `map<string, string>` field: one entry message per key, key and value always present
    /// (as the C++ and Go runtimes write them).
    @inlinable
    public mutating func writeStringMap(field: Int, _ map: [String: String]) {
        for (key, value) in map {
            writeTag(field: field, wireType: .lengthDelimited)
            let lengthIndex = bytes.count
            bytes.append(0)
            writeString(field: 1, key)
            writeString(field: 2, value)
            finishLength(at: lengthIndex)
        }
    }

    /// Re-emits unknown fields exactly as they were read.
    @inlinable
    public mutating func writeUnknownFields(_ unknownFields: UnknownFields) {
        if !unknownFields.isEmpty { bytes.append(contentsOf: unknownFields.bytes) }
    }
}
