import CRIWire
import Testing

@Suite("proto3 JSON mapping")
struct JSONTests {
    private func populated() -> Everything {
        var message = Everything()
        message.i32 = -7
        message.i64 = 29_683_712
        message.u64 = UInt64.max
        message.flag = true
        message.colour = .green
        message.ratio = 0.25
        message.text = "a\"b\\c\n"
        message.blob = [0xDE, 0xAD, 0xBE, 0xEF, 0x01]
        message.inner = Inner()
        message.inner?.name = "x"
        message.items = [Inner(), Inner()]
        message.groups = [-1, 2]
        message.ports = [80]
        message.labels = ["b": "2", "a": "1"]
        message.words = ["w"]
        return message
    }

    @Test func compactEncodingHasProtoJSONShapes() {
        let json = populated().jsonString()
        #expect(json.contains(#""i64":"29683712""#))  // 64-bit integers are strings
        #expect(json.contains(#""u64":"18446744073709551615""#))
        #expect(json.contains(#""i32":-7"#))  // 32-bit integers are numbers
        #expect(json.contains(#""colour":"GREEN""#))  // enums by name
        #expect(json.contains(#""blob":"3q2+7wE=""#))  // bytes as base64
        #expect(json.contains(#""labels":{"a":"1","b":"2"}"#))  // map keys sorted
        #expect(json.contains(#""text":"a\"b\\c\n""#))
        #expect(json.contains(#""ratio":0.25"#))
    }

