/// A position in the `.proto` text, 1-based, for error messages.
package struct ProtoSourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line.
    package var line: Int
    /// 1-based column, counted in UTF-8 bytes.
    package var column: Int

    /// Creates a location.
    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    package var description: String { "\(line):\(column)" }
}

/// A `.proto` syntax or semantic error, with the place it was found.
package struct ProtoSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the offending token starts.
    package var location: ProtoSourceLocation
    /// What is wrong, as a sentence fragment.
    package var message: String

    /// Creates an error.
    package init(_ message: String, at location: ProtoSourceLocation) {
        self.message = message
        self.location = location
    }

    /// `line:column: message`, the shape compilers use so editors can jump to it.
    package var description: String { "\(location): \(message)" }
}

/// One lexical token of the `.proto` language.
struct ProtoToken: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case identifier
        case integer
        case float
        case string
        case symbol
        case endOfFile
    }

    var kind: Kind
    /// The token text; for strings the decoded contents without quotes.
    var text: String
    var location: ProtoSourceLocation
    /// The `//` or `/* */` comment block directly above this token (no blank line in between), one entry per line.
    var leadingComment: [String]
}

/// Splits `.proto` text into tokens, dropping comments but remembering the block right above each token.
struct ProtoLexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Line of the last token produced, so a comment on the same line counts as trailing, not leading.
    private var previousTokenLine = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    private var location: ProtoSourceLocation { ProtoSourceLocation(line: line, column: index - lineStart + 1) }

    /// Tokenizes the whole input; the last token is always `.endOfFile`.
    mutating func tokenize() throws(ProtoSyntaxError) -> [ProtoToken] {
        var tokens: [ProtoToken] = []
        while true {
            let comment = try skipTrivia()
            let start = location
            guard index < bytes.count else {
                tokens.append(ProtoToken(kind: .endOfFile, text: "", location: start, leadingComment: comment))
                return tokens
            }
            let byte = bytes[index]
            var token: ProtoToken
            if Self.isIdentifierHead(byte) {
                token = ProtoToken(kind: .identifier, text: lexWhile(Self.isIdentifierBody), location: start, leadingComment: comment)
            } else if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && index + 1 < bytes.count && Self.isDigit(bytes[index + 1])) {
                token = lexNumber(start: start)
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                token = try lexString(start: start)
            } else if Self.symbols.contains(byte) {
                index += 1
                token = ProtoToken(kind: .symbol, text: String(decoding: [byte], as: UTF8.self), location: start, leadingComment: [])
            } else {
                throw ProtoSyntaxError("unexpected character \(Self.describe(byte))", at: start)
            }
            token.leadingComment = comment
            tokens.append(token)
            previousTokenLine = line
        }
    }

    private static let symbols: Set<UInt8> = Set("{}()[]<>;,=.-+:".utf8)

    private static func isIdentifierHead(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
    }

    private static func isIdentifierBody(_ b: UInt8) -> Bool { isIdentifierHead(b) || isDigit(b) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func describe(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(String(decoding: [b], as: UTF8.self))'" : "byte 0x\(String(b, radix: 16))"
    }

    private mutating func lexWhile(_ predicate: (UInt8) -> Bool) -> String {
        let start = index
        while index < bytes.count && predicate(bytes[index]) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func lexNumber(start: ProtoSourceLocation) -> ProtoToken {
        // Hex, octal and decimal integers plus floats with optional exponent; the parser validates the value.
        let text = lexWhile { Self.isIdentifierBody($0) || $0 == UInt8(ascii: ".") }
        var full = text
        if let last = text.last, last == "e" || last == "E", index < bytes.count,
            bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
        {
            index += 1
            full += String(decoding: [bytes[index - 1]], as: UTF8.self) + lexWhile(Self.isDigit)
        }
        let isHex = full.hasPrefix("0x") || full.hasPrefix("0X")
        let isFloat = !isHex && full.contains { $0 == "." || $0 == "e" || $0 == "E" }
        return ProtoToken(kind: isFloat ? .float : .integer, text: full, location: start, leadingComment: [])
    }

    private mutating func lexString(start: ProtoSourceLocation) throws(ProtoSyntaxError) -> ProtoToken {
        let quote = bytes[index]
        index += 1
        var value: [UInt8] = []
        while true {
            guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else {
                throw ProtoSyntaxError("unterminated string literal", at: start)
            }
            let byte = bytes[index]
            index += 1
            if byte == quote { break }
            if byte == UInt8(ascii: "\\") {
                guard index < bytes.count else { throw ProtoSyntaxError("unterminated string literal", at: start) }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "r"): value.append(0x0D)
                case UInt8(ascii: "0"): value.append(0)
                default: value.append(escaped)
                }
            } else {
                value.append(byte)
            }
        }
        return ProtoToken(kind: .string, text: String(decoding: value, as: UTF8.self), location: start, leadingComment: [])
    }

    /// Skips whitespace and comments; returns the comment block that ends right before the next token.
    private mutating func skipTrivia() throws(ProtoSyntaxError) -> [String] {
        var block: [String] = []
        var newlinesSinceComment = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                index += 1
                line += 1
                lineStart = index
                newlinesSinceComment += 1
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
            } else if byte == UInt8(ascii: "/") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/") {
                if newlinesSinceComment > 1 { block = [] }  // a blank line detaches earlier comments
                let isTrailing = line == previousTokenLine
                index += 2
                let text = lexWhile { $0 != UInt8(ascii: "\n") }
                if !isTrailing {
                    block.append(Self.trimmed(text))
                    newlinesSinceComment = 0
                }
            } else if byte == UInt8(ascii: "/") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*") {
                if newlinesSinceComment > 1 { block = [] }
                let start = location
                index += 2
                var text: [UInt8] = []
                while true {
                    guard index + 1 < bytes.count else { throw ProtoSyntaxError("unterminated block comment", at: start) }
                    if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") {
                        index += 2
                        break
                    }
                    if bytes[index] == UInt8(ascii: "\n") {
                        line += 1
                        lineStart = index + 1
                    }
                    text.append(bytes[index])
                    index += 1
                }
                block += String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { Self.trimmed(String($0.drop { $0 == " " || $0 == "\t" || $0 == "*" })) }
                    .filter { !$0.isEmpty }
                newlinesSinceComment = 0
            } else {
                break
            }
        }
        return newlinesSinceComment > 1 ? [] : block
    }

    private static func trimmed(_ s: String) -> String {
        var result = Substring(s)
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return String(result)
    }
}
