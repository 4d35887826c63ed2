/// One libFuzzer target: a decoder that reads untrusted bytes, and the properties checked on what it decodes.
///
/// The `Fuzz/` package's executables call ``runForLibFuzzer(_:_:)`` from `LLVMFuzzerTestOneInput`; the
/// `CRIFuzzRegressionTests` unit test calls ``run(_:)`` with every committed corpus file and every past crasher
/// (`Fuzz/FailCases/<name>/`), so both exercise exactly the same code. Not API for anything else.
public struct FuzzTarget: Sendable {
    /// The executable's name, which is also its directory under `Fuzz/Corpus` and `Fuzz/FailCases`.
    public let name: String
    private let body: @Sendable (UnsafeRawBufferPointer) throws(FuzzFailure) -> Void

    init(_ name: String, _ body: @escaping @Sendable (UnsafeRawBufferPointer) throws(FuzzFailure) -> Void) {
        self.name = name
        self.body = body
    }

    /// Feeds one input to the decoder.
    ///
    /// - Throws: ``FuzzFailure`` when a checked property does not hold (a round trip changes the value, split
    ///   and whole decoding disagree). Errors the decoder throws for malformed input are expected and swallowed;
    ///   a trap inside the decoder is not caught and crashes the process, which is the bug being looked for.
    public func run(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        try body(input)
    }

    /// The libFuzzer callback's body: runs the input and turns a ``FuzzFailure`` into a crash, which libFuzzer
    /// records as a reproducer. Always returns 0 (the input may stay in the corpus).
    public func runForLibFuzzer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
        do {
            try run(UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count))
        } catch {
            fatalError("\(name): \(error)")
        }
        return 0
    }
}

/// A property of a fuzz target that an input violated.
public struct FuzzFailure: Error, CustomStringConvertible {
    /// What went wrong, naming the decoder and the property.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Every fuzz target, by name.
public enum FuzzTargets {
    /// Binary protobuf decoding of every CRI v1 message.
    public static let protobuf = FuzzTarget("fuzz-protobuf", CodecTargets.protobuf)
    /// proto3 JSON decoding of every CRI v1 message.
    public static let json = FuzzTarget("fuzz-json", CodecTargets.json)
    /// The CRI container log line parser.
    public static let logLine = FuzzTarget("fuzz-logline", CodecTargets.logLine)
    /// HPACK header block decoding with a dynamic table carried across blocks.
    public static let hpack = FuzzTarget("fuzz-hpack", HTTP2Targets.hpack)
    /// HTTP/2 frame decoding, whole and split.
    public static let http2Frames = FuzzTarget("fuzz-http2-frames", HTTP2Targets.frames)
    /// The gRPC Length-Prefixed-Message deframer.
    public static let grpcDeframer = FuzzTarget("fuzz-grpc-deframer", HTTP2Targets.grpcDeframer)
    /// A gRPC client's HTTP/2 connection and response reader fed a server's bytes.
    public static let grpcClient = FuzzTarget("fuzz-grpc-client", GRPCClientTarget.grpcClient)
    /// WebSocket frame parsing and message assembly.
    public static let webSocket = FuzzTarget("fuzz-websocket", StreamingTargets.webSocket)
    /// The HTTP/1.1 upgrade head and streaming URLs.
    public static let streamingHTTP = FuzzTarget("fuzz-streaming-http", StreamingTargets.streamingHTTP)
    /// Endpoint strings.
    public static let endpoint = FuzzTarget("fuzz-endpoint", StreamingTargets.endpoint)
    /// SPDY/3.1 frames with zlib-compressed header blocks, whole and split, re-encoded.
    public static let spdyFrames = FuzzTarget("fuzz-spdy-frames", SPDYTargets.frames)
    /// zlib inflate (the SPDY header decompressor), whole and split.
    public static let inflate = FuzzTarget("fuzz-inflate", SPDYTargets.inflate)

    /// All of them, in the order `Scripts/fuzz.sh` runs them.
    public static let all: [FuzzTarget] = [
        protobuf, json, logLine, hpack, http2Frames, grpcDeframer, grpcClient, webSocket, streamingHTTP, endpoint,
        spdyFrames, inflate,
    ]
}
