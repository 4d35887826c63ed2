import CRI

/// JSON values as crictl builds them for `inspect*` and `info`: protojson re-decoded into maps, so
/// keys come out sorted, printed with two-space indentation like Go's `json.MarshalIndent`.
enum JSONTree {
    /// The protojson of `message` (defaults included) as a tree.
    static func tree(of message: some ProtoMessage) -> JSONValue {
        let text = message.jsonString(options: JSONEncodingOptions(emitDefaultValues: true))
        return (try? JSONParser.parse(text)) ?? .object([])
    }

    /// A CRI `info` map entry: a JSON object when it parses as one, otherwise the string with
    /// surrounding quotes trimmed (crictl's rule).
    static func infoValue(_ text: String) -> JSONValue {
        if text.hasPrefix("{"), let parsed = try? JSONParser.parse(text) { return parsed }
        var trimmed = Substring(text)
        if trimmed.hasPrefix("\"") { trimmed = trimmed.dropFirst() }
        if trimmed.hasSuffix("\"") { trimmed = trimmed.dropLast() }
        return .string(String(trimmed))
    }

    /// `{"status": status, <info keys>...}` — the object `crictl inspect*` prints.
    static func merged(status: JSONValue, info: StringMap) -> JSONValue {
        var members = [JSONMember(key: "status", value: status)]
        for (key, value) in info { members.append(JSONMember(key: key, value: infoValue(value))) }
        return .object(members)
    }

    /// Replaces nanosecond timestamps (`createdAt`, `startedAt`, `finishedAt`) with RFC 3339
    /// strings, as crictl's inspect and inspectp do.
    static func withReadableTimestamps(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.map { member in
            guard ["createdAt", "startedAt", "finishedAt"].contains(member.key) else { return member }
            let nanos: Int64?
            switch member.value {
            case .string(let text): nanos = Int64(text)
            case .number(let text): nanos = Int64(text)
            default: nanos = nil
            }
            guard let nanos else { return member }
            return JSONMember(key: member.key, value: .string(CRITimestamp(nanosecondsSinceEpoch: nanos).rfc3339Nano))
        })
    }

    /// Object keys sorted at every level (later duplicates win, as with Go maps).
    static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var byKey: [String: JSONValue] = [:]
            for member in members { byKey[member.key] = sorted(member.value) }
            return .object(byKey.keys.sorted().map { JSONMember(key: $0, value: byKey[$0]!) })
        case .array(let items):
            return .array(items.map(sorted))
        default:
            return value
        }
    }

    /// Renders with two-space indentation and `"key": value`, escaping `<>&` as Go's `json.MarshalIndent`.
    static func render(_ value: JSONValue) -> String {
        var writer = JSONWriter(options: JSONEncodingOptions(prettyPrinted: true, escapesHTML: true))
        writer.writeValue(value)
        return writer.string
    }

    /// Keys of protojson converted to Go's encoding/json snake_case (for `info`'s runtimeHandlers
    /// and features, which crictl encodes from the Go structs).
    static func snakeCased(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { JSONMember(key: snakeCase($0.key), value: snakeCased($0.value)) })
        case .array(let items):
            return .array(items.map(snakeCased))
        default:
            return value
        }
    }

    private static func snakeCase(_ key: String) -> String {
        var output = ""
        for character in key {
            if character.isUppercase {
                output += "_" + character.lowercased()
            } else {
                output.append(character)
            }
        }
        return output
    }
}
