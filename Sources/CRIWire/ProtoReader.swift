/// Reads protobuf wire format from borrowed bytes, without copying them.
///
/// A reader is only valid inside the closure that lent its bytes (see
/// ``ProtoMessage/init(serializedBytes:)``); generated decoders receive it `inout` and never store it.
/// Every read is bounds-checked and throws ``ProtoDecodingError`` instead of trapping.
public struct ProtoReader {
    @usableFromInline
    var cursor: UnsafeRawPointer
    @usableFromInline
    let end: UnsafeRawPointer
    /// How many more levels of nested messages may be entered.
    @usableFromInline
    let remainingDepth: Int
    /// Shares repeated strings within one large decode; nil for small inputs, where it cannot pay off.
    /// Unmanaged so that nested readers copy it without reference counting; the decode entry point
    /// keeps it alive for as long as any reader exists.
    @usableFromInline
    var interner: Unmanaged<StringInterner>?

    /// Inputs at least this long get a ``StringInterner``.
    @usableFromInline
    static let interningThreshold = 16 * 1024

    /// The default nesting limit, as in the C++ and Go runtimes.
    public static let defaultDepthLimit = 100

    @usableFromInline
    init(
        cursor: UnsafeRawPointer, end: UnsafeRawPointer, remainingDepth: Int,
        interner: Unmanaged<StringInterner>? = nil
    ) {
        self.cursor = cursor
        self.end = end
        self.remainingDepth = remainingDepth
        self.interner = interner
    }

