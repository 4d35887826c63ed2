/// Prints the one JSON line of a measurement:
/// `{"impl":..,"mode":..,"n":..,"p50_us":..,"p99_us":..,"calls_per_s":..,"cpu_us_per_call":..,"failures":..}`
/// followed by `extras` (already-encoded JSON values, e.g. `("bytes", "7780000")`).
public func report(impl: String, mode: String, _ measurement: Measurement, extras: [(String, String)] = []) {
    var fields: [(String, String)] = [
        ("impl", quoted(impl)),
        ("mode", quoted(mode)),
        ("n", String(measurement.attempts)),
        ("p50_us", decimal(measurement.percentile(50))),
        ("p99_us", decimal(measurement.percentile(99))),
        ("calls_per_s", decimal(measurement.perSecond)),
        ("cpu_us_per_call", decimal(measurement.cpuPerOperation)),
        ("failures", String(measurement.failures)),
    ]
    fields += extras
    if let firstError = measurement.firstError {
        fields.append(("first_error", quoted(String(firstError.prefix(300)))))
    }
    print("{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}")
}

/// `text` as a JSON string (the benchmark's own labels and error texts; control characters dropped).
public func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20: out += " "
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// `value` with one decimal, as JSON accepts it.
public func decimal(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = (value * 10).rounded()
    let whole = Int(tenths / 10)
    let fraction = Int(abs(tenths).truncatingRemainder(dividingBy: 10))
    return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(fraction)"
}
