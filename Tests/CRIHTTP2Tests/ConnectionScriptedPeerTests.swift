import CRIHPACK
import CRIHTTP2
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

// Support for the connection tests: a socket pair, one end driven by an HTTP2Connection, the
// other by a scripted peer that reads and writes raw frames with blocking I/O on its own thread.

/// An HTTP2Transport over one end of a socket pair.
final class SocketPairTransport: HTTP2Transport {
    struct Failure: Error { var errno: Int32 }

    let fd: Int32
    private let closed = Mutex(false)
    /// Whether `waitForData` works (as a real socket's does); off, the connection never reads inline.
    let timedWaits: Bool
    /// Whether the next write waits at the gate (see ``holdNextWrite()``).
    private let gateArmed = Mutex(false)
    /// Signalled when a write starts waiting at the gate.
    private let writeHeld = DispatchSemaphore(value: 0)
    /// Signalled to let a held write go on, by ``releaseHeldWrite()`` or ``close()``.
    private let gateOpened = DispatchSemaphore(value: 0)
    /// Signalled by the first ``close()``.
    private let closedSignal = DispatchSemaphore(value: 0)

    init(fd: Int32, timedWaits: Bool = false) {
        self.fd = fd
        self.timedWaits = timedWaits
    }

    func waitForData(timeout: Duration) throws -> Bool? {
        guard timedWaits else { return nil }
        guard timeout > .zero else { return false }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000 + 1)
        while true {
            let result = poll(&descriptor, 1, milliseconds)
            if result >= 0 { return result > 0 }
            if errno != EINTR { return true }  // the read reports it
        }
    }
    deinit { Glibc.close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            if closed.withLock({ $0 }) { return 0 }
            throw Failure(errno: errno)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws {
        let held = gateArmed.withLock { armed in
            defer { armed = false }
            return armed
        }
        if held {
            // A write stuck on a peer that does not read: it goes on when released, and fails when
            // the transport is closed under it, as a blocked send(2) does on shutdown(2).
            writeHeld.signal()
            gateOpened.wait()
            if closed.withLock({ $0 }) { throw Failure(errno: EPIPE) }
        }
        var offset = 0
        while offset < bytes.count {
            let count = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(errno: errno)
            }
            offset += count
        }
    }

    func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first {
            shutdown(fd, Int32(SHUT_RDWR))
            gateOpened.signal()
            closedSignal.signal()
        }
    }

    /// Makes the next write wait until ``releaseHeldWrite()`` or ``close()``.
    func holdNextWrite() { gateArmed.withLock { $0 = true } }

    /// Waits (blocking) until a write is held at the gate; false after 5 s.
    func waitForHeldWrite() -> Bool { writeHeld.wait(timeout: .now() + 5) == .success }

    /// Lets the held write go on.
    func releaseHeldWrite() { gateOpened.signal() }

    /// Waits (blocking) until the transport is closed; false after `seconds`.
    func waitUntilClosed(seconds: Double) -> Bool { closedSignal.wait(timeout: .now() + seconds) == .success }

    static func pair(timedWaits: Bool = false) -> (SocketPairTransport, SocketPairTransport) {
        var fds: [Int32] = [0, 0]
        let result = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        precondition(result == 0, "socketpair failed")
        // The scripted end gives up after 5 s instead of hanging a failing test.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fds[1], SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return (SocketPairTransport(fd: fds[0], timedWaits: timedWaits), SocketPairTransport(fd: fds[1]))
    }
}

/// Runs blocking work on a dedicated thread so the concurrency pool never blocks.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// The far end of a connection, speaking raw frames.
final class ScriptedPeer: Sendable {
    private struct Codec {
        var decoder: HTTP2FrameDecoder
        var encoder = HTTP2FrameEncoder(useHuffman: false)
    }

    let transport: SocketPairTransport
    private let codec: Mutex<Codec>

    /// - Parameter actsAsServer: whether the peer expects the client preface.
    init(transport: SocketPairTransport, actsAsServer: Bool) {
        self.transport = transport
        self.codec = Mutex(Codec(decoder: HTTP2FrameDecoder(expectClientPreface: actsAsServer)))
    }

    func sendBytes(_ bytes: [UInt8]) {
        try? bytes.withUnsafeBytes { try transport.write($0, deadline: nil) }
    }

