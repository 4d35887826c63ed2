/// Varint arithmetic shared by the writer and by size computations.
public enum Varint {
    /// The number of bytes `value` takes as a base-128 varint (1 ... 10), computed without a loop.
    @inlinable
    public static func encodedSize(of value: UInt64) -> Int {
        // Each byte carries 7 bits; a zero value still needs one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }
}
