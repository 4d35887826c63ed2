/// Builds the `///` comments of generated symbols: our proto comment when there is one, else a one-liner.
enum DocComments {
    /// The comment of a message struct.
    static func message(_ message: MessageDefinition, fallback: String?) -> [String] {
        var lines = message.comment.isEmpty ? [fallback ?? "The `\(message.fullName)` message."] : message.comment
        lines += ["", "Proto message `\(message.fullName)`."]
        return lines
    }

    /// The comment of a stored property.
    static func field(_ plan: FieldPlan) -> [String] {
        let field = plan.field
        let label = field.label == .repeated ? "repeated " : ""
        var lines = field.comment
        let wire = "Proto field `\(field.name) = \(field.number)` (`\(label)\(field.type.protoSpelling)`), JSON `\(plan.jsonName)`."
        if lines.isEmpty {
            lines = [wire]
        } else {
            lines += ["", wire]
        }
        if case .message = plan.kind { lines += ["", "`nil` when absent; an empty message that is set is still encoded."] }
        if field.isDeprecated { lines += ["", "- Note: Deprecated in the CRI schema; still read and written."] }
        if field.isDebugRedacted { lines += ["", "- Important: `debug_redact`: descriptions show `<redacted>` instead of the value."] }
        return lines
    }

    /// The comment of an enum.
    static func enumeration(_ definition: EnumDefinition) -> [String] {
        (definition.comment.isEmpty ? ["The `\(definition.fullName)` enum."] : definition.comment)
            + ["", "Proto enum `\(definition.fullName)`; numbers the schema does not know decode as `unrecognized`."]
    }
}