    @Test func prettyPrintingMatchesProtojsonIndentation() {
        var message = Inner()
        message.name = "n"
        message.value = 3
        #expect(message.jsonString(options: JSONEncodingOptions(prettyPrinted: true)) == """
            {
              "name": "n",
              "value": "3"
            }
            """)
        var tree = Tree()
        tree.children = [Tree()]
        #expect(tree.jsonString(options: JSONEncodingOptions(prettyPrinted: true)) == """
            {
              "children": [
                {}
              ]
            }
            """)
    }

    @Test func emitDefaultValues() {
        let json = Inner().jsonString(options: JSONEncodingOptions(emitDefaultValues: true))
        #expect(json == #"{"name":"","value":"0"}"#)
        #expect(Inner().jsonString() == "{}")
    }

    @Test func roundTrip() throws {
        let message = populated()
        #expect(try Everything(jsonString: message.jsonString()) == message)
        let pretty = message.jsonString(options: JSONEncodingOptions(emitDefaultValues: true, prettyPrinted: true))
        #expect(try Everything(jsonString: pretty) == message)
    }

    @Test func nonFiniteDoubles() throws {
        var message = Everything()
        message.ratio = .infinity
        #expect(message.jsonString() == #"{"ratio":"Infinity"}"#)
        #expect(try Everything(jsonString: #"{"ratio":"-Infinity"}"#).ratio == -.infinity)
        #expect(try Everything(jsonString: #"{"ratio":"NaN"}"#).ratio.isNaN)
    }

    @Test func integersAcceptNumbersAndStrings() throws {
        let decoded = try Everything(jsonString: #"{"i64": 42, "i32": "-3", "u32": 1e2, "u64": "18446744073709551615"}"#)
        #expect(decoded.i64 == 42)
        #expect(decoded.i32 == -3)
        #expect(decoded.u32 == 100)
        #expect(decoded.u64 == .max)
    }

    @Test func integerRangeIsChecked() {
        #expect(throws: ProtoDecodingError(code: .invalidJSONValue)) {
            _ = try Everything(jsonString: #"{"i32": 2147483648}"#)
        }
        #expect(throws: ProtoDecodingError(code: .invalidJSONValue)) {
            _ = try Everything(jsonString: #"{"i64": 1.5}"#)
        }
    }

    @Test func enumsAcceptNamesAndNumbers() throws {
        #expect(try Everything(jsonString: #"{"colour": "GREEN"}"#).colour == .green)
        #expect(try Everything(jsonString: #"{"colour": 1}"#).colour == .green)
        #expect(try Everything(jsonString: #"{"colour": 9}"#).colour == .unrecognized(9))
        do {
            _ = try Everything(jsonString: #"{"colour": "BLUE"}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidJSONValue)
            #expect(error.reason.contains("colour"))
            #expect(error.reason.contains("RED, GREEN"))
        }
    }

    @Test func nullMeansDefault() throws {
        let decoded = try Everything(jsonString: #"{"i32": null, "inner": null, "labels": null, "items": null}"#)
        #expect(decoded == Everything())
    }

    @Test func unknownKeysAreReportedWithTheirPath() throws {
        var unknown: [String] = []
        let decoded = try Everything(
            jsonUTF8: Array(#"{"inner": {"nmae": "x"}, "items": [{}, {"bogus": 1}], "extra": true, "i32": 1}"#.utf8),
            unknownFieldPaths: &unknown
        )
        #expect(decoded.i32 == 1)
        #expect(unknown == ["inner.nmae", "items[1].bogus", "extra"])
    }

    @Test func unknownKeysCanBeErrors() {
        do {
            _ = try Everything(jsonString: #"{"inner": {"nmae": "x"}}"#, options: JSONDecodingOptions(rejectUnknownFields: true))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unknownJSONField)
            #expect(error.reason.contains("inner.nmae"))
        }
    }

    @Test func typeMismatchNamesThePath() {
        do {
            _ = try Everything(jsonString: #"{"inner": {"name": 5}}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .jsonTypeMismatch)
            #expect(error.reason.contains("inner.name"))
        }
    }

    @Test func malformedJSON() {
        for text in ["", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "\"\\ud800\"", "01", "1.", "{} {}", "\"a\u{01}\""] {
            #expect(throws: ProtoDecodingError.self, "\(text)") { _ = try JSONParser.parse(text) }
        }
    }

    @Test func deepJSONIsRejectedNotRecursedWithoutBound() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ProtoDecodingError(code: .invalidJSON)) { _ = try JSONParser.parse(deep) }
    }

    @Test func stringEscapesAndSurrogates() throws {
        #expect(try JSONParser.parse(#""\u00e9\ud83d\ude00\/\t""#) == .string("é😀/\t"))
    }

    @Test func base64() {
        #expect(Base64.encode([]) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64.decode("Zm9vYg==") == Array("foob".utf8))
        #expect(Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(Base64.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Z") == nil)
        #expect(Base64.decode("Zg==Zg") == nil)
    }
}

@Suite("Redacting descriptions")
struct DescriptionTests {
    @Test func secretsAreRedacted() {
        var message = Everything()
        message.secret = "hunter2"
        message.text = "visible"
        message.inner = Inner()
        message.labels = ["k": "v"]
        #expect(message.description == #"Everything(text: "visible", inner: Inner(), labels: ["k": "v"], secret: <redacted>)"#)
        #expect(!message.debugDescription.contains("hunter2"))
        #expect(!"\(message)".contains("hunter2"))
        #expect(!String(reflecting: message).contains("hunter2"))
    }
}

@Suite("Writing parsed JSON trees")
struct JSONTreeWritingTests {
    @Test func treesRoundTripKeepingOrderAndLiterals() throws {
        let text = #"{"b":[1,2.50,true,null,"x"],"a":{},"c":[]}"#
        var writer = JSONWriter()
        writer.writeValue(try JSONParser.parse(text))
        #expect(writer.string == text)
    }

    @Test func prettyAndHTMLEscaped() throws {
        var writer = JSONWriter(options: JSONEncodingOptions(prettyPrinted: true, escapesHTML: true))
        writer.writeValue(try JSONParser.parse(#"{"k":["<a&b>"]}"#))
        #expect(writer.string == "{\n  \"k\": [\n    \"\\u003ca\\u0026b\\u003e\"\n  ]\n}")
    }
}

@Suite("HTML characters stay literal unless asked")
struct JSONHTMLDefaultTests {
    @Test func notEscapedByDefault() {
        var writer = JSONWriter()
        writer.writeString("<a&b>")
        #expect(writer.string == "\"<a&b>\"")
    }
}
