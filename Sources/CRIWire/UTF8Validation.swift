/// UTF-8 validation without generic stdlib entry points: `String(validating:as:)` resolves
/// generic metadata on every call, which dominated string decoding in profiles.
@usableFromInline
enum UTF8Validation {
    /// True when `bytes` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    @inlinable
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        // ASCII fast path, eight bytes at a time.
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            return validateRest(base, from: index, count: count)
        }
        return true
    }

    @usableFromInline
    static func validateRest(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Bool {
        var index = start
        @inline(__always) func continuation(_ offset: Int) -> Bool {
            index + offset < count && base[index + offset] & 0xC0 == 0x80
        }
        while index < count {
            let byte = base[index]
            switch byte {
            case 0x00...0x7F:
                index += 1
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let second = base[index + 1]
                if byte == 0xE0 && second < 0xA0 { return false }  // overlong
                if byte == 0xED && second > 0x9F { return false }  // surrogates
                index += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let second = base[index + 1]
                if byte == 0xF0 && second < 0x90 { return false }  // overlong
                if byte == 0xF4 && second > 0x8F { return false }  // above U+10FFFF
                index += 4
            default:
                return false  // continuation byte first, 0xC0/0xC1 overlongs, 0xF5...
            }
        }
        return true
    }
}
