/// Accumulates generated Swift source with four-space indentation.
struct CodeWriter {
    private(set) var text = ""
    private var indentation = 0

    /// Appends one line at the current indentation (an empty string gives a blank line).
    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: indentation) + content + "\n"
        }
    }

    /// Appends `/// ...` doc comment lines.
    mutating func doc(_ lines: [String]) {
        for content in lines {
            line(content.isEmpty ? "///" : "/// " + content)
        }
    }

    /// Appends a `switch` whose `case` lines sit at the switch's own indentation (Swift style); `body` writes
    /// `case` lines and indents their statements itself.
    mutating func switchBlock(_ opening: String, _ body: (inout CodeWriter) -> Void) {
        line(opening)
        body(&self)
        line("}")
    }

    /// Appends `opening`, runs `body` one level deeper, then appends `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(opening)
        indentation += 1
        body(&self)
        indentation -= 1
        line(closing)
    }
}

/// One generated output file.
package struct GeneratedFile: Hashable, Sendable {
    /// The file name relative to the output directory (`Container.swift`).
    package var name: String
    /// The complete file contents.
    package var contents: String

    /// Creates a generated file.
    package init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// A schema the emitter cannot turn into code that CRIWire supports (e.g. a `float` field).
package struct GeneratorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What cannot be generated and where.
    package var message: String

    /// Creates an error.
    package init(_ message: String) {
        self.message = message
    }

    /// The message.
    package var description: String { message }
}
