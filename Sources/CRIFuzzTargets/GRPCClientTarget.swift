import CRIGRPC
import CRIHTTP2
import Dispatch
import Synchronization

/// The client's whole receive path fed a server's bytes: the HTTP/2 connection state machine (SETTINGS, flow
/// control, GOAWAY, RST_STREAM, PING, CONTINUATION, HPACK) and the gRPC response reader (status, content-type,
/// trailers, message framing), through one unary call.
enum GRPCClientTarget {
    /// Byte 0: bits 0-6 are the chunk size the server's bytes (the rest) arrive in (0 = all at once). The call
    /// must end, successfully or with an `RPCError`, without a trap; a hang shows as a libFuzzer timeout.
    @Sendable static func grpcClient(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard let control = input.first else { return }
        let transport = PlaybackTransport(Array(input.dropFirst()), chunkSize: Int(control & 0x7F))
        var configuration = GRPCClientConfiguration()
        // One connection per input: a retry would need a second server.
        configuration.transparentRetries = 0
        let connections = Mutex(0)
        let client = GRPCClient(configuration: configuration) {
            // A second connection gets a server that has nothing to say.
            let count = connections.withLock { count in
                count += 1
                return count
            }
            return count == 1 ? transport : PlaybackTransport([], chunkSize: 0)
        }
        let finished = DispatchSemaphore(value: 0)
        Task {
            _ = try? await client.unaryResponse(
                path: "/fuzz.Service/Call", request: [1, 2, 3], options: GRPCCallOptions(timeout: .seconds(5)))
            finished.signal()
        }
        finished.wait()
        client.close()
        let count = connections.withLock { $0 }
        if count > 1 { throw FuzzFailure("the client connected \(count) times despite transparentRetries = 0") }
    }
}

/// A transport whose peer plays back fixed bytes and then ends the stream; what the client writes is dropped.
///
/// Reading waits for the client's second write (the first carries the preface and SETTINGS, the second the
/// request's HEADERS), so the server's frames always meet an open stream 1, as a real server's would, and the
/// outcome does not depend on thread timing.
final class PlaybackTransport: HTTP2Transport {
    private struct State {
        var remaining: ArraySlice<UInt8>
        var writes = 0
        var closed = false
    }

    private let chunkSize: Int
    private let state: Mutex<State>
    private let requestWritten = DispatchSemaphore(value: 0)
    private let firstRead = Mutex(true)

    init(_ bytes: [UInt8], chunkSize: Int) {
        self.chunkSize = chunkSize == 0 ? Int.max : chunkSize
        self.state = Mutex(State(remaining: bytes[...]))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if firstRead.withLock({ first in defer { first = false }; return first }) { requestWritten.wait() }
        let chunkSize = self.chunkSize
        return state.withLock { state in
            guard !state.closed else { return 0 }
            let count = min(buffer.count, chunkSize, state.remaining.count)
            let chunk = state.remaining.prefix(count)
            state.remaining = state.remaining.dropFirst(count)
            UnsafeMutableRawBufferPointer(rebasing: buffer[..<count]).copyBytes(from: chunk)
            return count
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws {
        let writes = try state.withLock { state throws(FuzzFailure) in
            if state.closed { throw FuzzFailure("write after close") }
            state.writes += 1
            return state.writes
        }
        if writes == 2 { requestWritten.signal() }
    }

    func close() {
        state.withLock { $0.closed = true }
        // Releases a read still waiting for the request (the call failed before sending it).
        requestWritten.signal()
    }
}
