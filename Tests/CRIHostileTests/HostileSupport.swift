import CRIGRPC
import CRIHPACK
import CRIHTTP2
import CRITransport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Support for the hostile-peer suites: raw HTTP/2 peers over real unix sockets, driven by blocking
// scripts on their own threads, plus process-wide resource probes (open descriptors, RSS).

/// The number of entries in /proc/self/fd (the process's open file descriptors), not counting
/// Dispatch's timerfds: it creates one per clock and QoS class the first time a timer of that kind
/// is armed and keeps it for the life of the process, so they are not per-connection resources.
func openFileDescriptorCount() -> Int {
    openFileDescriptors().values.filter { !$0.contains("timerfd") }.count
}

/// What each open descriptor refers to (fd number → link target), for naming leaks.
func openFileDescriptors() -> [String: String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    var targets: [String: String] = [:]
    for name in names {
        targets[name] = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)) ?? "?"
    }
    return targets
}

/// The resident set size in bytes, from the second field of /proc/self/statm.
func residentSetSize() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return -1 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return -1 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Polls `condition` until it holds or `limit` (times ``testTimeScale``) passes; a bounded wait for effects with
/// no event to await (a reader thread leaving and releasing its descriptor). Returns whether it held.
func eventually(within limit: Duration = .seconds(3), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit * testTimeScale
    while true {
        if condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
}

/// Runs blocking work on a dedicated thread so the concurrency pool never blocks.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A fresh directory under the system temporary directory.
func makeScratchDirectory() -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("cri-hostile-\(UUID().uuidString.prefix(8))").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A raw frame: 9-octet header plus payload (RFC 9113 § 4.1); `length` may lie about the payload.
func rawFrame(type: UInt8, flags: UInt8, streamID: UInt32, payload: [UInt8], length: Int? = nil) -> [UInt8] {
    let length = length ?? payload.count
    return [
        UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
        UInt8(streamID >> 24 & 0x7f), UInt8(streamID >> 16 & 0xff), UInt8(streamID >> 8 & 0xff),
        UInt8(streamID & 0xff),
    ] + payload
}

/// An HPACK integer with an `prefixBits`-bit prefix (RFC 7541 § 5.1), `firstByte` holding the pattern bits.
func hpackInteger(_ value: Int, prefixBits: Int, firstByte: UInt8) -> [UInt8] {
    let maxPrefix = (1 << prefixBits) - 1
    if value < maxPrefix { return [firstByte | UInt8(value)] }
    var bytes = [firstByte | UInt8(maxPrefix)]
    var rest = value - maxPrefix
    while rest >= 128 {
        bytes.append(UInt8(rest & 0x7f) | 0x80)
        rest >>= 7
    }
    bytes.append(UInt8(rest))
    return bytes
}

/// One end of an HTTP/2 connection speaking raw frames with blocking I/O.
final class RawPeer: Sendable {
    private struct Codec {
        var decoder: HTTP2FrameDecoder
        var encoder = HTTP2FrameEncoder(useHuffman: false)
    }

    let stream: any ByteStream
    private let codec: Mutex<Codec>

    /// - Parameter actsAsServer: whether the peer expects the client preface.
    init(stream: any ByteStream, actsAsServer: Bool) {
        self.stream = stream
        self.codec = Mutex(Codec(decoder: HTTP2FrameDecoder(expectClientPreface: actsAsServer)))
    }

    /// Writes `bytes`; false once the connection is gone.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        do {
            try bytes.withUnsafeBytes { try stream.write($0, deadline: .now + .seconds(5)) }
            return true
        } catch {
            return false
        }
    }

    /// Encodes and writes `frames`; false once the connection is gone.
    @discardableResult
    func send(_ frames: HTTP2Frame...) -> Bool {
        write(encode(frames))
    }

    func encode(_ frames: [HTTP2Frame]) -> [UInt8] {
        codec.withLock { codec in
            var bytes: [UInt8] = []
            for frame in frames { codec.encoder.encode(frame, into: &bytes) }
            return bytes
        }
    }

    /// The next frame, blocking; nil at end of stream or a decoding error.
    func nextFrame() -> HTTP2Frame? {
        enum Step { case frame(HTTP2Frame), needBytes, failed }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let step: Step = codec.withLock { codec in
                do {
                    if let frame = try codec.decoder.nextFrame() { return .frame(frame) }
                    return .needBytes
                } catch {
                    return .failed
                }
            }
            switch step {
            case .frame(let frame): return frame
            case .failed: return nil
            case .needBytes: break
            }
            let count = (try? buffer.withUnsafeMutableBytes { try stream.read(into: $0) }) ?? 0
            if count <= 0 { return nil }
            codec.withLock { $0.decoder.append(buffer[0..<count]) }
        }
    }

    /// Reads and discards everything until the connection ends.
    func readUntilClosed() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ((try? buffer.withUnsafeMutableBytes { try stream.read(into: $0) }) ?? 0) > 0 {}
    }

    /// The server half of a handshake: our SETTINGS, then frames until the client's first HEADERS,
    /// acknowledging its SETTINGS. Returns the request's stream ID; nil if the connection ends.
    func acceptCall(settings: [HTTP2Setting] = []) -> UInt32? {
        guard send(HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload(settings: settings)))) else { return nil }
        while let frame = nextFrame() {
            switch frame.payload {
            case .settings(let payload) where !payload.ack:
                send(HTTP2Frame(streamID: 0, payload: .settings(.ack)))
            case .headers:
                return frame.streamID
            default:
                continue
            }
        }
        return nil
    }

    /// Response headers with `:status` and `content-type`.
    func responseHeaders(
        streamID: UInt32, status: String = "200", contentType: String = "application/grpc",
        extra: [HPACKHeader] = [], endStream: Bool = false
    ) -> HTTP2Frame {
        HTTP2Frame(
            streamID: streamID,
            payload: .headers(
                HeadersPayload(
                    headers: [
                        HPACKHeader(name: ":status", value: status),
                        HPACKHeader(name: "content-type", value: contentType),
                    ] + extra, endStream: endStream)))
    }

    func close() { stream.close() }
}

/// A listener on a unix socket in a temporary directory whose every accepted connection is driven
/// by `script` on its own thread.
final class HostileServer: Sendable {
    let directory: String
    let path: String
    private let listener: any Listener
    private let accepted = StreamList()

    init(script: @escaping @Sendable (RawPeer) -> Void) throws {
        directory = makeScratchDirectory()
        path = directory + "/hostile.sock"
        let listener = try listen(on: .unixSocket(path: path))
        self.listener = listener
        let accepted = self.accepted
        Thread {
            while let stream = try? listener.accept() {
                accepted.append(stream)
                Thread { script(RawPeer(stream: stream, actsAsServer: true)) }.start()
            }
        }.start()
    }

    /// How many connections were accepted.
    var connectionCount: Int { accepted.all.count }

    /// A client for this server.
    func makeClient(configuration: GRPCClientConfiguration = GRPCClientConfiguration()) -> GRPCClient {
        let path = self.path
        return GRPCClient(configuration: configuration) {
            ByteStreamTransport(try connect(to: .unixSocket(path: path), deadline: .now + .seconds(2)))
        }
    }

    /// Stops listening and closes every accepted connection, which ends the scripts' blocked reads.
    func close() {
        listener.close()
        for stream in accepted.all { stream.close() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Accepted streams, kept so they can be closed.
final class StreamList: Sendable {
    private let streams = Mutex<[any ByteStream]>([])
    func append(_ stream: any ByteStream) { streams.withLock { $0.append(stream) } }
    var all: [any ByteStream] { streams.withLock { $0 } }
}
