/// One line of a CRI container log file: `<RFC3339Nano> <stdout|stderr> <P|F>[:tags] <content>\n`.
///
/// The runtime writes these to `ContainerStatus.log_path`; `P` marks a partial line whose content
/// continues on the next line of the same stream, `F` a full one.
public struct CRILogLine: Hashable, Sendable {
    /// Which output stream the content came from.
    public enum Stream: String, Hashable, Sendable {
        /// Standard output.
        case stdout
        /// Standard error.
        case stderr
    }

    /// When the runtime read the content.
    public var timestamp: CRITimestamp
    /// The stream.
    public var stream: Stream
    /// True for a `P` (partial) line: the content has no newline of its own.
    public var isPartial: Bool
    /// The content, without the line's trailing newline.
    public var content: [UInt8]

    /// Creates a line.
    public init(timestamp: CRITimestamp, stream: Stream, isPartial: Bool, content: [UInt8]) {
        self.timestamp = timestamp
        self.stream = stream
        self.isPartial = isPartial
        self.content = content
    }

    /// Parses one line (without or with its trailing `\n`); nil if it is not in the CRI format.
    public init?(parsing line: some Collection<UInt8>) {
        var bytes = Array(line)
        if bytes.last == 0x0A { bytes.removeLast() }
        guard let firstSpace = bytes.firstIndex(of: 0x20),
            let timestamp = CRITimestamp(rfc3339: String(decoding: bytes[..<firstSpace], as: UTF8.self)),
            let secondSpace = bytes[(firstSpace + 1)...].firstIndex(of: 0x20),
            let stream = Stream(rawValue: String(decoding: bytes[(firstSpace + 1)..<secondSpace], as: UTF8.self))
        else { return nil }
        let tagsEnd = bytes[(secondSpace + 1)...].firstIndex(of: 0x20) ?? bytes.count
        let tags = bytes[(secondSpace + 1)..<tagsEnd].split(
            separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard let first = tags.first, first.count == 1,
            first.first == UInt8(ascii: "P") || first.first == UInt8(ascii: "F")
        else { return nil }
        self.timestamp = timestamp
        self.stream = stream
        self.isPartial = first.first == UInt8(ascii: "P")
        self.content = tagsEnd < bytes.count ? Array(bytes[(tagsEnd + 1)...]) : []
    }

    /// The line as the runtime writes it, newline included.
    public var formatted: [UInt8] {
        var bytes = Array(timestamp.rfc3339Nano.utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: stream.rawValue.utf8)
        bytes.append(0x20)
        bytes.append(isPartial ? UInt8(ascii: "P") : UInt8(ascii: "F"))
        bytes.append(0x20)
        bytes.append(contentsOf: content)
        bytes.append(0x0A)
        return bytes
    }
}
