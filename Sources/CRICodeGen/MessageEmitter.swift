/// Emits the Swift struct and codec extension for one message (and, inside it, its nested types).
struct MessageEmitter {
    let types: TypeTable
    let options: GeneratorOptions
    /// Generated summaries for messages that have no comment of their own, e.g. RPC requests and responses.
    let fallbackSummaries: [String: String]

    /// The struct declaration (with nested types inside) for `message`.
    func emitDeclaration(_ message: MessageDefinition, into out: inout CodeWriter) throws(GeneratorError) {
        let swiftName = SwiftNaming.typeName(forProtoName: message.name, isEnum: false)
        let plans = try fieldPlans(message)
        out.doc(DocComments.message(message, fallback: fallbackSummaries[message.fullName]))
        var thrown: GeneratorError?
        out.block("public struct \(swiftName): ProtoMessage {") { out in
            out.doc(["The fully qualified proto name, `\(message.fullName)`."])
            out.line("public static let protoMessageName = \"\(message.fullName)\"")
            for plan in plans {
                out.line()
                out.doc(DocComments.field(plan))
                out.line("public var \(plan.property): \(plan.swiftType) = \(plan.defaultValue)")
            }
            out.line()
            out.doc(["Fields read from the wire that this schema does not know; re-emitted on encode."])
            out.line("public var unknownFields = UnknownFields()")
            out.line()
            out.doc(["Creates a message with every field at its proto3 default."])
            out.line("public init() {}")
            out.line()
            out.doc(["Creates a message and lets `configure` set its fields: `\(swiftName) { $0.field = value }`."])
            out.block("public init(_ configure: (inout Self) -> Void) {") { out in
                out.line("self.init()")
                out.line("configure(&self)")
            }
            for nested in message.nestedEnums {
                out.line()
                EnumEmitter().emit(nested, into: &out)
            }
            for nested in message.nestedMessages {
                out.line()
                do throws(GeneratorError) {
                    try emitDeclaration(nested, into: &out)
                } catch {
                    thrown = error
                }
            }
        }
        if let thrown { throw thrown }
    }

    /// The codec extensions for `message` and, after it, for its nested messages.
    func emitCodec(_ message: MessageDefinition, swiftPath: String, into out: inout CodeWriter) throws(GeneratorError) {
        let plans = try fieldPlans(message)
        let byNumber = plans.sorted { $0.field.number < $1.field.number }
        out.line()
        out.block("extension \(swiftPath) {") { out in
            emitBinaryDecode(plans, into: &out)
            out.line()
            emitBinaryEncode(byNumber, into: &out)
            out.line()
            emitJSONEncode(plans, into: &out)
            out.line()
            emitJSONDecode(plans, into: &out)
            out.line()
            emitDescribe(byNumber, into: &out)
        }
        for nested in message.nestedMessages {
            let name = SwiftNaming.typeName(forProtoName: nested.name, isEnum: false)
            try emitCodec(nested, swiftPath: swiftPath + "." + name, into: &out)
        }
    }

    func fieldPlans(_ message: MessageDefinition) throws(GeneratorError) -> [FieldPlan] {
        var plans: [FieldPlan] = []
        for field in message.fields {
            plans.append(try FieldPlan(field: field, in: message, types: types, options: options))
        }
        return plans
    }

    private func emitBinaryDecode(_ plans: [FieldPlan], into out: inout CodeWriter) {
        out.doc([
            "Merges binary fields from `reader`. A known field number with an unexpected wire type is kept as an",
            "unknown field rather than rejected, as protobuf's own runtimes do.",
        ])
        out.block("public mutating func decodeMessage(from reader: inout ProtoReader) throws(ProtoDecodingError) {") { out in
            out.block("while let tag = try reader.nextTag() {") { out in
                // Switching on the raw tag (field number << 3 | wire type) lets the compiler build a jump table.
                out.switchBlock("switch tag.raw {") { out in
                    for plan in plans.sorted(by: { $0.field.number < $1.field.number }) {
                        let cases = plan.decodeTags.map(String.init).joined(separator: ", ")
                        out.line("case \(cases):  // \(plan.field.name) = \(plan.field.number)")
                        out.line("    \(plan.decodeStatement)")
                    }
                    out.line("default:")
                    out.line("    try reader.skipField(tag, into: &self.unknownFields)")
                }
            }
        }
    }

