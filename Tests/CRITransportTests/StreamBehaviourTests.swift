import Testing

@testable import CRITransport

#if !os(Windows)
/// A connected pair over a real unix socket in a temporary directory.
final class SocketPair {
    let directory: TemporaryDirectory
    let listener: any Listener
    let client: any ByteStream
    let server: any ByteStream

    init() throws {
        directory = try TemporaryDirectory()
        listener = try listen(on: .unixSocket(path: directory.path + "/pair.sock"))
        let accepted = try acceptInBackground(listener)
        client = try connect(to: listener.localEndpoint, deadline: .now + .seconds(5))
        server = try #require(try accepted()?.get())
    }

    deinit {
        client.close()
        server.close()
        listener.close()
    }
}

@Suite("Stream deadlines and close")
struct StreamBehaviourTests {
    @Test func writeToAPeerThatNeverReadsTimesOutAtTheDeadline() throws {
        let pair = try SocketPair()
        let payload = [UInt8](repeating: 0xAB, count: 64 << 20)  // Far more than any socket buffer.
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(200)
        let error = #expect(throws: TransportError.self) { try pair.client.write(payload, deadline: deadline) }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .timedOut)
        #expect(error?.message.contains("bytes written") == true)
        #expect(elapsed >= .milliseconds(200))
        #expect(elapsed < .milliseconds(300), "returned \(elapsed) after start; deadline was 200 ms")
    }

    @Test func closeFromAnotherThreadWakesABlockedRead() throws {
        let pair = try SocketPair()
        let client = pair.client
        let entered = Locked(false)
        let reader = try spawn { () -> Result<Int, any Error> in
            entered.withLock { $0 = true }
            var buffer = [UInt8](repeating: 0, count: 16)
            return Result { try buffer.withUnsafeMutableBytes { raw in try client.read(into: raw) } }
        }
        // Give the reader a chance to block; whether or not it already did, close must end the read promptly.
        while !entered.value {}
        let start = ContinuousClock.now
        client.close()
        let outcome = try #require(reader(.seconds(2)), "read stayed blocked after close()")
        #expect(ContinuousClock.now - start < .milliseconds(500))
        switch outcome {
        case .success(let count): #expect(count == 0)
        case .failure(let error): #expect((error as? TransportError)?.code == .closed)
        }
        // The stream stays closed.
        let error = #expect(throws: TransportError.self) { try client.write([1]) }
        #expect(error?.code == .closed)
        client.close()  // Idempotent.
    }

    @Test func closeRacingReadsAndWritesNeverHangsOrCrashes() throws {
        // Exercises the descriptor guard: close() at every point of a read/write's life, 30 times.
        for round in 0..<30 {
            let pair = try SocketPair()
            let client = pair.client
            let reader = try spawn { () -> Bool in
                var buffer = [UInt8](repeating: 0, count: 64)
                while true {
                    let count = (try? buffer.withUnsafeMutableBytes { raw in try client.read(into: raw) }) ?? 0
                    if count == 0 { return true }
                }
            }
            let writer = try spawn { () -> Bool in
                while (try? client.write([UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 4096))) != nil {}
                return true
            }
            try pair.server.write([1, 2, 3])
            client.close()
            #expect(reader(.seconds(2)) == true, "round \(round): read stayed blocked")
            #expect(writer(.seconds(2)) == true, "round \(round): write stayed blocked")
        }
    }

    @Test func readAfterCloseThrowsClosed() throws {
        let pair = try SocketPair()
        pair.client.close()
        let error = #expect(throws: TransportError.self) { _ = try pair.client.read(count: 1) }
        #expect(error?.code == .closed)
    }

    @Test func closeFromAnotherThreadWakesABlockedWrite() throws {
        let pair = try SocketPair()
        let client = pair.client
        let writer = try spawn { () -> Result<Void, any Error> in
            Result { try client.write([UInt8](repeating: 1, count: 64 << 20)) }
        }
        client.close()
        let outcome = try #require(writer(.seconds(2)), "write stayed blocked after close()")
        guard case .failure(let error) = outcome else {
            Issue.record("a 64 MiB write to a peer that never reads cannot succeed")
            return
        }
        #expect((error as? TransportError)?.code == .closed)
    }

    @Test func writeAfterPeerClosedIsConnectionReset() throws {
        let pair = try SocketPair()
        pair.server.close()
        #expect(try pair.client.read(count: 1) == [])
        let error = #expect(throws: TransportError.self) {
            // The first write may still be buffered; keep writing until the reset is reported.
            for _ in 0..<100 { try pair.client.write([UInt8](repeating: 0, count: 65536)) }
        }
        #expect(error?.code == .connectionReset)
    }
}

@Suite("I/O threads")
struct IOThreadTests {
    @Test func runsTheBodyOnAnotherThreadWithItsName() throws {
        let wait = try spawn { () -> String in
            #if canImport(Glibc)
            var name = [CChar](repeating: 0, count: 32)
            _ = prctlName(&name)
            return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            #else
            return "test"
            #endif
        }
        #expect(wait(.seconds(5)) == "test")
    }
}

#if canImport(Glibc)
import Glibc

/// Reads the calling thread's name from /proc (prctl is variadic and not importable).
private func prctlName(_ buffer: inout [CChar]) -> Int {
    let fd = open("/proc/thread-self/comm", O_RDONLY)
    guard fd >= 0 else { return -1 }
    defer { close(fd) }
    let count = read(fd, &buffer, buffer.count - 1)
    if count > 0, buffer[count - 1] == 10 { buffer[count - 1] = 0 }
    return count
}
#endif
#endif
