/// The output side of the deflater: bits packed least-significant first into bytes (RFC 1951 § 3.1.1).
struct BitWriter: Sendable {
    /// The whole bytes written so far.
    private(set) var bytes: [UInt8] = []
    private var pending: UInt64 = 0
    private var pendingCount = 0

    /// Appends the low `count` bits (at most 32) of `value`.
    @inline(__always)
    mutating func write(_ value: UInt32, _ count: Int) {
        pending |= UInt64(value) << UInt64(pendingCount)
        pendingCount += count
        while pendingCount >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: pending))
            pending >>= 8
            pendingCount -= 8
        }
    }

    /// Pads with zero bits to the next byte boundary.
    mutating func alignToByte() {
        if pendingCount > 0 { write(0, 8 - pendingCount) }
    }
}
