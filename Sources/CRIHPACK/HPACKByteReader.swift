/// A bounds-checked cursor over one header block.
///
/// - Note: Only valid inside the `withUnsafeBufferPointer` scope that produced its bytes.
package struct HPACKByteReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The next octet to read.
    package private(set) var index: Int = 0

    package init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Octets left to read.
    package var remaining: Int { bytes.count - index }
    /// Whether the block is fully consumed.
    package var isAtEnd: Bool { index >= bytes.count }

    /// The next octet without consuming it.
    package func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes and returns the next octet, or nil at the end.
    package mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    /// Consumes `count` octets (the caller checked `count <= remaining`).
    package mutating func take(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        let slice = UnsafeBufferPointer(rebasing: bytes[index..<(index + count)])
        index += count
        return slice
    }
}
