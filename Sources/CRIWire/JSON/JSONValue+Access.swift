extension JSONValue {
    /// The value of member `key` when this is an object (the last one, if the key repeats).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The number as an integer, when this is a number without fraction or exponent that fits.
    public var integerValue: Int? {
        if case .number(let literal) = self { return Int(literal) }
        return nil
    }
}

extension JSONWriter {
    /// `text` as a JSON string literal, quotes and escapes included.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.writeString(text)
        return writer.string
    }
}
