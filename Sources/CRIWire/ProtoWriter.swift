/// Writes protobuf wire format into a buffer sized exactly beforehand.
///
/// Encoding is two passes: ``ProtoMessage/encodedSize()`` adds up the bytes, then one allocation of
/// that size is filled front to back through a raw cursor. Nested lengths are known before their
/// bodies (each sub-message is sized again when written), so nothing is moved or regrown; profiles
/// of the earlier growing-array writer were dominated by regrowth copies and per-byte capacity checks.
///
/// A writer is only valid inside the closure that lent its buffer (``ProtoMessage/serializedBytes()``,
/// ``withBytes(capacity:_:)``); generated encoders receive it `inout` and never store it. Every write
/// checks the remaining room, so a size computation that under-counts stops the process instead of
/// writing past the buffer; that is a bug in an `encodedSize()`, never something input can cause.
public struct ProtoWriter {
    @usableFromInline
    var cursor: UnsafeMutableRawPointer
    @usableFromInline
    let end: UnsafeMutableRawPointer

    /// A writer that fills `buffer` from its start.
    @inlinable
    public init(_ buffer: UnsafeMutableRawBufferPointer) {
        // An empty buffer may have no base address; nothing is ever written through it then.
        let start = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x10)!  // non-zero literal
        cursor = start
        end = start + buffer.count
    }

    /// How many bytes are still free.
    @inlinable
    public var remaining: Int { end - cursor }

    /// Runs `body` with a writer over a fresh buffer of `capacity` bytes and returns what it wrote.
    ///
    /// For hand-built wire bytes (tests, framing); messages use ``ProtoMessage/serializedBytes()``.
    @inlinable
    public static func withBytes(capacity: Int, _ body: (inout ProtoWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var writer = ProtoWriter(UnsafeMutableRawBufferPointer(buffer))
            body(&writer)
            initialized = capacity - writer.remaining
        }
    }

    @inlinable
    mutating func reserve(_ count: Int) {
        precondition(end - cursor >= count, "ProtoWriter: encodedSize() counted fewer bytes than were written")
    }

    // MARK: Primitives

    /// Appends a base-128 varint.
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            reserve(1)
            cursor.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            cursor += 1
            return
        }
        reserve(Varint.encodedSize(of: value))
        var value = value
        while value >= 0x80 {
            cursor.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, as: UInt8.self)
            cursor += 1
            value >>= 7
        }
        cursor.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
        cursor += 1
    }

    /// Appends a field tag.
    @inlinable
    public mutating func writeTag(field: Int, wireType: WireType) {
        writeVarint(UInt64(FieldTag(fieldNumber: field, wireType: wireType).raw))
    }

    /// Appends raw bytes as they are.
    @inlinable
    public mutating func writeRawBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        cursor.copyMemory(from: source, byteCount: bytes.count)
        cursor += bytes.count
    }

    @inlinable
    mutating func writeFixed64(_ value: UInt64) {
        reserve(8)
        cursor.storeBytes(of: value.littleEndian, as: UInt64.self)
        cursor += 8
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
        writeVarint(value ? 1 : 0)
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
        writeStringBody(value)
    }

    /// Writes a length prefix and the UTF-8 bytes of `value`.
    @inlinable
    mutating func writeStringBody(_ value: String) {
        // Native and small strings are contiguous; only bridged ones need the copying fallback.
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeVarint(UInt64(utf8.count))
            writeRawBytes(UnsafeRawBufferPointer(utf8))
        }
        if written == nil {
            var copy = value
            copy.withUTF8 { utf8 in
                writeVarint(UInt64(utf8.count))
                writeRawBytes(UnsafeRawBufferPointer(utf8))
            }
        }
    }

    /// Writes a `bytes` field.
    @inlinable
    public mutating func writeBytes(field: Int, _ value: [UInt8]) {
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(value.count))
        value.withUnsafeBytes { writeRawBytes($0) }
    }

    // MARK: Messages

    /// Writes a nested message field; an empty but present message is still written (tag + zero length).
    @inlinable
    public mutating func writeMessage(field: Int, _ message: some ProtoMessage) {
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(message.encodedSize()))
        message.encodeMessage(into: &self)
    }

    /// Writes every element of a `repeated` message field.
    @inlinable
    public mutating func writeRepeatedMessage<M: ProtoMessage>(field: Int, _ messages: [M]) {
        // Borrow the elements in place: iterating the array copies each element out, retaining every
        // string and array it holds, which showed up as the top symbol when encoding large lists.
        messages.withUnsafeBufferPointer { elements in
            for index in elements.indices { writeMessage(field: field, elements[index]) }
        }
    }

    // MARK: Repeated and map fields

    /// Writes a packed `repeated int64` field; nothing when empty.
    @inlinable
    public mutating func writePackedInt64(field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(ProtoSize.packedInt64Body(values)))
        for value in values { writeVarint(UInt64(bitPattern: value)) }
    }

    /// Writes a packed `repeated int32` field; nothing when empty.
    @inlinable
    public mutating func writePackedInt32(field: Int, _ values: [Int32]) {
        if values.isEmpty { return }
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(ProtoSize.packedInt32Body(values)))
        for value in values { writeVarint(UInt64(bitPattern: Int64(value))) }
    }

    /// Writes a `map<string, string>` field: one entry message per key, key and value always present
    /// (as the C++ and Go runtimes write them).
    @inlinable
    public mutating func writeStringMap(field: Int, _ map: [String: String]) {
        for (key, value) in map {
            writeTag(field: field, wireType: .lengthDelimited)
            writeVarint(UInt64(ProtoSize.stringMapEntryBody(key: key, value: value)))
            writeVarint(0x0A)
            writeStringBody(key)
            writeVarint(0x12)
            writeStringBody(value)
        }
    }

    /// Re-emits unknown fields exactly as they were read.
    @inlinable
    public mutating func writeUnknownFields(_ unknownFields: UnknownFields) {
        if !unknownFields.isEmpty { unknownFields.bytes.withUnsafeBytes { writeRawBytes($0) } }
    }
}
