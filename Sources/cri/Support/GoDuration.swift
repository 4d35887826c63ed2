/// Go's `time.ParseDuration` syntax (`300ms`, `1.5h`, `2h45m`), which crictl uses for `--timeout`
/// and `--since`.
enum GoDuration {
    /// What a bare number means where a unit may be left out (crictl reads `--timeout 5` as seconds).
    enum BareNumber { case seconds, invalid }

    /// Parses `text`; nil when it is not a duration.
    static func parse(_ text: String, bareNumberUnit: BareNumber = .invalid) -> Duration? {
        var characters = Substring(text)
        guard !characters.isEmpty else { return nil }
        if bareNumberUnit == .seconds, let seconds = Double(characters), seconds.isFinite {
            return .nanoseconds(Int64(seconds * 1e9))
        }
        var negative = false
        if characters.first == "-" || characters.first == "+" {
            negative = characters.first == "-"
            characters = characters.dropFirst()
        }
        if characters == "0" { return .zero }
        var total: Double = 0
        while !characters.isEmpty {
            let number = characters.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            characters = characters.dropFirst(number.count)
            let unit = characters.prefix { !$0.isNumber && $0 != "." }
            characters = characters.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            total += value * scale
        }
        guard total < 9.2e18 else { return nil }
        return .nanoseconds(Int64(negative ? -total : total))
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
