/// Parses `.proto` (proto3) text into a ``SchemaFile``.
///
/// Supports what the CRI schema needs and a little more: `syntax`, `package`, file and field options,
/// messages with nested messages and enums, scalar/message/enum fields, `repeated`, `map<K, V>`, `reserved`,
/// services with streaming markers, and `//` and `/* */` comments. Everything else (`import`, `oneof`,
/// `optional`, `extend`, groups, proto2) is rejected with a located error rather than silently misread.
package struct ProtoParser {
    private var tokens: [ProtoToken]
    private var position = 0
    private var file = SchemaFile()
    /// Where each field was declared, keyed by message full name and field name, for resolution errors.
    private var fieldLocations: [String: ProtoSourceLocation] = [:]
    private var methodLocations: [String: ProtoSourceLocation] = [:]
    private var typeLocations: [String: ProtoSourceLocation] = [:]

    private init(tokens: [ProtoToken]) {
        self.tokens = tokens
    }

    /// Parses and validates a whole file, resolving every type reference.
    /// - Throws: ``ProtoSyntaxError`` naming the line and column of the first problem.
    package static func parse(_ text: String) throws(ProtoSyntaxError) -> SchemaFile {
        var lexer = ProtoLexer(text)
        var parser = ProtoParser(tokens: try lexer.tokenize())
        try parser.parseFile()
        try parser.resolve()
        return parser.file
    }

    // MARK: - Token helpers

    private var current: ProtoToken { tokens[position] }

    private mutating func advance() -> ProtoToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol && current.text == symbol }
    private func isKeyword(_ word: String) -> Bool { current.kind == .identifier && current.text == word }

    private static func describe(_ token: ProtoToken) -> String {
        switch token.kind {
        case .endOfFile: "end of file"
        case .string: "string \"\(token.text)\""
        default: "'\(token.text)'"
        }
    }

    private func unexpected(expecting what: String) -> ProtoSyntaxError {
        ProtoSyntaxError("expected \(what), found \(Self.describe(current))", at: current.location)
    }

    private mutating func expectSymbol(_ symbol: String) throws(ProtoSyntaxError) {
        guard isSymbol(symbol) else { throw unexpected(expecting: "'\(symbol)'") }
        _ = advance()
    }

    private mutating func expectKeyword(_ word: String) throws(ProtoSyntaxError) {
        guard isKeyword(word) else { throw unexpected(expecting: "'\(word)'") }
        _ = advance()
    }

    private mutating func expectIdentifier(_ what: String) throws(ProtoSyntaxError) -> ProtoToken {
        guard current.kind == .identifier else { throw unexpected(expecting: what) }
        return advance()
    }

    /// A possibly dotted name (`runtime.v1`, `.runtime.v1.Container`).
    private mutating func parseDottedName(_ what: String) throws(ProtoSyntaxError) -> String {
        var name = ""
        if isSymbol(".") {
            _ = advance()
            name = "."
        }
        name += try expectIdentifier(what).text
        while isSymbol(".") {
            _ = advance()
            name += "." + (try expectIdentifier(what).text)
        }
        return name
    }

    private mutating func parseInteger(_ what: String) throws(ProtoSyntaxError) -> (value: Int64, location: ProtoSourceLocation) {
        let location = current.location
        var negative = false
        if isSymbol("-") {
            _ = advance()
            negative = true
        }
        guard current.kind == .integer else { throw unexpected(expecting: what) }
        let text = advance().text
        let parsed: Int64?
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            parsed = Int64(text.dropFirst(2), radix: 16)
        } else if text.count > 1 && text.hasPrefix("0") {
            parsed = Int64(text.dropFirst(), radix: 8)
        } else {
            parsed = Int64(text, radix: 10)
        }
        guard let magnitude = parsed else {
            throw ProtoSyntaxError("invalid integer literal '\(text)'", at: location)
        }
        return (negative ? -magnitude : magnitude, location)
    }

    // MARK: - File

    private mutating func parseFile() throws(ProtoSyntaxError) {
        var sawSyntax = false
        while current.kind != .endOfFile {
            if isSymbol(";") {
                _ = advance()
            } else if isKeyword("syntax") {
                let location = current.location
                guard !sawSyntax, file.package.isEmpty, file.options.isEmpty, file.messages.isEmpty, file.enums.isEmpty,
                    file.services.isEmpty
                else {
                    throw ProtoSyntaxError("'syntax' must be the first statement", at: location)
                }
                _ = advance()
                try expectSymbol("=")
                guard current.kind == .string else { throw unexpected(expecting: "a string such as \"proto3\"") }
                let value = advance()
                guard value.text == "proto3" else {
                    throw ProtoSyntaxError("only proto3 is supported, found syntax \"\(value.text)\"", at: value.location)
                }
                file.syntax = value.text
                sawSyntax = true
                try expectSymbol(";")
            } else if isKeyword("package") {
                let location = current.location
                guard file.package.isEmpty else { throw ProtoSyntaxError("duplicate 'package' statement", at: location) }
                _ = advance()
                file.package = try parseDottedName("a package name")
                try expectSymbol(";")
            } else if isKeyword("option") {
                _ = advance()
                file.options.append(try parseOptionBody())
                try expectSymbol(";")
            } else if isKeyword("import") {
                throw ProtoSyntaxError("'import' is not supported: the schema must be self-contained", at: current.location)
            } else if isKeyword("message") {
                file.messages.append(try parseMessage(scope: []))
            } else if isKeyword("enum") {
                file.enums.append(try parseEnum(scope: []))
            } else if isKeyword("service") {
                file.services.append(try parseService())
            } else {
                throw unexpected(expecting: "'message', 'enum', 'service', 'option', 'package' or 'syntax'")
            }
        }
        guard sawSyntax else {
            throw ProtoSyntaxError("missing 'syntax = \"proto3\";' (proto2 is not supported)", at: ProtoSourceLocation(line: 1, column: 1))
        }
    }

    /// `name = value` of an option, after the `option` keyword or inside brackets.
    private mutating func parseOptionBody() throws(ProtoSyntaxError) -> SchemaOption {
        var name = ""
        if isSymbol("(") {
            _ = advance()
            name = "(" + (try parseDottedName("an option name")) + ")"
            try expectSymbol(")")
            while isSymbol(".") {
                _ = advance()
                name += "." + (try expectIdentifier("an option name")).text
            }
        } else {
            name = try parseDottedName("an option name")
        }
        try expectSymbol("=")
        return SchemaOption(name: name, value: try parseConstant())
    }

    private mutating func parseConstant() throws(ProtoSyntaxError) -> String {
        var prefix = ""
        if isSymbol("-") || isSymbol("+") {
            prefix = advance().text == "-" ? "-" : ""
        }
        switch current.kind {
        case .string:
            var value = advance().text
            while current.kind == .string { value += advance().text }  // adjacent literals concatenate
            return value
        case .integer, .float, .identifier:
            return prefix + advance().text
        default:
            throw unexpected(expecting: "an option value")
        }
    }

    private func qualified(_ scope: [String], _ name: String) -> String {
        ([file.package].filter { !$0.isEmpty } + scope + [name]).joined(separator: ".")
    }

    private mutating func registerType(_ fullName: String, at location: ProtoSourceLocation) throws(ProtoSyntaxError) {
        if let previous = typeLocations[fullName] {
            throw ProtoSyntaxError("'\(fullName)' is already defined at \(previous)", at: location)
        }
        typeLocations[fullName] = location
    }

    // MARK: - Messages

    private mutating func parseMessage(scope: [String]) throws(ProtoSyntaxError) -> MessageDefinition {
        let keyword = advance()
        let nameToken = try expectIdentifier("a message name")
        var message = MessageDefinition(name: nameToken.text, fullName: qualified(scope, nameToken.text), scope: scope)
        message.comment = keyword.leadingComment
        message.line = keyword.location.line
        try registerType(message.fullName, at: nameToken.location)
        let innerScope = scope + [message.name]
        var numbers: [Int: String] = [:]
        try expectSymbol("{")
        while !isSymbol("}") {
            if current.kind == .endOfFile { throw unexpected(expecting: "'}' to close message \(message.name)") }
            if isSymbol(";") {
                _ = advance()
            } else if isKeyword("message") {
                message.nestedMessages.append(try parseMessage(scope: innerScope))
            } else if isKeyword("enum") {
                message.nestedEnums.append(try parseEnum(scope: innerScope))
            } else if isKeyword("option") {
                _ = advance()
                _ = try parseOptionBody()
                try expectSymbol(";")
            } else if isKeyword("reserved") {
                try skipReserved()
            } else if isKeyword("oneof") || isKeyword("extensions") || isKeyword("extend") || isKeyword("optional")
                || isKeyword("required") || isKeyword("group")
            {
                throw ProtoSyntaxError("'\(current.text)' is not supported by this generator", at: current.location)
            } else {
                let location = current.location
                let field = try parseField(comment: current.leadingComment)
                if let other = numbers[field.number] {
                    throw ProtoSyntaxError(
                        "field number \(field.number) of '\(field.name)' is already used by '\(other)' in \(message.name)",
                        at: location)
                }
                if message.fields.contains(where: { $0.name == field.name }) {
                    throw ProtoSyntaxError("duplicate field name '\(field.name)' in \(message.name)", at: location)
                }
                numbers[field.number] = field.name
                fieldLocations[message.fullName + "#" + field.name] = location
                message.fields.append(field)
            }
        }
        _ = advance()
        return message
    }

    private mutating func skipReserved() throws(ProtoSyntaxError) {
        _ = advance()
        while !isSymbol(";") {
            guard current.kind == .integer || current.kind == .string || isSymbol(",") || isKeyword("to")
                || isKeyword("max") || isSymbol("-")
            else { throw unexpected(expecting: "field numbers, ranges or names after 'reserved'") }
            _ = advance()
        }
        _ = advance()
    }

    private mutating func parseField(comment: [String]) throws(ProtoSyntaxError) -> FieldDefinition {
        let startLine = current.location.line
        var label = FieldLabel.singular
        if isKeyword("repeated") {
            _ = advance()
            label = .repeated
        }
        let type: FieldType
        if isKeyword("map") && tokens[position + 1].text == "<" {
            let mapToken = advance()
            guard label == .singular else { throw ProtoSyntaxError("map fields cannot be 'repeated'", at: mapToken.location) }
            try expectSymbol("<")
            let keyToken = try expectIdentifier("a map key type")
            guard let key = ScalarType(rawValue: keyToken.text), key != .double, key != .float, key != .bytes else {
                throw ProtoSyntaxError("invalid map key type '\(keyToken.text)'", at: keyToken.location)
            }
            try expectSymbol(",")
            let valueName = try parseDottedName("a map value type")
            try expectSymbol(">")
            type = .map(key: key, value: ScalarType(rawValue: valueName).map(FieldType.scalar) ?? .unresolved(valueName))
        } else {
            let typeName = try parseDottedName("a field type")
            type = ScalarType(rawValue: typeName).map(FieldType.scalar) ?? .unresolved(typeName)
        }
        let name = try expectIdentifier("a field name").text
        try expectSymbol("=")
        let (number, numberLocation) = try parseInteger("a field number")
        guard (1...536_870_911).contains(number), !(19000...19999).contains(number) else {
            throw ProtoSyntaxError("field number \(number) is out of range (1...536870911, excluding 19000...19999)", at: numberLocation)
        }
        var field = FieldDefinition(name: name, number: Int(number), label: label, type: type)
        if isSymbol("[") {
            _ = advance()
            field.options.append(try parseOptionBody())
            while isSymbol(",") {
                _ = advance()
                field.options.append(try parseOptionBody())
            }
            try expectSymbol("]")
        }
        try expectSymbol(";")
        field.comment = comment
        field.line = startLine
        return field
    }

    // MARK: - Enums

    private mutating func parseEnum(scope: [String]) throws(ProtoSyntaxError) -> EnumDefinition {
        let keyword = advance()
        let nameToken = try expectIdentifier("an enum name")
        var definition = EnumDefinition(name: nameToken.text, fullName: qualified(scope, nameToken.text), scope: scope)
        definition.comment = keyword.leadingComment
        definition.line = keyword.location.line
        try registerType(definition.fullName, at: nameToken.location)
        try expectSymbol("{")
        while !isSymbol("}") {
            if current.kind == .endOfFile { throw unexpected(expecting: "'}' to close enum \(definition.name)") }
            if isSymbol(";") {
                _ = advance()
            } else if isKeyword("option") {
                _ = advance()
                definition.options.append(try parseOptionBody())
                try expectSymbol(";")
            } else if isKeyword("reserved") {
                try skipReserved()
            } else {
                let comment = current.leadingComment
                let nameToken = try expectIdentifier("an enum value name")
                try expectSymbol("=")
                let (number, location) = try parseInteger("an enum value number")
                guard let value = Int32(exactly: number) else {
                    throw ProtoSyntaxError("enum value \(number) does not fit in int32", at: location)
                }
                if isSymbol("[") {
                    _ = advance()
                    _ = try parseOptionBody()
                    while isSymbol(",") {
                        _ = advance()
                        _ = try parseOptionBody()
                    }
                    try expectSymbol("]")
                }
                try expectSymbol(";")
                if definition.values.isEmpty && value != 0 {
                    throw ProtoSyntaxError("the first value of a proto3 enum must be 0 (\(nameToken.text) = \(value))", at: location)
                }
                if definition.values.contains(where: { $0.name == nameToken.text }) {
                    throw ProtoSyntaxError("duplicate enum value '\(nameToken.text)'", at: nameToken.location)
                }
                var enumValue = EnumValueDefinition(name: nameToken.text, number: value)
                enumValue.comment = comment
                definition.values.append(enumValue)
            }
        }
        _ = advance()
        guard !definition.values.isEmpty else {
            throw ProtoSyntaxError("enum \(definition.name) has no values", at: nameToken.location)
        }
        return definition
    }

    // MARK: - Services

    private mutating func parseService() throws(ProtoSyntaxError) -> ServiceDefinition {
        let keyword = advance()
        let nameToken = try expectIdentifier("a service name")
        var service = ServiceDefinition(name: nameToken.text, fullName: qualified([], nameToken.text))
        service.comment = keyword.leadingComment
        try registerType(service.fullName, at: nameToken.location)
        try expectSymbol("{")
        while !isSymbol("}") {
            if current.kind == .endOfFile { throw unexpected(expecting: "'}' to close service \(service.name)") }
            if isSymbol(";") {
                _ = advance()
            } else if isKeyword("option") {
                _ = advance()
                _ = try parseOptionBody()
                try expectSymbol(";")
            } else if isKeyword("rpc") {
                let rpcToken = advance()
                let nameToken = try expectIdentifier("an RPC name")
                if service.methods.contains(where: { $0.name == nameToken.text }) {
                    throw ProtoSyntaxError("duplicate RPC '\(nameToken.text)' in \(service.name)", at: nameToken.location)
                }
                try expectSymbol("(")
                let clientStreaming = isKeyword("stream") && tokens[position + 1].text != ")"
                if clientStreaming { _ = advance() }
                let request = try parseDottedName("a request message type")
                try expectSymbol(")")
                try expectKeyword("returns")
                try expectSymbol("(")
                let serverStreaming = isKeyword("stream") && tokens[position + 1].text != ")"
                if serverStreaming { _ = advance() }
                let response = try parseDottedName("a response message type")
                try expectSymbol(")")
                if isSymbol("{") {
                    _ = advance()
                    while !isSymbol("}") {
                        if isSymbol(";") {
                            _ = advance()
                        } else if isKeyword("option") {
                            _ = advance()
                            _ = try parseOptionBody()
                            try expectSymbol(";")
                        } else {
                            throw unexpected(expecting: "'option' or '}' in the body of rpc \(nameToken.text)")
                        }
                    }
                    _ = advance()
                } else {
                    try expectSymbol(";")
                }
                var method = MethodDefinition(name: nameToken.text, requestType: request, responseType: response)
                method.isClientStreaming = clientStreaming
                method.isServerStreaming = serverStreaming
                method.comment = rpcToken.leadingComment
                methodLocations[service.fullName + "#" + method.name] = nameToken.location
                service.methods.append(method)
            } else {
                throw unexpected(expecting: "'rpc', 'option' or '}'")
            }
        }
        _ = advance()
        return service
    }

    // MARK: - Resolution

    private enum TypeKind { case message, enumeration }

    /// Resolves every type reference with protobuf scoping: innermost enclosing scope first, then outwards.
    private mutating func resolve() throws(ProtoSyntaxError) {
        var kinds: [String: TypeKind] = [:]
        for message in file.allMessages { kinds[message.fullName] = .message }
        for definition in file.allEnums { kinds[definition.fullName] = .enumeration }

        func lookup(_ reference: String, from scopeName: String) -> (String, TypeKind)? {
            if reference.hasPrefix(".") {
                let name = String(reference.dropFirst())
                return kinds[name].map { (name, $0) }
            }
            var scope = scopeName.split(separator: ".").map(String.init)
            while true {
                let candidate = (scope + [reference]).joined(separator: ".")
                if let kind = kinds[candidate] { return (candidate, kind) }
                if scope.isEmpty { return nil }
                scope.removeLast()
            }
        }

        func resolveType(_ type: FieldType, in message: String, location: ProtoSourceLocation) throws(ProtoSyntaxError) -> FieldType {
            switch type {
            case .unresolved(let reference):
                guard let (name, kind) = lookup(reference, from: message) else {
                    throw ProtoSyntaxError("unknown type '\(reference)'", at: location)
                }
                return kind == .message ? .message(name) : .enumeration(name)
            case .map(let key, let value):
                return .map(key: key, value: try resolveType(value, in: message, location: location))
            default:
                return type
            }
        }

        func resolveMessage(_ message: inout MessageDefinition) throws(ProtoSyntaxError) {
            for index in message.fields.indices {
                let location = fieldLocations[message.fullName + "#" + message.fields[index].name]
                    ?? ProtoSourceLocation(line: message.fields[index].line, column: 1)
                message.fields[index].type = try resolveType(message.fields[index].type, in: message.fullName, location: location)
            }
            for index in message.nestedMessages.indices {
                try resolveMessage(&message.nestedMessages[index])
            }
        }

        for index in file.messages.indices {
            try resolveMessage(&file.messages[index])
        }
        for serviceIndex in file.services.indices {
            let service = file.services[serviceIndex]
            for methodIndex in service.methods.indices {
                let method = service.methods[methodIndex]
                let location = methodLocations[service.fullName + "#" + method.name] ?? ProtoSourceLocation(line: 1, column: 1)
                for (reference, isRequest) in [(method.requestType, true), (method.responseType, false)] {
                    guard let (name, kind) = lookup(reference, from: file.package) else {
                        throw ProtoSyntaxError("unknown type '\(reference)' in rpc \(method.name)", at: location)
                    }
                    guard kind == .message else {
                        throw ProtoSyntaxError("rpc \(method.name) uses enum '\(reference)' where a message is required", at: location)
                    }
                    if isRequest {
                        file.services[serviceIndex].methods[methodIndex].requestType = name
                    } else {
                        file.services[serviceIndex].methods[methodIndex].responseType = name
                    }
                }
            }
        }
    }
}
