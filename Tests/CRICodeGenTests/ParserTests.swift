import Testing

@testable import CRICodeGen

@Suite("ProtoParser")
struct ParserTests {
    @Test("parses syntax, package, options, fields, maps, repeated, options and comments")
    func parsesSmallFile() throws {
        let file = try ProtoParser.parse(
            """
            /* block
               comment */
            syntax = "proto3";
            package demo.v1;
            option go_package = "example.com/demo";

            // A pod.
            message Pod {
                // The pod name.
                string name = 1;
                repeated int64 groups = 3 [packed = true];
                map<string, string> labels = 2;
                Pod.Kind kind = 4; // trailing comment, not attached to the next field
                string secret = 5 [debug_redact = true, deprecated=true];
                enum Kind { KIND_A = 0; KIND_B = 1; }
                message Inner { bytes blob = 1; }
                Inner inner = 6;
                .demo.v1.Pod outer_ref = 7;
                reserved 8, 10 to 12;
                reserved "old";
            }
            """
        )
        #expect(file.syntax == "proto3")
        #expect(file.package == "demo.v1")
        #expect(file.options == [SchemaOption(name: "go_package", value: "example.com/demo")])
        let pod = try #require(file.messages.first)
        #expect(pod.comment == ["A pod."])
        #expect(pod.fullName == "demo.v1.Pod")
        #expect(pod.fields.map(\.name) == ["name", "groups", "labels", "kind", "secret", "inner", "outer_ref"])
        #expect(pod.fields[0].comment == ["The pod name."])
        #expect(pod.fields[1].label == .repeated && pod.fields[1].type == .scalar(.int64))
        #expect(pod.fields[2].type == .map(key: .string, value: .scalar(.string)))
        #expect(pod.fields[3].type == .enumeration("demo.v1.Pod.Kind"))
        #expect(pod.fields[4].isDebugRedacted && pod.fields[4].isDeprecated)
        #expect(pod.fields[4].comment.isEmpty, "a trailing comment must not attach to the next line")
        #expect(pod.fields[5].type == .message("demo.v1.Pod.Inner"))
        #expect(pod.fields[6].type == .message("demo.v1.Pod"))
        #expect(pod.nestedEnums.map(\.fullName) == ["demo.v1.Pod.Kind"])
        #expect(pod.nestedMessages.map(\.fullName) == ["demo.v1.Pod.Inner"])
        #expect(file.allMessages.count == 2)
        #expect(file.allEnums.map { $0.values.map(\.name) } == [["KIND_A", "KIND_B"]])
        #expect(pod.fieldsByNumber.map(\.number) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test("parses services with streaming responses and rpc bodies")
    func parsesServices() throws {
        let file = try ProtoParser.parse(
            """
            syntax = "proto3";
            package s;
            message A {}
            message B {}
            // The service.
            service Svc {
                // Unary.
                rpc One(A) returns (B) {}
                rpc Many(A) returns (stream B);
                rpc WithOption(A) returns (B) { option deprecated = true; }
            }
            """
        )
        let service = try #require(file.services.first)
        #expect(service.fullName == "s.Svc")
        #expect(service.comment == ["The service."])
        #expect(service.methods.map(\.name) == ["One", "Many", "WithOption"])
        #expect(service.methods.map(\.isServerStreaming) == [false, true, false])
        #expect(service.methods[0].comment == ["Unary."])
        #expect(service.methods[1].requestType == "s.A" && service.methods[1].responseType == "s.B")
    }

    @Test("resolves names from the innermost scope outwards")
    func scoping() throws {
        let file = try ProtoParser.parse(
            """
            syntax = "proto3";
            package p;
            message Kind { int32 x = 1; }
            message Outer {
                enum Kind { A = 0; }
                Kind inner = 1;       // Outer.Kind (the enum) shadows the top-level message
                .p.Kind outer = 2;
            }
            """
        )
        let outer = try #require(file.message(named: "p.Outer"))
        #expect(outer.fields[0].type == .enumeration("p.Outer.Kind"))
        #expect(outer.fields[1].type == .message("p.Kind"))
    }

    /// Each bad input and the `line:column` plus message fragment it must report.
    static let errorCases: [(source: String, location: String, fragment: String)] = [
        ("syntax = \"proto2\";", "1:10", "only proto3"),
        ("package a;", "1:1", "missing 'syntax"),
        ("syntax = \"proto3\";\nmessage A {\n  string a = 1\n}", "4:1", "expected ';'"),
        ("syntax = \"proto3\";\nmessage A {\n  Missing a = 1;\n}", "3:3", "unknown type 'Missing'"),
        ("syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}", "4:3", "already used by 'a'"),
        ("syntax = \"proto3\";\nmessage A {\n  int32 a = 0;\n}", "3:13", "out of range"),
        ("syntax = \"proto3\";\nmessage A {\n  int32 a = 19000;\n}", "3:13", "out of range"),
        ("syntax = \"proto3\";\nenum E { X = 1; }", "2:14", "first value of a proto3 enum must be 0"),
        ("syntax = \"proto3\";\nmessage A {}\nmessage A {}", "3:9", "already defined at 2:9"),
        ("syntax = \"proto3\";\n/* never closed", "2:1", "unterminated block comment"),
        ("syntax = \"proto3\";\noption x = \"open;\n", "2:12", "unterminated string"),
        ("syntax = \"proto3\";\nmessage A { oneof x { int32 a = 1; } }", "2:13", "'oneof' is not supported"),
        ("syntax = \"proto3\";\nmessage A { map<double, string> m = 1; }", "2:17", "invalid map key type"),
        ("syntax = \"proto3\";\nimport \"x.proto\";", "2:1", "'import' is not supported"),
        ("syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n", "4:1", "'}' to close message A"),
        ("syntax = \"proto3\";\nservice S { rpc X(Nope) returns (Nope); }", "2:17", "unknown type 'Nope' in rpc X"),
        ("syntax = \"proto3\";\nmessage A { int32 a = 1; }\n@", "3:1", "unexpected character '@'"),
        ("syntax = \"proto3\";\nenum E { A = 0; }\nservice S { rpc X(E) returns (E); }", "3:17", "uses enum 'E'"),
    ]

    @Test("reports errors with line:column", arguments: errorCases.indices)
    func errors(index: Int) {
        let (source, location, fragment) = Self.errorCases[index]
        guard let error = expectSyntaxError(source) else { return }
        #expect(error.location.description == location, "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
        #expect(error.description.hasPrefix(location + ": "))
    }

    @Test("a comment separated by a blank line is not attached")
    func detachedComments() throws {
        let file = try ProtoParser.parse("syntax = \"proto3\";\n// detached\n\n// attached\nmessage A {}\n")
        #expect(file.messages[0].comment == ["attached"])
    }
}