    /// Creates a reader over `buffer`, allowing `depthLimit` levels of nesting.
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer, depthLimit: Int = ProtoReader.defaultDepthLimit) {
        // An empty buffer may have no base address; any non-null pointer works since it is never read.
        let start = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!  // non-zero literal: never nil
        self.init(cursor: start, end: start + buffer.count, remainingDepth: depthLimit)
    }

    /// True once every byte has been consumed.
    @inlinable
    public var isAtEnd: Bool { cursor == end }

    @inlinable
    var available: Int { end - cursor }

    // MARK: Tags and varints

    /// Reads the next field tag, or returns nil at the end of the message.
    @inlinable
    public mutating func nextTag() throws(ProtoDecodingError) -> FieldTag? {
        if cursor == end { return nil }
        let raw = try readVarint()
        let wireType = raw & 7
        // Field numbers run 1 ... 2^29-1; wire types 0, 1, 2 and 5 are the only ones proto3 uses.
        guard raw >> 3 != 0, raw >> 3 <= 0x1FFF_FFFF, wireType <= 2 || wireType == 5 else {
            throw ProtoDecodingError.badTag(raw)
        }
        return FieldTag(raw: UInt32(truncatingIfNeeded: raw))
    }

    /// Reads a base-128 varint.
    @inlinable
    public mutating func readVarint() throws(ProtoDecodingError) -> UInt64 {
        if cursor < end {
            let byte = cursor.load(as: UInt8.self)
            if byte < 0x80 {
                cursor += 1
                return UInt64(byte)
            }
        }
        return try readVarintSlowly()
    }

    @usableFromInline
    mutating func readVarintSlowly() throws(ProtoDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var position = cursor
        while true {
            guard position < end else { throw ProtoDecodingError.truncated("a varint") }
            let byte = position.load(as: UInt8.self)
            position += 1
            if shift == 63 {
                // The tenth byte holds bit 63 only; anything more overflows 64 bits.
                guard byte <= 1 else { throw ProtoDecodingError.overlongVarint() }
                result |= UInt64(byte) << 63
                cursor = position
                return result
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                cursor = position
                return result
            }
            shift += 7
        }
    }

    // MARK: Scalars

    /// Reads an `int32` (a varint; negative values arrive sign-extended to 10 bytes).
    @inlinable
    public mutating func readInt32() throws(ProtoDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    /// Reads an `int64`.
    @inlinable
    public mutating func readInt64() throws(ProtoDecodingError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    /// Reads a `uint32`.
    @inlinable
    public mutating func readUInt32() throws(ProtoDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readVarint())
    }

    /// Reads a `uint64`.
    @inlinable
    public mutating func readUInt64() throws(ProtoDecodingError) -> UInt64 {
        try readVarint()
    }

    /// Reads a `bool`: any non-zero varint is true.
    @inlinable
    public mutating func readBool() throws(ProtoDecodingError) -> Bool {
        try readVarint() != 0
    }

    /// Reads an enum value; numbers the schema does not know stay representable.
    @inlinable
    public mutating func readEnum<E: ProtoEnum>() throws(ProtoDecodingError) -> E {
        E(protoValue: Int32(truncatingIfNeeded: try readVarint()))
    }

    /// Reads a little-endian 64-bit value.
    @inlinable
    public mutating func readFixed64() throws(ProtoDecodingError) -> UInt64 {
        guard available >= 8 else { throw ProtoDecodingError.truncated("a fixed64 value") }
        let value = UInt64(littleEndian: cursor.loadUnaligned(as: UInt64.self))
        cursor += 8
        return value
    }

    /// Reads a little-endian 32-bit value.
    @inlinable
    public mutating func readFixed32() throws(ProtoDecodingError) -> UInt32 {
        guard available >= 4 else { throw ProtoDecodingError.truncated("a fixed32 value") }
        let value = UInt32(littleEndian: cursor.loadUnaligned(as: UInt32.self))
        cursor += 4
        return value
    }

    /// Reads a `double`.
    @inlinable
    public mutating func readDouble() throws(ProtoDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    // MARK: Length-delimited

    /// Reads a length prefix and returns the bytes it covers, advancing past them.
    @inlinable
    public mutating func readLengthDelimited() throws(ProtoDecodingError) -> UnsafeRawBufferPointer {
        let length = try readVarint()
        guard length <= UInt64(available) else {
            throw ProtoDecodingError.lengthOutOfBounds(length, available: available)
        }
        let start = cursor
        cursor += Int(length)
        return UnsafeRawBufferPointer(start: start, count: Int(length))
    }

    /// Reads a `string`; invalid UTF-8 is an error, as in protoc-gen-go.
    @inlinable
    public mutating func readString() throws(ProtoDecodingError) -> String {
        try string(readLengthDelimited())
    }

    /// The string for `bytes` of this reader's input: shared through the interner when there is one.
    @inlinable
    func string(_ bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) -> String {
        if bytes.isEmpty { return "" }
        let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
        if let interner, StringInterner.lengths.contains(utf8.count) {
            guard let string = interner._withUnsafeGuaranteedRef({ $0.string(utf8) }) else {
                throw ProtoDecodingError.invalidUTF8()
            }
            return string
        }
        guard UTF8Validation.isValid(utf8) else { throw ProtoDecodingError.invalidUTF8() }
        // Already validated: `String(decoding:)` then takes its fast, non-repairing path.
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Reads a `bytes` field into a new array.
    @inlinable
    public mutating func readBytes() throws(ProtoDecodingError) -> [UInt8] {
        Array(try readLengthDelimited())
    }

    // MARK: Messages

    @inlinable
    mutating func nestedReader() throws(ProtoDecodingError) -> ProtoReader {
        let bytes = try readLengthDelimited()
        guard remainingDepth > 0 else { throw ProtoDecodingError.nestingTooDeep(ProtoReader.defaultDepthLimit) }
        let start = bytes.baseAddress ?? cursor
        return ProtoReader(
            cursor: start, end: start + bytes.count, remainingDepth: remainingDepth - 1, interner: interner)
    }

    /// Reads a length-delimited message and merges it into `message` (proto merge semantics).
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(into message: inout M) throws(ProtoDecodingError) {
        var nested = try nestedReader()
        try message.decodeMessage(from: &nested)
    }

    /// Reads a length-delimited message into an optional field, creating it when absent.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(into message: inout M?) throws(ProtoDecodingError) {
        var nested = try nestedReader()
        var value = message ?? M()
        message = nil  // hand over the storage uniquely so merging does not copy it
        try value.decodeMessage(from: &nested)
        message = value
    }

    /// Reads a length-delimited message as a new value.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(_ type: M.Type) throws(ProtoDecodingError) -> M {
        var nested = try nestedReader()
        var value = M()
        try value.decodeMessage(from: &nested)
        return value
    }

    /// Appends one element of a `repeated` message field.
    ///
    /// On the first element of a long input, the rest of the message is scanned for the same tag so the
    /// array is allocated once at its final size instead of doubling its way there; the count is of
    /// elements actually present, so hostile input cannot make it reserve more than it sends.
    @inlinable
    public mutating func readRepeatedMessage<M: ProtoMessage>(_ tag: FieldTag, into array: inout [M])
        throws(ProtoDecodingError)
    {
        if array.isEmpty, available >= 4096 {
            array.reserveCapacity(countOccurrences(of: tag))
        }
        // Decoded in place: building the element aside and appending it would move a large message
        // (a Container is a few hundred bytes) once more. A failure abandons the whole decode anyway.
        var nested = try nestedReader()
        array.append(M())
        try array[array.count - 1].decodeMessage(from: &nested)
    }

    /// How many fields carry `tag` from here to the end of the message, counting the one whose value
    /// starts here. Stops at the first malformed byte: the decode proper reports it.
    @usableFromInline
    func countOccurrences(of tag: FieldTag) -> Int {
        var scanner = self
        var count = 1
        do throws(ProtoDecodingError) {
            try scanner.skipValue(tag)
            while let next = try scanner.nextTag() {
                if next == tag { count += 1 }
                try scanner.skipValue(next)
            }
        } catch {}
        return count
    }

    // MARK: Repeated scalars

    /// Appends one value (unpacked) or a packed run of `int64` values.
    @inlinable
    public mutating func readRepeatedInt64(_ tag: FieldTag, into array: inout [Int64]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try nestedReader()
            while !packed.isAtEnd { array.append(Int64(bitPattern: try packed.readVarint())) }
        } else {
            array.append(Int64(bitPattern: try readVarint()))
        }
    }

    /// Appends one value (unpacked) or a packed run of `int32` values.
    @inlinable
    public mutating func readRepeatedInt32(_ tag: FieldTag, into array: inout [Int32]) throws(ProtoDecodingError) {
        if tag.wireType == .lengthDelimited {
            var packed = try nestedReader()
            while !packed.isAtEnd { array.append(Int32(truncatingIfNeeded: try packed.readVarint())) }
        } else {
            array.append(Int32(truncatingIfNeeded: try readVarint()))
        }
    }

    // MARK: Maps

    /// Reads one `map<string, string>` entry and stores it; a missing key or value is the empty string,
    /// and a repeated key keeps the last value, as the protobuf spec says.
    @inlinable
    public mutating func readStringMapEntry(into map: inout StringMap) throws(ProtoDecodingError) {
        try readStringMapEntryBody(into: &map)
    }

    /// Reads one entry of the `map<string, string>` field `tag`; on the first entry the entries that
    /// follow it directly are measured (encoders write a map's entries together), so the map's bytes
    /// are allocated once at their final size: no regrowth, and no more room than they need.
    @inlinable
    public mutating func readStringMapEntry(_ tag: FieldTag, into map: inout StringMap)
        throws(ProtoDecodingError)
    {
        if map.isEmpty { map.reservePackedBytes(runBytes(of: tag)) }
        try readStringMapEntryBody(into: &map)
    }

    /// How many bytes the length-delimited `tag` fields that run back to back from here take, this
    /// one included (the reader is past its tag), less one tag byte each: what a packed ``StringMap``
    /// stores for them. Small map entries have a one-byte tag and a one-byte length, so the scan is
    /// two loads an entry; anything else ends it early. A capacity hint only: malformed bytes end the
    /// measure, and the decode proper reports them.
    @inlinable
    func runBytes(of tag: FieldTag) -> Int {
        guard tag.raw < 0x80 else { return 0 }
        let tagByte = UInt8(truncatingIfNeeded: tag.raw)
        let available = self.available
        var offset = 0
        var entries = 0
        while offset < available {
            let length = cursor.load(fromByteOffset: offset, as: UInt8.self)
            guard length < 0x80 else { break }
            offset += 1 + Int(length)
            entries += 1
            guard offset < available, cursor.load(fromByteOffset: offset, as: UInt8.self) == tagByte else { break }
            offset += 1
        }
        return min(offset, available) - (entries - 1)
    }

    @inlinable
    mutating func readStringMapEntryBody(into map: inout StringMap) throws(ProtoDecodingError) {
        let body = try readLengthDelimited()
        guard remainingDepth > 0 else { throw ProtoDecodingError.nestingTooDeep(ProtoReader.defaultDepthLimit) }
        // The shape encoders write for entries under 128 bytes: key tag, one-byte length, key, value
        // tag, one-byte length, value. That is the packed form a map keeps, so once the key and value
        // are checked the bytes are stored as they are; any other shape (a missing or repeated field,
        // an unknown one, longer lengths) takes the general loop below.
        if body.count >= 4, let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self), base[0] == 0x0A {
            let keyCount = Int(base[1])
            if keyCount < 0x80, keyCount + 4 <= body.count, base[keyCount + 2] == 0x12 {
                let valueCount = Int(base[keyCount + 3])
                if valueCount < 0x80, keyCount + 4 + valueCount == body.count {
                    guard UTF8Validation.isValid(UnsafeBufferPointer(start: base + 2, count: keyCount)),
                        UTF8Validation.isValid(UnsafeBufferPointer(start: base + keyCount + 4, count: valueCount))
                    else { throw ProtoDecodingError.invalidUTF8() }
                    // A length under 128 is one varint byte, just before the body.
                    let lengthPrecedes = body.count < 0x80 && base[-1] == UInt8(truncatingIfNeeded: body.count)
                    map.insertDecoded(
                        body: UnsafeBufferPointer(start: base, count: body.count), lengthPrecedes: lengthPrecedes,
                        keyStart: 2, keyCount: keyCount, valueStart: keyCount + 4)
                    return
                }
            }
        }
        let start = body.baseAddress ?? cursor
        var entry = ProtoReader(
            cursor: start, end: start + body.count, remainingDepth: remainingDepth - 1, interner: interner)
        var key = ""
        var value = ""
        while let tag = try entry.nextTag() {
            switch tag.raw {
            case 0x0A: key = try entry.readString()
            case 0x12: value = try entry.readString()
            default: try entry.skipValue(tag)
            }
        }
        map.updateValue(value, forKey: key)
    }

    // MARK: Unknown fields

    /// Skips the value of a field this decoder does not know, keeping its bytes so they are re-emitted.
    @inlinable
    public mutating func skipField(_ tag: FieldTag, into unknownFields: inout UnknownFields) throws(ProtoDecodingError)
    {
        let valueStart = cursor
        try skipValue(tag)
        unknownFields.append(tag: tag, value: UnsafeRawBufferPointer(start: valueStart, count: cursor - valueStart))
    }

    /// Skips the value of a field without keeping it.
    @inlinable
    public mutating func skipValue(_ tag: FieldTag) throws(ProtoDecodingError) {
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        default: throw ProtoDecodingError.badTag(UInt64(tag.raw))
        }
    }
}
