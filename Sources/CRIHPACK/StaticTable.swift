/// The static table (RFC 7541 Appendix A): 61 fixed entries, indices 1...61.
enum StaticTable {
    /// Number of entries; dynamic indices start after it (RFC 7541 § 2.3.3).
    static let count = 61

    /// Entry `i` is at `entries[i - 1]`.
    static let entries: [HPACKHeader] = [
        HPACKHeader(name: ":authority", value: ""),  // 1
        HPACKHeader(name: ":method", value: "GET"),  // 2
        HPACKHeader(name: ":method", value: "POST"),  // 3
        HPACKHeader(name: ":path", value: "/"),  // 4
        HPACKHeader(name: ":path", value: "/index.html"),  // 5
        HPACKHeader(name: ":scheme", value: "http"),  // 6
        HPACKHeader(name: ":scheme", value: "https"),  // 7
        HPACKHeader(name: ":status", value: "200"),  // 8
        HPACKHeader(name: ":status", value: "204"),  // 9
        HPACKHeader(name: ":status", value: "206"),  // 10
        HPACKHeader(name: ":status", value: "304"),  // 11
        HPACKHeader(name: ":status", value: "400"),  // 12
        HPACKHeader(name: ":status", value: "404"),  // 13
        HPACKHeader(name: ":status", value: "500"),  // 14
        HPACKHeader(name: "accept-charset", value: ""),  // 15
        HPACKHeader(name: "accept-encoding", value: "gzip, deflate"),  // 16
        HPACKHeader(name: "accept-language", value: ""),  // 17
        HPACKHeader(name: "accept-ranges", value: ""),  // 18
        HPACKHeader(name: "accept", value: ""),  // 19
        HPACKHeader(name: "access-control-allow-origin", value: ""),  // 20
        HPACKHeader(name: "age", value: ""),  // 21
        HPACKHeader(name: "allow", value: ""),  // 22
        HPACKHeader(name: "authorization", value: ""),  // 23
        HPACKHeader(name: "cache-control", value: ""),  // 24
        HPACKHeader(name: "content-disposition", value: ""),  // 25
        HPACKHeader(name: "content-encoding", value: ""),  // 26
        HPACKHeader(name: "content-language", value: ""),  // 27
        HPACKHeader(name: "content-length", value: ""),  // 28
        HPACKHeader(name: "content-location", value: ""),  // 29
        HPACKHeader(name: "content-range", value: ""),  // 30
        HPACKHeader(name: "content-type", value: ""),  // 31
        HPACKHeader(name: "cookie", value: ""),  // 32
        HPACKHeader(name: "date", value: ""),  // 33
        HPACKHeader(name: "etag", value: ""),  // 34
        HPACKHeader(name: "expect", value: ""),  // 35
        HPACKHeader(name: "expires", value: ""),  // 36
        HPACKHeader(name: "from", value: ""),  // 37
        HPACKHeader(name: "host", value: ""),  // 38
        HPACKHeader(name: "if-match", value: ""),  // 39
        HPACKHeader(name: "if-modified-since", value: ""),  // 40
        HPACKHeader(name: "if-none-match", value: ""),  // 41
        HPACKHeader(name: "if-range", value: ""),  // 42
        HPACKHeader(name: "if-unmodified-since", value: ""),  // 43
        HPACKHeader(name: "last-modified", value: ""),  // 44
        HPACKHeader(name: "link", value: ""),  // 45
        HPACKHeader(name: "location", value: ""),  // 46
        HPACKHeader(name: "max-forwards", value: ""),  // 47
        HPACKHeader(name: "proxy-authenticate", value: ""),  // 48
        HPACKHeader(name: "proxy-authorization", value: ""),  // 49
        HPACKHeader(name: "range", value: ""),  // 50
        HPACKHeader(name: "referer", value: ""),  // 51
        HPACKHeader(name: "refresh", value: ""),  // 52
        HPACKHeader(name: "retry-after", value: ""),  // 53
        HPACKHeader(name: "server", value: ""),  // 54
        HPACKHeader(name: "set-cookie", value: ""),  // 55
        HPACKHeader(name: "strict-transport-security", value: ""),  // 56
        HPACKHeader(name: "transfer-encoding", value: ""),  // 57
        HPACKHeader(name: "user-agent", value: ""),  // 58
        HPACKHeader(name: "vary", value: ""),  // 59
        HPACKHeader(name: "via", value: ""),  // 60
        HPACKHeader(name: "www-authenticate", value: ""),  // 61
    ]

    /// Every entry's 1-based index by name, in ascending index order, for the encoder's lookups.
    static let indicesByName: [String: [Int]] = {
        var map: [String: [Int]] = [:]
        for (offset, entry) in entries.enumerated() { map[entry.name, default: []].append(offset + 1) }
        return map
    }()

    /// The index of an entry matching `name` and `value`, and else the first index holding `name`.
    static func find(name: String, value: String) -> (index: Int, valueMatches: Bool)? {
        guard let indices = indicesByName[name] else { return nil }
        for index in indices where entries[index - 1].value == value { return (index, true) }
        return (indices[0], false)
    }
}
