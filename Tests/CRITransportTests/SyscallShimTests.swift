import Testing

@testable import CRITransport

#if !os(Windows)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scripted system-call shim: each call pops the next scripted outcome and is logged.
final class ScriptedSyscalls: Sendable {
    struct Script {
        var receives: [SyscallResult<Int>] = []
        var sends: [SyscallResult<Int>] = []
        var polls: [SyscallResult<Int32>] = []
        var connects: [SyscallResult<Void>] = []
        var pendingErrors: [SyscallResult<Int32>] = []
        var log: [String] = []
        var sentBytes: [UInt8] = []
        var now: ContinuousClock.Instant
        /// Advances the fake clock by the poll timeout whenever a poll "times out" (returns 0).
        var pollTimeoutAdvancesClock = true
    }

    let script: Locked<Script>
    let base = ContinuousClock.now

    init(_ configure: (inout Script) -> Void) {
        var script = Script(now: base)
        configure(&script)
        self.script = Locked(script)
    }

    var log: [String] { script.value.log }
    var sentBytes: [UInt8] { script.value.sentBytes }

    var syscalls: Syscalls {
        Syscalls(
            receive: { fd, buffer in
                self.script.withLock { script in
                    script.log.append("recv(\(buffer.count))")
                    let result = script.receives.isEmpty ? .success(0) : script.receives.removeFirst()
                    if case .success(let count) = result {
                        for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: index) }
                    }
                    return result
                }
            },
            send: { fd, bytes in
                self.script.withLock { script in
                    script.log.append("send(\(bytes.count))")
                    let result = script.sends.isEmpty ? .success(bytes.count) : script.sends.removeFirst()
                    if case .success(let count) = result { script.sentBytes += bytes.prefix(count) }
                    return result
                }
            },
            poll: { set, timeout in
                self.script.withLock { script in
                    script.log.append("poll(\(set.count), \(timeout))")
                    let result = script.polls.isEmpty ? .success(1) : script.polls.removeFirst()
                    if case .success(0) = result, script.pollTimeoutAdvancesClock, timeout > 0 {
                        script.now = script.now.advanced(by: .milliseconds(timeout))
                    }
                    return result
                }
            },
            connect: { _, _ in
                self.script.withLock { script in
                    script.log.append("connect")
                    return script.connects.isEmpty ? .success(()) : script.connects.removeFirst()
                }
            },
            pendingError: { _ in
                self.script.withLock { script in
                    script.log.append("SO_ERROR")
                    return script.pendingErrors.isEmpty ? .success(0) : script.pendingErrors.removeFirst()
                }
            },
            accept: { _ in .failure(.wouldBlock) },
            now: { self.script.withLock { $0.now } }
        )
    }
}

