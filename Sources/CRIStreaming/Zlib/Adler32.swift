/// The Adler-32 checksum of RFC 1950 § 8.2: zlib's trailer, and the DICTID that names a preset dictionary.
package struct Adler32: Hashable, Sendable {
    private static let modulus: UInt32 = 65521
    /// RFC 1950 § 9: the largest n with 255n(n+1)/2 + (n+1)(modulus-1) < 2^32, so sums stay in 32 bits for
    /// that many bytes before a reduction.
    private static let blockLength = 5552

    private var a: UInt32 = 1
    private var b: UInt32 = 0

    /// A checksum over no bytes (value 1).
    package init() {}

    /// The checksum of `bytes`.
    package init(_ bytes: some Sequence<UInt8>) {
        update(bytes)
    }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(buffer)
        }
        if done == nil {
            update(Array(bytes))
        }
    }

    /// The loop itself, over contiguous bytes: sums are reduced once per ``blockLength`` bytes, not per byte.
    private mutating func update(_ buffer: UnsafeBufferPointer<UInt8>) {
        var a = self.a
        var b = self.b
        var rest = buffer[...]
        while !rest.isEmpty {
            let block = rest.prefix(Self.blockLength)
            for byte in block {
                a &+= UInt32(byte)
                b &+= a
            }
            a %= Self.modulus
            b %= Self.modulus
            rest = rest.dropFirst(block.count)
        }
        self.a = a
        self.b = b
    }

    /// The 32-bit value, as written big-endian in a zlib stream.
    package var value: UInt32 { b << 16 | a }
}
