#if CRI_WINDOWS_STANDIN
import CRITransport
import CRIWinSDKStandIn
import Dispatch
import Synchronization
import Testing

/// The named-pipe transport (`NamedPipe+Windows.swift`) over the simulated Win32 kernel: the same code Windows
/// runs, calling the stand-in's CreateFileW, ReadFile, GetOverlappedResult, CancelIoEx...
@Suite("Named pipes over the simulated Win32 kernel", .serialized, .timeLimit(.minutes(1)))
struct NamedPipeTransportTests {
    @Test func win32ErrorConstantsMatchTheSDK() {
        let pairs: [(Win32Error, Int32)] = [
            (.fileNotFound, ERROR_FILE_NOT_FOUND), (.accessDenied, ERROR_ACCESS_DENIED),
            (.invalidHandle, ERROR_INVALID_HANDLE), (.brokenPipe, ERROR_BROKEN_PIPE),
            (.semaphoreTimeout, ERROR_SEM_TIMEOUT), (.pipeBusy, ERROR_PIPE_BUSY), (.noData, ERROR_NO_DATA),
            (.pipeNotConnected, ERROR_PIPE_NOT_CONNECTED), (.pipeConnected, ERROR_PIPE_CONNECTED),
            (.operationAborted, ERROR_OPERATION_ABORTED), (.ioPending, ERROR_IO_PENDING),
        ]
        for (error, sdk) in pairs { #expect(error.rawValue == DWORD(sdk), "\(error)") }
    }

    @Test func bytesFlowBothWaysAndCloseIsEndOfStream() throws {
        try withConnectedPipe { _, client, server in
            try client.write(Array("ping".utf8))
            #expect(try server.readExactly(4) == Array("ping".utf8))
            // More than one socket buffer: the write completes in several kernel steps.
            let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
            let writer = try background { try server.write(big) }
            #expect(try client.readExactly(big.count) == big)
            try writer.value()
            server.close()
            var byte: UInt8 = 0
            #expect(try withUnsafeMutableBytes(of: &byte) { try client.read(into: $0) } == 0)
            // Writing to a pipe whose server end is gone fails as Windows reports it.
            #expect(throws: TransportError.self) { try client.write(Array("late".utf8)) }
            client.close()
        }
    }

    @Test func closeWakesABlockedRead() throws {
        try withConnectedPipe { endpoint, client, server in
            let reader = try background { () throws -> Int in
                var byte: UInt8 = 0
                return try withUnsafeMutableBytes(of: &byte) { buffer in try client.read(into: buffer) }
            }
            // The read is pending in the kernel (ERROR_IO_PENDING); close must cancel it (CancelIoEx) and wait for
            // the cancellation before freeing the OVERLAPPED.
            guard case .namedPipe(let path) = endpoint.kind else { return }
            #expect(SimulatedKernel.shared.awaitPendingIO(onPipe: path))
            let started = ContinuousClock.now
            client.close()
            #expect(try reader.value() == 0)
            #expect(ContinuousClock.now - started < .seconds(2))
            server.close()
        }
    }

    @Test func missingPipeSaysSo() {
        let endpoint = uniquePipe()
        #expect {
            try connect(to: endpoint, deadline: .now + .seconds(1))
        } throws: { error in
            let error = error as? TransportError
            return error?.code == .notFound && error?.win32Error == .fileNotFound
                && error?.message.contains("is the container runtime running?") == true
        }
    }