@Suite("Syscall shim: EINTR, EAGAIN, partial writes, deadlines")
struct SyscallShimTests {
    @Test func sendAllRetriesEINTRAndContinuesAfterShortWrites() throws {
        let shim = ScriptedSyscalls {
            $0.sends = [
                .failure(.interrupted), .success(3), .failure(.wouldBlock), .success(0), .success(4), .success(3),
            ]
            $0.polls = [.failure(.interrupted), .success(1), .success(1)]
        }
        let payload = Array(UInt8(0)..<10)
        try payload.withUnsafeBytes { bytes in
            try shim.syscalls.sendAll(7, bytes, deadline: nil, label: "write to test")
        }
        #expect(shim.sentBytes == payload)
        #expect(
            shim.log == [
                "send(10)", "send(10)", "send(7)", "poll(1, -1)", "poll(1, -1)", "send(7)", "poll(1, -1)", "send(7)",
                "send(3)",
            ]
        )
    }

    @Test func sendAllReportsOtherErrorsWithTheirCode() {
        let shim = ScriptedSyscalls { $0.sends = [.success(2), .failure(.brokenPipe)] }
        let error = #expect(throws: TransportError.self) {
            try [UInt8](repeating: 1, count: 5).withUnsafeBytes { bytes in
                try shim.syscalls.sendAll(7, bytes, deadline: nil, label: "write to test")
            }
        }
        #expect(error?.code == .connectionReset)
        #expect(error?.errno == .brokenPipe)
        #expect(error?.message.hasPrefix("write to test: ") == true)
    }

    @Test func sendAllGivesUpAtTheDeadlineWithPollTimeoutsRoundedUp() {
        let shim = ScriptedSyscalls {
            $0.sends = Array(repeating: .failure(.wouldBlock), count: 10)
            $0.polls = [.success(0), .success(0), .success(0)]
        }
        let deadline = shim.base.advanced(by: .milliseconds(250) + .microseconds(1))
        let error = #expect(throws: TransportError.self) {
            try [UInt8](repeating: 1, count: 5).withUnsafeBytes { bytes in
                try shim.syscalls.sendAll(7, bytes, deadline: deadline, label: "write to test")
            }
        }
        #expect(error?.code == .timedOut)
        #expect(error?.message.contains("0 of 5 bytes written") == true)
        // 250.001 ms rounds up to 251: poll must never wake before the deadline.
        #expect(shim.log == ["send(5)", "poll(1, 251)"])
    }

    @Test func receiveRetriesEINTRAndWaitsOnEAGAIN() throws {
        let shim = ScriptedSyscalls {
            $0.receives = [.failure(.interrupted), .failure(.wouldBlock), .success(5)]
            $0.polls = [.failure(.interrupted), .success(1)]
        }
        var buffer = [UInt8](repeating: 0xFF, count: 16)
        let count = try buffer.withUnsafeMutableBytes { raw in
            try shim.syscalls.receiveBlocking(3, into: raw, label: "read from test")
        }
        #expect(count == 5)
        #expect(buffer.prefix(5) == [0, 1, 2, 3, 4])
        #expect(shim.log == ["recv(16)", "recv(16)", "poll(1, -1)", "poll(1, -1)", "recv(16)"])
    }

    @Test func receiveReportsResetAsConnectionReset() {
        let shim = ScriptedSyscalls { $0.receives = [.failure(.connectionReset)] }
        var buffer = [UInt8](repeating: 0, count: 4)
        let error = #expect(throws: TransportError.self) {
            try buffer.withUnsafeMutableBytes { raw in
                _ = try shim.syscalls.receiveBlocking(3, into: raw, label: "read from test")
            }
        }
        #expect(error?.code == .connectionReset)
    }

    @Test func connectInProgressThenRefused() {
        let shim = ScriptedSyscalls {
            $0.connects = [.failure(.inProgress)]
            $0.pendingErrors = [.success(ECONNREFUSED)]
        }
        let error = #expect(throws: TransportError.self) {
            try shim.syscalls.connectBlocking(3, to: SocketAddress(), deadline: nil, label: "connect to test")
        }
        #expect(error?.code == .connectionRefused)
        #expect(shim.log == ["connect", "poll(1, -1)", "SO_ERROR"])
    }

    @Test func connectInterruptedCompletesInBackground() throws {
        let shim = ScriptedSyscalls { $0.connects = [.failure(.interrupted)] }
        try shim.syscalls.connectBlocking(3, to: SocketAddress(), deadline: nil, label: "connect to test")
        #expect(shim.log == ["connect", "poll(1, -1)", "SO_ERROR"])
    }

    @Test func connectTimesOut() {
        let shim = ScriptedSyscalls {
            $0.connects = [.failure(.inProgress)]
            $0.polls = [.success(0)]
        }
        let error = #expect(throws: TransportError.self) {
            try shim.syscalls.connectBlocking(
                3,
                to: SocketAddress(),
                deadline: shim.base.advanced(by: .milliseconds(20)),
                label: "connect to test"
            )
        }
        #expect(error?.code == .timedOut)
        #expect(shim.log == ["connect", "poll(1, 20)"])
    }

    @Test func connectRetriesAFullUnixBacklogUntilTheDeadline() {
        let shim = ScriptedSyscalls {
            $0.connects = [.failure(.wouldBlock), .failure(.wouldBlock), .success(())]
        }
        #expect(throws: Never.self) {
            try shim.syscalls.connectBlocking(3, to: SocketAddress(), deadline: nil, label: "connect to test")
        }
        #expect(shim.log == ["connect", "poll(0, 5)", "connect", "poll(0, 5)", "connect"])
    }

    @Test func millisecondsUntilRoundsUpAndExpires() {
        let now = ContinuousClock.now
        #expect(Syscalls.millisecondsUntil(now, now: now) == nil)
        #expect(Syscalls.millisecondsUntil(now.advanced(by: .nanoseconds(1)), now: now) == 1)
        #expect(Syscalls.millisecondsUntil(now.advanced(by: .milliseconds(1500)), now: now) == 1500)
        #expect(Syscalls.millisecondsUntil(now.advanced(by: .seconds(100_000_000)), now: now) == 2_000_000_000)
    }
}
#endif
