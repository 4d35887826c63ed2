import Testing

@testable import CRITransport

@Suite("Endpoint parsing")
struct EndpointParsingTests {
    struct Valid: CustomTestStringConvertible, Sendable {
        var input: String
        var kind: Endpoint.Kind
        var deprecated = false
        var testDescription: String { input }
    }

    static let valid: [Valid] = [
        Valid(
            input: "unix:///run/containerd/containerd.sock",
            kind: .unixSocket(path: "/run/containerd/containerd.sock")
        ),
        Valid(input: "unix:/run/x.sock", kind: .unixSocket(path: "/run/x.sock")),
        Valid(input: "UNIX:///run/x.sock", kind: .unixSocket(path: "/run/x.sock")),
        Valid(input: "unix:///tmp/a%20b.sock", kind: .unixSocket(path: "/tmp/a b.sock")),
        Valid(input: "unix:///tmp/x.sock?ignored#frag", kind: .unixSocket(path: "/tmp/x.sock")),
        // Delimiters count as Unicode scalars, also when a neighbour joins them into one Character (fuzz-endpoint).
        Valid(input: "unix:///tmp/x\u{0604}#frag", kind: .unixSocket(path: "/tmp/x\u{0604}")),
        Valid(input: "unix:///\u{301}x.sock", kind: .unixSocket(path: "/\u{301}x.sock")),
        Valid(input: "/run/x.sock", kind: .unixSocket(path: "/run/x.sock"), deprecated: true),
        Valid(
            input: "npipe:////./pipe/containerd-containerd",
            kind: .namedPipe(path: #"\\.\pipe\containerd-containerd"#)
        ),
        Valid(
            input: "npipe://./pipe/containerd-containerd",
            kind: .namedPipe(path: #"\\.\pipe\containerd-containerd"#)
        ),
        Valid(
            input: #"npipe:\\.\pipe\containerd-containerd"#,
            kind: .namedPipe(path: #"\\.\pipe\containerd-containerd"#)
        ),
        Valid(input: #"npipe:\\\\.\\pipe\\x"#, kind: .namedPipe(path: #"\\.\pipe\x"#)),
        Valid(input: #"\\.\pipe\x"#, kind: .namedPipe(path: #"\\.\pipe\x"#), deprecated: true),
        Valid(input: "//./pipe/x", kind: .namedPipe(path: #"\\.\pipe\x"#), deprecated: true),
        Valid(input: "npipe:///pipe/x", kind: .namedPipe(path: #"\\.\pipe\x"#)),
        Valid(input: "npipe://server/pipe/x", kind: .namedPipe(path: #"\\server\pipe\x"#)),
        Valid(input: "npipe:////server/pipe/x", kind: .namedPipe(path: #"\\server\pipe\x"#)),
        Valid(input: "tcp://127.0.0.1:10250", kind: .tcp(host: "127.0.0.1", port: 10250)),
        Valid(input: "tcp://[::1]:7", kind: .tcp(host: "::1", port: 7)),
        Valid(input: "tcp://localhost:0", kind: .tcp(host: "localhost", port: 0)),
        Valid(input: "tcp://localhost:65535/", kind: .tcp(host: "localhost", port: 65535)),
    ]

    @Test(arguments: valid)
    func parses(_ example: Valid) throws {
        let endpoint = try Endpoint(parsing: example.input)
        #expect(endpoint.kind == example.kind)
        #expect(endpoint.description == example.input, "description shows the endpoint as given")
        #expect((endpoint.deprecationNote != nil) == example.deprecated)
    }

    @Test func bothNamedPipeSpellingsAreEqual() throws {
        let fourSlashes = try Endpoint(parsing: "npipe:////./pipe/containerd-containerd")
        let twoSlashes = try Endpoint(parsing: "npipe://./pipe/containerd-containerd")
        #expect(fourSlashes == twoSlashes)
        #expect(fourSlashes.canonicalURL == "npipe:////./pipe/containerd-containerd")
        #expect(twoSlashes.canonicalURL == "npipe:////./pipe/containerd-containerd")
    }

    @Test func barePathDeprecationNoteNamesTheURLToUse() throws {
        let endpoint = try Endpoint(parsing: "/run/x.sock")
        #expect(
            endpoint.deprecationNote
                == #"using "/run/x.sock" as endpoint is deprecated, "#
                + #"please consider using full URL format "unix:///run/x.sock""#
        )
    }

    @Test func canonicalURLs() {
        #expect(Endpoint.unixSocket(path: "/a.sock").description == "unix:///a.sock")
        #expect(Endpoint.tcp(host: "::1", port: 80).description == "tcp://[::1]:80")
        #expect(Endpoint.tcp(host: "127.0.0.1", port: 80).description == "tcp://127.0.0.1:80")
        #expect(Endpoint.namedPipe(path: #"\\.\pipe\x"#).description == "npipe:////./pipe/x")
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        var input: String
        var message: String
        var testDescription: String { input }
    }

    static let invalid: [Invalid] = [
        Invalid(input: "", message: #"invalid endpoint "": endpoint is empty"#),
        Invalid(
            input: "http://localhost:80",
            message: #"invalid endpoint "http://localhost:80": protocol "http" not supported"#
        ),
        Invalid(input: "HTTPS://x", message: #"protocol "https" not supported"#),
        Invalid(
            input: "run/x.sock",
            message: #"invalid endpoint "run/x.sock": unix socket path "run/x.sock" is relative"#
        ),
        Invalid(
            input: "unix://run/x.sock",
            message: #"unix socket path "run/x.sock" is relative; use unix:///run/x.sock"#
        ),
        Invalid(input: "unix:x.sock", message: #"unix socket path "x.sock" is relative"#),
        Invalid(input: "unix://", message: #"invalid endpoint "unix://": unix socket path is empty"#),
        Invalid(input: "unix:///tmp/%zz", message: #"invalid URL escape in "/tmp/%zz""#),
        Invalid(input: "unix:///tmp/a\u{0}b", message: "control character"),
        Invalid(
            input: "tcp://127.0.0.1",
            message: #"invalid endpoint "tcp://127.0.0.1": missing port in address "127.0.0.1""#
        ),
        Invalid(input: "tcp://127.0.0.1:", message: #"missing port in address "127.0.0.1:""#),
        Invalid(input: "tcp://[::1]", message: #"missing port in address "[::1]""#),
        Invalid(input: "tcp://", message: "missing host and port"),
        Invalid(input: "tcp://:80", message: #"missing host in address ":80""#),
        Invalid(input: "tcp://127.0.0.1:65536", message: #"invalid port "65536""#),
        Invalid(input: "tcp://127.0.0.1:http", message: #"invalid port "http""#),
        Invalid(input: "tcp://::1:80", message: "must be in brackets"),
        Invalid(input: "tcp://127.0.0.1:80/path", message: #"unexpected path "/path""#),
        Invalid(
            input: "npipe://./notpipe/x",
            message: #"named pipe path "\\.\notpipe\x" is not of the form \\.\pipe\NAME"#
        ),
        Invalid(input: "npipe:////./pipe/", message: "is not of the form"),
        Invalid(input: #"npipe:\\\\.\\notpipe"#, message: #"named pipe path "\\.\notpipe" is not of the form"#),
    ]

    @Test(arguments: invalid)
    func rejects(_ example: Invalid) {
        let error = #expect(throws: TransportError.self) { try Endpoint(parsing: example.input) }
        #expect(error?.code == .invalidEndpoint)
        #expect(error?.message.contains(example.message) == true, "\(error?.message ?? "no error")")
    }

    @Test func namedPipeParsesOffWindowsButConnectSaysWhy() throws {
        let endpoint = try Endpoint(parsing: "npipe:////./pipe/containerd-containerd")
        #if !os(Windows)
        let error = #expect(throws: TransportError.self) { try connect(to: endpoint, deadline: nil) }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("named pipes need Windows") == true)
        #expect(
            error?.message.contains(#"(named pipe "\\.\pipe\containerd-containerd")"#) == true,
            "\(error?.message ?? "")"
        )
        #expect(error?.message.contains("npipe:////./pipe/containerd-containerd") == true)
        #endif
    }

    @Test func errorEqualityIsByCode() {
        #expect(TransportError(code: .notFound, message: "a") == TransportError(code: .notFound, message: "b"))
        #expect(TransportError(code: .notFound, message: "a") != TransportError(code: .timedOut, message: "a"))
    }
}

@Suite("Default endpoints")
struct DefaultEndpointTests {
    @Test func crictlDefaultsInOrder() {
        #expect(
            Endpoint.unixDefaults.map(\.description) == [
                "unix:///run/containerd/containerd.sock",
                "unix:///run/crio/crio.sock",
                "unix:///var/run/cri-dockerd.sock",
            ]
        )
        #expect(
            Endpoint.windowsDefaults.map(\.description) == [
                "npipe:////./pipe/containerd-containerd",
                "npipe:////./pipe/cri-dockerd",
            ]
        )
        #expect(Endpoint.windowsDefaults[0].kind == .namedPipe(path: #"\\.\pipe\containerd-containerd"#))
        for endpoint in Endpoint.unixDefaults + Endpoint.windowsDefaults {
            #expect((try? Endpoint(parsing: endpoint.description)) == endpoint)
        }
    }

    @Test func firstAvailablePicksFirstExisting() {
        let crio = Endpoint.unixDefaults[1]
        #expect(
            Endpoint.firstAvailable(among: Endpoint.unixDefaults) { $0 == crio || $0 == Endpoint.unixDefaults[2] }
                == crio
        )
        #expect(Endpoint.firstAvailable(among: Endpoint.unixDefaults) { _ in false } == nil)
    }

    @Test func localAddressExistsChecksForASocketFile() throws {
        let directory = try TemporaryDirectory()
        let listener = try listen(on: .unixSocket(path: directory.path + "/rt.sock"))
        defer { listener.close() }
        let missing = Endpoint.unixSocket(path: directory.path + "/missing.sock")
        #expect(Endpoint.firstAvailable(among: [missing, listener.localEndpoint]) == listener.localEndpoint)
        #expect(!Endpoint.tcp(host: "127.0.0.1", port: 1).localAddressExists)
    }
}
