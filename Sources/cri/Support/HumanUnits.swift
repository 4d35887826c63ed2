import CRI
import Foundation

/// The human-readable units crictl prints (docker/go-units).
enum HumanUnits {
    /// `About a minute`, `5 seconds`, `3 days` (go-units `HumanDuration`).
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        if whole < 1 { return "Less than a second" }
        if whole == 1 { return "1 second" }
        if whole < 60 { return "\(whole) seconds" }
        let minutes = Int(seconds / 60)
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int(seconds / 3600 + 0.5)
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int(seconds / 3600) / 24 / 365) years"
    }

    /// `5 seconds ago` for a CRI nanosecond timestamp.
    static func ago(_ nanoseconds: Int64) -> String {
        let now = Date().timeIntervalSince1970
        return duration(now - Double(nanoseconds) / 1e9) + " ago"
    }

    /// `1.049MB` (go-units `HumanSize`: decimal units, four significant digits).
    static func size(_ bytes: UInt64, precision: Int = 4) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1000 && index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return String(format: "%.\(precision)g", value) + units[index]
    }

    /// The first 13 characters of an ID (after `sha256:`), unless `full`.
    static func truncatedID(_ id: String, full: Bool) -> String {
        var text = Substring(id)
        if !full, text.hasPrefix("sha256:") { text = text.dropFirst(7) }
        return full ? String(text) : String(text.prefix(13))
    }
}
