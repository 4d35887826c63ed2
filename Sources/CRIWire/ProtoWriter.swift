/// Writes protobuf wire format back to front into a buffer sized exactly beforehand.
///
/// ``ProtoMessage/serializedBytes()`` first adds up the bytes (``ProtoMessage/encodedSize()``), then
/// allocates once and fills the buffer from its end towards its start. Writing backwards means a
/// nested message's body is written before its length prefix, so the length is simply the distance
/// covered: no sub-message is sized a second time, nothing is moved or regrown. (A front-to-back
/// writer must size every sub-message again before writing it; for a long container list that meant
/// iterating every label map three times, retaining each key and value each time.)
///
/// The consequence for encoders: **fields are written in reverse order**, unknown fields first, then
/// from the highest field number down; the `repeated`, packed and map helpers take care of their own
/// elements. Generated code does this; a hand-written conformance must too.
///
/// A writer is only valid inside the closure that lent its buffer (``ProtoMessage/serializedBytes()``,
/// ``withBytes(capacity:_:)``); encoders receive it `inout` and never store it. Every write checks the
/// room left, so a size computation that under-counts stops the process instead of writing outside
/// the buffer; that is a bug in an `encodedSize()`, never something input can cause.
public struct ProtoWriter {
    /// Writes go immediately below this address.
    @usableFromInline
    var cursor: UnsafeMutableRawPointer
    @usableFromInline
    let start: UnsafeMutableRawPointer

