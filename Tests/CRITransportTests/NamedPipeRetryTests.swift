import Testing

@testable import CRITransport

/// A scripted `CreateFileW`/`WaitNamedPipeW` pair with a fake clock.
final class FakePipeOpener: NamedPipeOpener, Sendable {
    struct State {
        var opens: [Result<Int, Win32Error>]
        var waits: [Result<Void, Win32Error>] = []
        var waitedMilliseconds: [UInt32?] = []
        var openedPaths: [String] = []
        var now: ContinuousClock.Instant
        /// Each wait advances the fake clock by this much (a WaitNamedPipe that times out takes its timeout).
        var waitDuration: Duration = .zero
    }

    let state: Locked<State>
    let base = ContinuousClock.now

    init(opens: [Result<Int, Win32Error>], waits: [Result<Void, Win32Error>] = [], waitDuration: Duration = .zero) {
        state = Locked(State(opens: opens, waits: waits, now: base, waitDuration: waitDuration))
    }

    func open(path: String) -> Result<Int, Win32Error> {
        state.withLock { state in
            state.openedPaths.append(path)
            return state.opens.isEmpty ? .failure(.pipeBusy) : state.opens.removeFirst()
        }
    }

    func waitForInstance(path: String, milliseconds: UInt32?) -> Result<Void, Win32Error> {
        state.withLock { state in
            state.waitedMilliseconds.append(milliseconds)
            state.now = state.now.advanced(by: state.waitDuration)
            return state.waits.isEmpty ? .success(()) : state.waits.removeFirst()
        }
    }

    var now: ContinuousClock.Instant { state.value.now }
}

@Suite("Named pipe busy/retry logic (platform independent)")
struct NamedPipeRetryTests {
    let path = #"\\.\pipe\containerd-containerd"#

    @Test func busyTwiceThenSucceeds() throws {
        let opener = FakePipeOpener(opens: [.failure(.pipeBusy), .failure(.pipeBusy), .success(42)])
        let handle = try openNamedPipe(
            path: path,
            deadline: opener.base + .milliseconds(1500),
            opener: opener,
            now: { opener.now }
        )
        #expect(handle == 42)
        #expect(opener.state.value.openedPaths == [path, path, path])
        #expect(opener.state.value.waitedMilliseconds == [1500, 1500], "each wait is bounded by the time left")
    }

    @Test func staysBusyUntilTheDeadline() {
        let opener = FakePipeOpener(
            opens: [],
            waits: Array(repeating: .failure(.semaphoreTimeout), count: 10),
            waitDuration: .milliseconds(400)
        )
        let error = #expect(throws: TransportError.self) {
            try openNamedPipe(path: path, deadline: opener.base + .seconds(1), opener: opener, now: { opener.now })
        }
        #expect(error?.code == .timedOut)
        #expect(error?.win32Error == .pipeBusy)
        #expect(
            error?.message.contains(#"connect to named pipe "\\.\pipe\containerd-containerd""#) == true,
            "\(error?.message ?? "")"
        )
        #expect(opener.state.value.waitedMilliseconds == [1000, 600, 200])
    }

    @Test func withoutADeadlineWaitsForever() throws {
        let opener = FakePipeOpener(opens: [.failure(.pipeBusy), .success(7)])
        #expect(try openNamedPipe(path: path, deadline: nil, opener: opener, now: { opener.now }) == 7)
        #expect(opener.state.value.waitedMilliseconds == [nil])
    }

    @Test func missingPipeFailsAtOnceNamingThePath() {
        let opener = FakePipeOpener(opens: [.failure(.fileNotFound)])
        let error = #expect(throws: TransportError.self) {
            try openNamedPipe(path: path, deadline: opener.base + .seconds(10), opener: opener, now: { opener.now })
        }
        #expect(error?.code == .notFound)
        #expect(error?.win32Error == .fileNotFound)
        #expect(error?.errno == nil, "Win32 codes are not folded into errno")
        #expect(error?.message.contains("ERROR_FILE_NOT_FOUND") == true)
        #expect(error?.message.contains("containerd-containerd") == true)
        #expect(opener.state.value.waitedMilliseconds.isEmpty)
    }

    @Test func serverVanishingDuringTheWaitReportsNotFound() {
        let opener = FakePipeOpener(
            opens: [.failure(.pipeBusy), .failure(.fileNotFound)],
            waits: [.failure(.fileNotFound)]
        )
        let error = #expect(throws: TransportError.self) {
            try openNamedPipe(path: path, deadline: nil, opener: opener, now: { opener.now })
        }
        #expect(error?.code == .notFound)
    }

    @Test func accessDeniedKeepsTheWin32Code() {
        let opener = FakePipeOpener(opens: [.failure(.accessDenied)])
        let error = #expect(throws: TransportError.self) {
            try openNamedPipe(path: path, deadline: nil, opener: opener, now: { opener.now })
        }
        #expect(error?.code == .permissionDenied)
        #expect(error?.win32Error == Win32Error(5))
    }

    @Test func expiredDeadlineStillTriesOnce() throws {
        let opener = FakePipeOpener(opens: [.success(1)])
        #expect(try openNamedPipe(path: path, deadline: opener.base, opener: opener, now: { opener.now }) == 1)
    }
}
