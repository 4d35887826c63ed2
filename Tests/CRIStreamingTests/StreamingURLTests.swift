import Testing

@testable import CRIStreaming

@Suite struct StreamingURLTests {
    @Test func parsesContainerdURL() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:42587/exec/Gx2Yd3Qn")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 42587)
        #expect(url.pathAndQuery == "/exec/Gx2Yd3Qn")
        #expect(url.unredacted == "http://127.0.0.1:42587/exec/Gx2Yd3Qn")
        #expect(url.description == "http://127.0.0.1:42587/exec/<token>")
    }

    @Test func defaultsAndIPv6() throws {
        let plain = try StreamingURL(parsing: "HTTP://localhost")
        #expect(plain.port == 80)
        #expect(plain.pathAndQuery == "/")
        let v6 = try StreamingURL(parsing: "http://[::1]:8080/attach/x?y=1#frag")
        #expect(v6.host == "::1")
        #expect(v6.hostHeader == "[::1]:8080")
        #expect(v6.pathAndQuery == "/attach/x?y=1")
        #expect(v6.path == "/attach/x")
    }

    @Test func resolvesRelativeURLs() throws {
        let absolutePath = try StreamingURL(parsing: "/exec/abc", relativeTo: "http://127.0.0.1:10250")
        #expect(absolutePath.unredacted == "http://127.0.0.1:10250/exec/abc")
        let relativePath = try StreamingURL(parsing: "abc", relativeTo: "http://127.0.0.1:10250/exec/old")
        #expect(relativePath.unredacted == "http://127.0.0.1:10250/exec/abc")
    }

    @Test(arguments: [
        "", "/exec/abc", "ftp://host/x", "http://", "http://host:0/", "http://host:99999/", "http://u@host/",
        "http://[::1/",
    ])
    func rejects(text: String) {
        let error = #expect(throws: StreamingError.self) { try StreamingURL(parsing: text) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains("\"\(text)\"") == true)
    }

    @Test func httpsIsUnsupported() {
        let error = #expect(throws: StreamingError.self) { try StreamingURL(parsing: "https://127.0.0.1:1/exec/x") }
        #expect(error?.code == .unsupported)
    }

    @Test func queryHelpers() throws {
        let url = try StreamingURL(parsing: "http://h:1/portforward/t").appendingQuery([
            ("port", "80"), ("port", "443"),
        ])
        #expect(url.pathAndQuery == "/portforward/t?port=80&port=443")
        #expect(url.queryValues(named: "port") == ["80", "443"])
        #expect(url.appendingQuery([("a", "b")]).pathAndQuery.hasSuffix("&a=b"))
    }
}
