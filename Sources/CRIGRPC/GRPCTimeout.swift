/// The `grpc-timeout` header (gRPC PROTOCOL-HTTP2: "Timeout → TimeoutValue TimeoutUnit", the value
/// at most 8 ASCII digits, the unit one of H M S m u n).
enum GRPCTimeout {
    /// Encodes a positive duration in the finest unit whose value fits in 8 digits, rounding up so the
    /// server never sees a shorter deadline than ours.
    static func encode(_ duration: Duration) -> String {
        let nanoseconds = nanosecondsClamped(duration)
        let units: [(divisor: Int64, unit: Character)] = [
            (1, "n"), (1000, "u"), (1_000_000, "m"), (1_000_000_000, "S"), (60_000_000_000, "M"),
            (3_600_000_000_000, "H"),
        ]
        for (divisor, unit) in units {
            let value = nanoseconds / divisor + (nanoseconds % divisor == 0 ? 0 : 1)
            if value <= 99_999_999 { return "\(max(1, value))\(unit)" }
        }
        return "99999999H"
    }

    /// The duration in whole nanoseconds, 0 for negative ones, saturating at Int64.max.
    static func nanosecondsClamped(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, overflow2) = whole.addingReportingOverflow(max(0, attoseconds) / 1_000_000_000)
        return overflow2 ? .max : total
    }

    /// Decodes the header; nil when malformed.
    static func decode(_ text: String) -> Duration? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8.count <= 9, let unit = utf8.last else { return nil }
        var value: Int64 = 0
        for digit in utf8.dropLast() {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        switch unit {
        case UInt8(ascii: "H"): return .seconds(value * 3600)
        case UInt8(ascii: "M"): return .seconds(value * 60)
        case UInt8(ascii: "S"): return .seconds(value)
        case UInt8(ascii: "m"): return .milliseconds(value)
        case UInt8(ascii: "u"): return .microseconds(value)
        case UInt8(ascii: "n"): return .nanoseconds(value)
        default: return nil
        }
    }
}
