/// Emits an open Swift enum (`case unrecognized(Int32)`) for a proto3 enum.
struct EnumEmitter {
    func emit(_ definition: EnumDefinition, into out: inout CodeWriter) {
        let swiftName = SwiftNaming.typeName(forProtoName: definition.name, isEnum: true)
        // With `allow_alias` several names share a number; the first one is canonical.
        var canonical: [Int32: String] = [:]
        var cases: [(name: String, value: EnumValueDefinition)] = []
        for value in definition.values {
            let name = SwiftNaming.caseName(forEnumValue: value.name, inEnum: definition.name)
            cases.append((name, value))
            if canonical[value.number] == nil { canonical[value.number] = name }
        }
        let distinct = cases.filter { canonical[$0.value.number] == $0.name }
        guard let zero = distinct.first(where: { $0.value.number == 0 }) ?? distinct.first else { return }
        out.doc(DocComments.enumeration(definition))
        out.block("public enum \(swiftName): ProtoEnum {") { out in
            for (name, value) in cases where canonical[value.number] == name {
                out.doc(value.comment.isEmpty ? ["`\(value.name)` (\(value.number))."] : value.comment + ["", "`\(value.name)` (\(value.number))."])
                out.line("case \(name)")
            }
            out.doc(["A number this schema does not know, kept so it survives a round trip."])
            out.line("case unrecognized(Int32)")
            out.line()
            out.doc(["The proto3 default, `.\(zero.name)`."])
            out.line("public init() { self = .\(zero.name) }")
            out.line()
            out.doc(["Every known case in declaration order (``unrecognized(_:)`` excluded)."])
            out.line("public static let allCases: [\(swiftName)] = [\(distinct.map { "." + $0.name }.joined(separator: ", "))]")
            out.line()
            out.doc(["The case for a wire number; unknown numbers become ``unrecognized(_:)``."])
            out.block("public init(protoValue: Int32) {") { out in
                out.switchBlock("switch protoValue {") { out in
                    for (name, value) in distinct { out.line("case \(value.number): self = .\(name)") }
                    out.line("default: self = .unrecognized(protoValue)")
                }
            }
            out.line()
            out.doc(["The wire number."])
            out.block("public var protoValue: Int32 {") { out in
                out.switchBlock("switch self {") { out in
                    for (name, value) in distinct { out.line("case .\(name): \(value.number)") }
                    out.line("case .unrecognized(let number): number")
                }
            }
            out.line()
            let legacy = LegacyEnumNames.aliases(for: definition)
            let accepted = legacy.isEmpty ? "aliases are accepted" : "aliases and the names of earlier schemas are accepted"
            out.doc(["The case named `protoName` in the schema (`\(zero.value.name)`), if any; \(accepted)."])
            out.block("public init?(protoName: String) {") { out in
                out.switchBlock("switch protoName {") { out in
                    for (name, value) in cases { out.line("case \"\(value.name)\": self = .\(canonical[value.number] ?? name)") }
                    for (legacyName, value) in legacy {
                        let name =
                            canonical[value.number]
                            ?? SwiftNaming.caseName(forEnumValue: value.name, inEnum: definition.name)
                        out.line("case \"\(legacyName)\": self = .\(name)")
                    }
                    out.line("default: return nil")
                }
            }
            out.line()
            out.doc(["The schema name, or nil for ``unrecognized(_:)``."])
            out.block("public var protoName: String? {") { out in
                out.switchBlock("switch self {") { out in
                    for (name, value) in distinct { out.line("case .\(name): \"\(value.name)\"") }
                    out.line("case .unrecognized: nil")
                }
            }
        }
    }
}