    private func emitBinaryEncode(_ byNumber: [FieldPlan], into out: inout CodeWriter) {
        out.doc(["The exact size of the binary encoding, counted field by field as `encodeMessage` writes them."])
        out.block("public func encodedSize() -> Int {") { out in
            if byNumber.isEmpty {
                out.line("self.unknownFields.bytes.count")
                return
            }
            out.line("var size = self.unknownFields.bytes.count")
            for plan in byNumber {
                out.block("if \(plan.presenceCondition) {") { out in
                    out.line("size += \(plan.sizeExpression)")
                }
            }
            out.line("return size")
        }
        out.line()
        out.doc([
            "Writes the fields back to front (``ProtoWriter`` fills its buffer from the end): the unknown fields,",
            "then the known ones from the highest number down, skipping proto3 defaults.",
        ])
        out.block("public func encodeMessage(into writer: inout ProtoWriter) {") { out in
            out.line("writer.writeUnknownFields(self.unknownFields)")
            for plan in byNumber.reversed() {
                out.block("if \(plan.presenceCondition) {") { out in
                    out.line(plan.encodeStatement)
                }
            }
        }
    }

    private func emitJSONEncode(_ plans: [FieldPlan], into out: inout CodeWriter) {
        out.doc(["Writes the proto3 JSON object (protojson names, int64 as strings, enums by name)."])
        out.block("public func encodeJSON(into writer: inout JSONWriter) {") { out in
            out.line("writer.beginObject()")
            for plan in plans {
                let condition: String
                if case .message = plan.kind {
                    condition = plan.presenceCondition  // unset messages are never printed, even with defaults
                } else {
                    condition = "\(plan.presenceCondition) || writer.options.emitDefaultValues"
                }
                out.block("if \(condition) {") { out in
                    out.line("writer.key(\"\(plan.jsonName)\")")
                    for statement in plan.jsonEncodeStatements { out.line(statement) }
                }
            }
            out.line("writer.endObject()")
        }
    }

    private func emitJSONDecode(_ plans: [FieldPlan], into out: inout CodeWriter) {
        out.doc(["Merges a proto3 JSON object; keys may be JSON names or proto field names."])
        let signature =
            "public mutating func decodeJSON(from value: JSONValue, context: inout JSONDecodingContext) throws(ProtoDecodingError) {"
        out.block(signature) { out in
            if plans.isEmpty {
                out.block("for member in try context.expectObject(value) {") { out in
                    out.line("try context.unknownField(member.key)")
                }
                return
            }
            out.block("for member in try context.expectObject(value) {") { out in
                out.switchBlock("switch member.key {") { out in
                    var seen: Set<String> = []
                    for plan in plans {
                        let keys = [plan.jsonName, plan.field.name].filter { seen.insert($0).inserted }
                        guard !keys.isEmpty else { continue }
                        out.line("case \(keys.map { "\"\($0)\"" }.joined(separator: ", ")):")
                        out.line("    \(plan.jsonDecodeStatement)")
                    }
                    out.line("default:")
                    out.line("    try context.unknownField(member.key)")
                }
            }
        }
    }

    private func emitDescribe(_ byNumber: [FieldPlan], into out: inout CodeWriter) {
        let redacted = byNumber.filter { $0.field.isDebugRedacted }.map { "`\($0.field.name)`" }
        out.doc(
            ["Writes the fields that are set, by proto name."]
                + (redacted.isEmpty ? [] : ["\(redacted.joined(separator: ", ")) are `debug_redact`: only `<redacted>` is written."])
        )
        out.block("public func describe(into writer: inout DescriptionWriter) {") { out in
            for plan in byNumber {
                out.block("if \(plan.presenceCondition) {") { out in
                    out.line(plan.describeStatement)
                }
            }
        }
    }
}