    /// A writer that fills `buffer` from its end.
    @inlinable
    public init(_ buffer: UnsafeMutableRawBufferPointer) {
        // An empty buffer may have no base address; nothing is ever written through it then.
        let base = buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 0x10)!  // non-zero literal
        start = base
        cursor = base + buffer.count
    }

    /// How many bytes are still free (at the front of the buffer).
    @inlinable
    public var remaining: Int { cursor - start }

    /// Runs `body` with a writer over a fresh buffer of `capacity` bytes and returns what it wrote
    /// (the end of the buffer: writes run back to front).
    @inlinable
    public static func withBytes(capacity: Int, _ body: (inout ProtoWriter) -> Void) -> [UInt8] {
        // Capacity 0 would write into the shared empty-array singleton (see `serializedBytes()`).
        guard capacity > 0 else { return [] }
        var written = 0
        let all = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var writer = ProtoWriter(UnsafeMutableRawBufferPointer(buffer))
            body(&writer)
            // Zero the unused front so the whole array is initialized before the tail is taken.
            if writer.remaining > 0 {
                writer.start.initializeMemory(as: UInt8.self, repeating: 0, count: writer.remaining)
            }
            written = capacity - writer.remaining
            initialized = capacity
        }
        return Array(all[(capacity - written)...])
    }

    @inlinable
    mutating func claim(_ count: Int) -> UnsafeMutableRawPointer {
        precondition(cursor - start >= count, "ProtoWriter: encodedSize() counted fewer bytes than were written")
        cursor -= count
        return cursor
    }

    // MARK: Primitives

    /// Writes a base-128 varint (in front of what was written before).
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            claim(1).storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            return
        }
        var destination = claim(Varint.encodedSize(of: value))
        var value = value
        while value >= 0x80 {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, as: UInt8.self)
            destination += 1
            value >>= 7
        }
        destination.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
    }

    /// Writes a field tag.
    @inlinable
    public mutating func writeTag(field: Int, wireType: WireType) {
        writeVarint(UInt64(FieldTag(fieldNumber: field, wireType: wireType).raw))
    }

    /// Writes raw bytes as they are.
    @inlinable
    public mutating func writeRawBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        claim(bytes.count).copyMemory(from: source, byteCount: bytes.count)
    }

    @inlinable
    mutating func writeFixed64(_ value: UInt64) {
        claim(8).storeBytes(of: value.littleEndian, as: UInt64.self)
    }

    // MARK: Scalar fields

    /// Writes an `int32` field; negative values take 10 bytes (sign-extended), as the spec requires.
    @inlinable
    public mutating func writeInt32(field: Int, _ value: Int32) {
        writeVarint(UInt64(bitPattern: Int64(value)))
        writeTag(field: field, wireType: .varint)
    }

    /// Writes an `int64` field.
    @inlinable
    public mutating func writeInt64(field: Int, _ value: Int64) {
        writeVarint(UInt64(bitPattern: value))
        writeTag(field: field, wireType: .varint)
    }

    /// Writes a `uint32` field.
    @inlinable
    public mutating func writeUInt32(field: Int, _ value: UInt32) {
        writeVarint(UInt64(value))
        writeTag(field: field, wireType: .varint)
    }

    /// Writes a `uint64` field.
    @inlinable
    public mutating func writeUInt64(field: Int, _ value: UInt64) {
        writeVarint(value)
        writeTag(field: field, wireType: .varint)
    }

    /// Writes a `bool` field.
    @inlinable
    public mutating func writeBool(field: Int, _ value: Bool) {
        writeVarint(value ? 1 : 0)
        writeTag(field: field, wireType: .varint)
    }

    /// Writes an enum field by number (negative numbers sign-extend like `int32`).
    @inlinable
    public mutating func writeEnum(field: Int, _ value: some ProtoEnum) {
        writeInt32(field: field, value.protoValue)
    }

    /// Writes a `double` field.
    @inlinable
    public mutating func writeDouble(field: Int, _ value: Double) {
        writeFixed64(value.bitPattern)
        writeTag(field: field, wireType: .fixed64)
    }

    /// Writes a `string` field.
    @inlinable
    public mutating func writeString(field: Int, _ value: String) {
        writeStringBody(value)
        writeTag(field: field, wireType: .lengthDelimited)
    }

    /// Writes the UTF-8 bytes of `value` behind their length prefix.
    @inlinable
    mutating func writeStringBody(_ value: String) {
        // Native and small strings are contiguous; only bridged ones need the copying fallback.
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            writeRawBytes(UnsafeRawBufferPointer(utf8))
            writeVarint(UInt64(utf8.count))
        }
        if written == nil {
            var copy = value
            copy.withUTF8 { utf8 in
                writeRawBytes(UnsafeRawBufferPointer(utf8))
                writeVarint(UInt64(utf8.count))
            }
        }
    }

    /// Writes every element of a `repeated string` field.
    @inlinable
    public mutating func writeRepeatedString(field: Int, _ values: [String]) {
        for index in values.indices.reversed() { writeString(field: field, values[index]) }
    }

    /// Writes a `bytes` field.
    @inlinable
    public mutating func writeBytes(field: Int, _ value: [UInt8]) {
        value.withUnsafeBytes { writeRawBytes($0) }
        writeVarint(UInt64(value.count))
        writeTag(field: field, wireType: .lengthDelimited)
    }

    // MARK: Messages

    /// Writes a nested message field; an empty but present message is still written (tag + zero length).
    @inlinable
    public mutating func writeMessage(field: Int, _ message: some ProtoMessage) {
        let end = cursor
        message.encodeMessage(into: &self)
        writeVarint(UInt64(end - cursor))
        writeTag(field: field, wireType: .lengthDelimited)
    }

    /// Writes every element of a `repeated` message field.
    @inlinable
    public mutating func writeRepeatedMessage<M: ProtoMessage>(field: Int, _ messages: [M]) {
        // Borrow the elements in place: iterating the array copies each element out, retaining every
        // string and array it holds.
        messages.withUnsafeBufferPointer { elements in
            guard let first = elements.baseAddress else { return }
            for index in elements.indices.reversed() {
                // Calling the method through `pointee` borrows the element in place; passing
                // `elements[index]` on made a copy of every element (and retained all it holds) first.
                let end = cursor
                (first + index).pointee.encodeMessage(into: &self)
                writeVarint(UInt64(end - cursor))
                writeTag(field: field, wireType: .lengthDelimited)
            }
        }
    }

    // MARK: Repeated and map fields

    /// Writes a packed `repeated int64` field; nothing when empty.
    @inlinable
    public mutating func writePackedInt64(field: Int, _ values: [Int64]) {
        if values.isEmpty { return }
        let end = cursor
        for index in values.indices.reversed() { writeVarint(UInt64(bitPattern: values[index])) }
        writeVarint(UInt64(end - cursor))
        writeTag(field: field, wireType: .lengthDelimited)
    }

    /// Writes a packed `repeated int32` field; nothing when empty.
    @inlinable
    public mutating func writePackedInt32(field: Int, _ values: [Int32]) {
        if values.isEmpty { return }
        let end = cursor
        for index in values.indices.reversed() { writeVarint(UInt64(bitPattern: Int64(values[index]))) }
        writeVarint(UInt64(end - cursor))
        writeTag(field: field, wireType: .lengthDelimited)
    }

    /// Writes a `map<string, string>` field: one entry message per key, key and value always present
    /// (as the C++ and Go runtimes write them), in map order: the buffer fills from the end, so the
    /// last entry is written first.
    @inlinable
    public mutating func writeStringMap(field: Int, _ map: StringMap) {
        if map.isEmpty { return }
        if let large = map.large {
            var position = large.entries.count
            while position > 0 {
                position -= 1
                let end = cursor
                writeStringBody(large.entries[position].value)
                writeVarint(0x12)
                writeStringBody(large.entries[position].key)
                writeVarint(0x0A)
                writeVarint(UInt64(end - cursor))
                writeTag(field: field, wireType: .lengthDelimited)
            }
            return
        }
        // Packed entries are already in wire form; each only needs its tag in front. They are found
        // front to back and written back to front; a packed map has at most 16, so `starts` is on the stack.
        let tag = UInt64(FieldTag(fieldNumber: field, wireType: .lengthDelimited).raw)
        map.packed.withUnsafeBufferPointer { packed in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: map.count + 1) { starts in
                var offset = 0
                for entry in 0..<map.count {
                    starts[entry] = offset
                    offset = PackedEntry.end(in: packed, at: offset)
                }
                starts[map.count] = packed.count
                for entry in (0..<map.count).reversed() {
                    let bytes = UnsafeBufferPointer(rebasing: packed[starts[entry]..<starts[entry + 1]])
                    writeRawBytes(UnsafeRawBufferPointer(bytes))
                    writeVarint(tag)
                }
            }
        }
    }

    /// Writes unknown fields exactly as they were read; they follow the known fields on the wire, so
    /// an encoder writes them first.
    @inlinable
    public mutating func writeUnknownFields(_ unknownFields: UnknownFields) {
        if !unknownFields.isEmpty { unknownFields.bytes.withUnsafeBytes { writeRawBytes($0) } }
    }
}
