import CRI
import Testing

@Suite("CRI log format")
struct CRILogLineTests {
    @Test func parsesAFullLine() throws {
        let line = try #require(CRILogLine(parsing: Array("2016-10-06T00:17:09.669794202Z stdout F hello world\n".utf8)))
        #expect(line.stream == .stdout)
        #expect(!line.isPartial)
        #expect(line.content == Array("hello world".utf8))
        #expect(line.timestamp.rfc3339Nano == "2016-10-06T00:17:09.669794202Z")
        #expect(line.timestamp.nanosecondsSinceEpoch == 1_475_713_029_669_794_202)
    }

    @Test func parsesPartialLinesAndTags() throws {
        let line = try #require(CRILogLine(parsing: Array("2016-10-06T00:17:09Z stderr P:x part".utf8)))
        #expect(line.stream == .stderr)
        #expect(line.isPartial)
        #expect(line.content == Array("part".utf8))
    }

    @Test func emptyContent() throws {
        let line = try #require(CRILogLine(parsing: Array("2016-10-06T00:17:09Z stdout F".utf8)))
        #expect(line.content.isEmpty)
    }

    @Test func rejectsOtherFormats() {
        for text in ["", "hello", "2016-10-06T00:17:09Z stdin F x", "2016-10-06 stdout F x", "2016-10-06T00:17:09Z stdout X x",
                     #"{"log":"x\n","stream":"stdout","time":"2016-10-06T00:17:09Z"}"#] {
            #expect(CRILogLine(parsing: Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func formatsAsTheRuntimeWrites() {
        let line = CRILogLine(
            timestamp: CRITimestamp(nanosecondsSinceEpoch: 1_475_713_029_669_000_000),
            stream: .stdout,
            isPartial: false,
            content: Array("hi".utf8)
        )
        #expect(String(decoding: line.formatted, as: UTF8.self) == "2016-10-06T00:17:09.669Z stdout F hi\n")
        #expect(CRILogLine(parsing: line.formatted) == line)
    }

    @Test func timestampForms() throws {
        let epoch = CRITimestamp(nanosecondsSinceEpoch: 0)
        #expect(epoch.rfc3339Nano == "1970-01-01T00:00:00Z")
        #expect(epoch.rfc3339NanoFixed == "1970-01-01T00:00:00.000000000Z")
        #expect(CRITimestamp(rfc3339: "2016-10-06T02:17:09.5+02:00")?.rfc3339Nano == "2016-10-06T00:17:09.5Z")
        #expect(CRITimestamp(rfc3339: "1969-12-31T23:59:59.999999999Z")?.nanosecondsSinceEpoch == -1)
        #expect(CRITimestamp(nanosecondsSinceEpoch: -1).rfc3339Nano == "1969-12-31T23:59:59.999999999Z")
        #expect(CRITimestamp(rfc3339: "2024-02-29T12:00:00Z")?.rfc3339Nano == "2024-02-29T12:00:00Z")
        for bad in ["2016-13-06T00:17:09Z", "2016-10-06T00:17:09", "2016-10-06T00:17:09.Z", "2016-10-06T00:17:09Zjunk"] {
            #expect(CRITimestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }
}
