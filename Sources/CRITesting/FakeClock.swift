#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock time in nanoseconds since the epoch, as CRI timestamps are.
func wallClockNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}

/// A random 64-hex-digit identifier, the shape containerd gives pods and containers.
func randomIdentifier() -> String {
    var generator = SystemRandomNumberGenerator()
    var text = ""
    text.reserveCapacity(64)
    for _ in 0..<4 {
        let word = generator.next() as UInt64
        let hex = String(word, radix: 16)
        text += String(repeating: "0", count: 16 - hex.count) + hex
    }
    return text
}