    func send(_ frames: HTTP2Frame...) {
        let bytes = codec.withLock { codec in
            var bytes: [UInt8] = []
            for frame in frames { codec.encoder.encode(frame, into: &bytes) }
            return bytes
        }
        sendBytes(bytes)
    }

    /// An HPACK block for `headers` (uses the peer's encoder, so blocks must be sent in order).
    func headerBlock(_ headers: [HPACKHeader]) -> [UInt8] {
        codec.withLock { codec in
            var block: [UInt8] = []
            codec.encoder.hpackEncoder.encode(headers, into: &block)
            return block
        }
    }

    /// The next frame, blocking; nil at end of stream, timeout or a decoding error.
    func nextFrame() -> HTTP2Frame? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let decoded: HTTP2Frame?? = codec.withLock { codec in
                do { return .some(try codec.decoder.nextFrame()) } catch { return .some(nil) }
            }
            if case .some(.some(let frame)) = decoded { return frame }
            let count = (try? buffer.withUnsafeMutableBytes { try transport.read(into: $0) }) ?? 0
            if count <= 0 { return nil }
            codec.withLock { $0.decoder.append(buffer[0..<count]) }
        }
    }

    /// Reads frames until one satisfies `predicate`; nil if the stream ends first.
    func expectFrame(_ predicate: @escaping @Sendable (HTTP2Frame) -> Bool) async -> HTTP2Frame? {
        await onThread {
            while let frame = self.nextFrame() {
                if predicate(frame) { return frame }
            }
            return nil
        }
    }

    /// Performs the server side of the handshake: our SETTINGS, then wait for the client's SETTINGS.
    func acceptHandshake(settings: [HTTP2Setting] = []) async {
        send(HTTP2Frame(streamID: 0, payload: .settings(SettingsPayload(ack: false, settings: settings))))
        let frame = await expectFrame { frame in
            if case .settings(let payload) = frame.payload { return !payload.ack }
            return false
        }
        #expect(frame != nil)
        send(HTTP2Frame(streamID: 0, payload: .settings(.ack)))
    }

    /// Waits for the client's ACK of our SETTINGS.
    func awaitSettingsAck() async {
        let frame = await expectFrame { frame in
            if case .settings(let payload) = frame.payload { return payload.ack }
            return false
        }
        #expect(frame != nil)
    }
}

/// A raw frame: 9-octet header plus payload (RFC 9113 § 4.1).
func rawFrame(type: UInt8, flags: UInt8, streamID: UInt32, payload: [UInt8]) -> [UInt8] {
    let length = payload.count
    return [
        UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
        UInt8(streamID >> 24 & 0x7f), UInt8(streamID >> 16 & 0xff), UInt8(streamID >> 8 & 0xff), UInt8(streamID & 0xff),
    ] + payload
}

/// A client connection wired to a scripted server.
func makeClientAndScriptedServer(
    configuration: HTTP2ConnectionConfiguration = HTTP2ConnectionConfiguration(), timedWaits: Bool = false
) throws -> (HTTP2Connection, ScriptedPeer) {
    let (local, remote) = SocketPairTransport.pair(timedWaits: timedWaits)
    let connection = HTTP2Connection(transport: local, role: .client, configuration: configuration)
    try connection.start()
    return (connection, ScriptedPeer(transport: remote, actsAsServer: true))
}

let requestHeaders = [
    HPACKHeader(name: ":method", value: "POST"), HPACKHeader(name: ":scheme", value: "http"),
    HPACKHeader(name: ":path", value: "/p.S/M"), HPACKHeader(name: ":authority", value: "localhost"),
]

@Suite struct ConnectionScriptedPeerTests {
    @Test func clientSendsPrefaceSettingsAndConnectionWindow() async throws {
        let (connection, peer) = try makeClientAndScriptedServer()
        defer { connection.close() }
        let settings = await peer.expectFrame { _ in true }
        guard case .settings(let payload)? = settings?.payload else {
            Issue.record("first frame \(String(describing: settings))")
            return
        }
        #expect(payload.settings.contains(HTTP2Setting(parameter: .enablePush, value: 0)))
        #expect(payload.settings.contains(HTTP2Setting(parameter: .initialWindowSize, value: 4 << 20)))
        let update = await peer.expectFrame { _ in true }
        #expect(update?.payload == .windowUpdate(increment: UInt32((4 << 20) - 65535)))
    }
}
