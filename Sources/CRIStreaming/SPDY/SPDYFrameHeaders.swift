/// The name/value pairs of a SPDY/3 header block, in order.
///
/// Names are lower-case (SPDY/3 § 2.6.10 requires it; ``add(_:_:)`` and the initializer lower-case ASCII letters).
/// A value may hold several values separated by NUL bytes, as the draft encodes repeated headers; they are kept
/// as given, so a header block decodes and re-encodes to the same pairs.
package struct SPDYHeaders: Sendable, Hashable, Sequence {
    private var names: [String] = []
    private var values: [String] = []

    /// Creates headers from `(name, value)` pairs, lower-casing the names.
    package init(_ pairs: [(String, String)] = []) {
        for (name, value) in pairs {
            add(name, value)
        }
    }

    /// The first value for `name` (compared lower-case), or nil.
    package subscript(name: String) -> String? {
        let wanted = Self.lowercased(name)
        guard let index = names.firstIndex(of: wanted) else { return nil }
        return values[index]
    }

    /// Appends a pair, lower-casing the name.
    package mutating func add(_ name: String, _ value: String) {
        names.append(Self.lowercased(name))
        values.append(value)
    }

    /// The pairs, in order.
    package var pairs: [(name: String, value: String)] {
        Array(self)
    }

    /// How many pairs there are.
    package var count: Int { names.count }

    /// Iterates the pairs in order.
    package func makeIterator() -> Iterator {
        Iterator(headers: self)
    }

    /// Iterates ``SPDYHeaders`` pairs in order.
    package struct Iterator: IteratorProtocol {
        fileprivate let headers: SPDYHeaders
        fileprivate var index = 0

        /// The next pair, or nil after the last.
        package mutating func next() -> (name: String, value: String)? {
            guard index < headers.names.count else { return nil }
            defer { index += 1 }
            return (headers.names[index], headers.values[index])
        }
    }

    /// ASCII lower-casing only: header names are tokens, and `String.lowercased()` would also fold non-ASCII
    /// letters (changing byte lengths).
    private static func lowercased(_ name: String) -> String {
        guard name.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return name }
        return String(decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