    @Test func busyPipeIsRetriedUntilTheDeadline() throws {
        try withCleanKernel {
            let endpoint = uniquePipe()
            guard case .namedPipe(let path) = endpoint.kind else { return }
            // A server with two instances, both taken by clients: every other client sees ERROR_PIPE_BUSY.
            let instances = [createInstance(path, maxInstances: 2), createInstance(path, maxInstances: 2)]
            #expect(createInstance(path, maxInstances: 2) == nil && GetLastError() == DWORD(ERROR_PIPE_BUSY))
            let first = try connect(to: endpoint, deadline: .now + .seconds(1))
            let other = try connect(to: endpoint, deadline: .now + .seconds(1))
            let started = ContinuousClock.now
            #expect {
                try connect(to: endpoint, deadline: .now + .milliseconds(300))
            } throws: { error in
                (error as? TransportError)?.code == .timedOut && (error as? TransportError)?.win32Error == .pipeBusy
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .milliseconds(290) && waited < .seconds(2), "\(waited)")

            // Busy, then free: the client waits in WaitNamedPipeW and connects once an instance is listening again
            // (the server closed one connection and made a new instance, as a server does).
            let waiting = try background { try connect(to: endpoint, deadline: .now + .seconds(10)) }
            #expect(SimulatedKernel.shared.awaitWaiter(onPipe: path))
            first.close()
            CloseHandle(instances[0])
            let next = try #require(createInstance(path, maxInstances: 2))
            try waiting.value().close()
            for handle in [instances[1], next] { CloseHandle(handle) }
            other.close()
        }
    }

    @Test func writeDeniedPipeSaysRunElevated() throws {
        try withCleanKernel {
            let endpoint = uniquePipe()
            guard case .namedPipe(let path) = endpoint.kind else { return }
            SimulatedKernel.shared.setSecurity(.administratorsOnlyWrite, forPipe: path)
            defer { SimulatedKernel.shared.setSecurity(.everyone, forPipe: path) }
            let listener = try listen(on: endpoint)
            defer { listener.close() }
            #expect {
                try connect(to: endpoint, deadline: .now + .seconds(1))
            } throws: { error in
                let error = error as? TransportError
                return error?.code == .permissionDenied && error?.win32Error == .accessDenied
                    && error?.message.contains("elevated") == true
            }
            SimulatedKernel.shared.callerIsElevated = true
            defer { SimulatedKernel.shared.callerIsElevated = false }
            let accepted = try Accepted(listener)
            let client = try connect(to: endpoint, deadline: .now + .seconds(1))
            try accepted.stream().close()
            client.close()
        }
    }

    @Test func secondServerOnTheSameNameIsRefused() throws {
        try withCleanKernel {
            let endpoint = uniquePipe()
            let listener = try listen(on: endpoint)
            defer { listener.close() }
            #expect(throws: TransportError.self) { try listen(on: endpoint) }
        }
    }

    @Test func unixIsRefusedAsOnWindows() {
        #expect {
            try connect(to: Endpoint(parsing: "unix:///run/containerd/containerd.sock"), deadline: nil)
        } throws: { error in
            (error as? TransportError)?.code == .unsupported
                && (error as? TransportError)?.message.contains("unix sockets are not implemented on Windows") == true
        }
    }

    @Test func defaultEndpointsAreCrictlsWindowsOnes() throws {
        #expect(Endpoint.platformDefaults.map(\.description) == [
            "npipe:////./pipe/containerd-containerd", "npipe:////./pipe/cri-dockerd",
        ])
        try withCleanKernel {
            #expect(Endpoint.firstAvailable() == nil)
            // FindFirstFileW sees the cri-dockerd pipe without taking its instance.
            let listener = try listen(on: Endpoint(parsing: #"\\.\pipe\cri-dockerd"#))
            defer { listener.close() }
            #expect(Endpoint.firstAvailable()?.description == "npipe:////./pipe/cri-dockerd")
            #expect(SimulatedKernel.shared.pipeExists(#"\\.\pipe\cri-dockerd"#))
        }
    }

    @Test func everyPipeSpellingIsTheSameEndpoint() throws {
        let spellings = [
            "npipe://./pipe/containerd-containerd", "npipe:////./pipe/containerd-containerd",
            #"npipe:\\.\pipe\containerd-containerd"#, #"\\.\pipe\containerd-containerd"#,
            #"npipe:\\\\.\\pipe\\containerd-containerd"#,
        ]
        for spelling in spellings {
            #expect(try Endpoint(parsing: spelling).kind == .namedPipe(path: #"\\.\pipe\containerd-containerd"#))
        }
    }
}

// MARK: Helpers

/// A pipe name no other test uses.
func uniquePipe() -> Endpoint {
    Endpoint.namedPipe(path: #"\\.\pipe\cri-test-"# + String(UInt64.random(in: 0...UInt64.max), radix: 16))
}

/// Runs `body`, then checks the kernel saw no misuse and every handle `body` opened was closed again.
func withCleanKernel(_ body: () throws -> Void) throws {
    let before = SimulatedKernel.shared.openHandleCount
    let violations = SimulatedKernel.shared.violations.count
    try body()
    #expect(Array(SimulatedKernel.shared.violations.dropFirst(violations)) == [])
    #expect(SimulatedKernel.shared.awaitOpenHandles(atMost: before), "handles leaked: \(SimulatedKernel.shared.openHandleCount) open, \(before) before")
}

/// Runs `body` with a client and a server end connected over a fresh pipe, in ``withCleanKernel``.
func withConnectedPipe(_ body: (Endpoint, any ByteStream, any ByteStream) throws -> Void) throws {
    try withCleanKernel {
        let endpoint = uniquePipe()
        let listener = try listen(on: endpoint)
        defer { listener.close() }
        let accepted = try Accepted(listener)
        let client = try connect(to: endpoint, deadline: .now + .seconds(5))
        try body(endpoint, client, try accepted.stream())
    }
}

/// A server instance made directly with CreateNamedPipeW, as a server with a limited instance count would.
func createInstance(_ path: String, maxInstances: UInt32) -> HANDLE? {
    let handle = path.withCString(encodedAs: UTF16.self) { name in
        CreateNamedPipeW(
            name, DWORD(PIPE_ACCESS_DUPLEX) | DWORD(FILE_FLAG_OVERLAPPED), DWORD(PIPE_TYPE_BYTE), maxInstances,
            4096, 4096, 0, nil)
    }
    guard let handle, handle != INVALID_HANDLE_VALUE else { return nil }
    return handle
}

/// The result of `body`, run on its own thread.
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Value) throws {
        try startIOThread(name: "test-background") { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Waits (at most 10 s) and returns the value or rethrows.
    func value() throws -> Value {
        guard done.wait(timeout: .now() + 10) == .success, let outcome = result.withLock({ $0 }) else {
            throw TransportError(code: .timedOut, message: "background work did not finish in 10 s")
        }
        done.signal()  // Later calls return the same outcome.
        return try outcome.get()
    }
}

func background<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) throws -> Background<Value> {
    try Background(body)
}

/// Accepts one connection in the background.
final class Accepted: Sendable {
    private let pending: Background<any ByteStream>
    init(_ listener: any Listener) throws {
        pending = try Background { try listener.accept() }
    }
    func stream() throws -> any ByteStream { try pending.value() }
}

extension ByteStream {
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in try write(buffer, deadline: .now + .seconds(5)) }
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < count {
            let read = try chunk.withUnsafeMutableBytes { buffer in try self.read(into: buffer) }
            guard read > 0 else { break }
            bytes += chunk[..<read]
        }
        return bytes
    }
}
#endif
