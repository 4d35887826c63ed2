import CRIGRPC
import CRIHPACK
import CRIHTTP2
import CRITransport
import Foundation
import Synchronization
import Testing

/// Every suite here measures process-wide resources (open descriptors, RSS), so they run one test at a time.
@Suite(.serialized) enum CRIHostile {}

/// What one hostile scenario did to a call.
struct HostileOutcome {
    var error: RPCError?
    var elapsed: Duration
}

/// The call deadline of every hostile scenario; the call must end by it plus `hostileSlack`.
let hostileDeadline: Duration = .milliseconds(500)
/// 100 ms (issue 8), times `CRI_TEST_TIME_SCALE` under sanitizers, which slow every step 2-15x.
let hostileSlack: Duration = .milliseconds(100) * testTimeScale

/// `CRI_TEST_TIME_SCALE` (default 1): Scripts/test.sh sets it for the sanitizer runs, so budgets for how long
/// work may take stretch there instead of being loosened for every run.
let testTimeScale: Int = ProcessInfo.processInfo.environment["CRI_TEST_TIME_SCALE"].flatMap(Int.init).map { max(1, $0) } ?? 1
let hostilePath = "/hostile.Test/Call"

/// Runs one unary call with a 500 ms deadline against a server driven by `script`, then closes
/// everything and checks that the call failed in time and that no descriptor leaked.
func runAgainstHostileServer(
    _ name: String, request: [UInt8] = [1, 2, 3],
    configuration: GRPCClientConfiguration = GRPCClientConfiguration(),
    script: @escaping @Sendable (RawPeer) -> Void
) async throws -> HostileOutcome {
    try await warmUpOnce()
    let descriptorsBefore = openFileDescriptorCount()
    let listBefore = openFileDescriptors()
    let server = try HostileServer(script: script)
    let client = server.makeClient(configuration: configuration)
    let start = ContinuousClock.now
    var failure: RPCError?
    do {
        _ = try await client.unary(path: hostilePath, request: request, options: GRPCCallOptions(timeout: hostileDeadline))
    } catch {
        failure = error
    }
    let elapsed = start.duration(to: .now)
    client.close()
    server.close()
    // At most as many as before: descriptors a previous test was still releasing may close meanwhile.
    let released = await eventually { openFileDescriptorCount() <= descriptorsBefore }
    if !released {
        let listAfter = openFileDescriptors()
        let added = listAfter.filter { listBefore[$0.key] != $0.value }
        Issue.record("\(name): \(descriptorsBefore) descriptors before, \(openFileDescriptorCount()) after; new: \(added)")
    }
    #expect(elapsed <= hostileDeadline + hostileSlack, "\(name): the call took \(elapsed)")
    let summary = failure.map { "\($0.code) | \($0.message)" } ?? "succeeded"
    print("HOSTILE-OUTCOME | \(name) | \(summary) | \(elapsed) | connections \(server.connectionCount)")
    return HostileOutcome(error: failure, elapsed: elapsed)
}

private let warmedUp = Mutex(false)

/// One throwaway call with a deadline, so descriptors the runtime opens once and keeps (Dispatch's
/// timerfd per clock, created when its first timer on that clock is armed) exist before the first scenario counts descriptors.
func warmUpOnce() async throws {
    guard warmedUp.withLock({ warmed in defer { warmed = true }; return !warmed }) else { return }
    let before = openFileDescriptors()
    let server = try HostileServer { peer in peer.readUntilClosed() }
    let client = server.makeClient()
    // A server that never answers, so the deadline timer really fires.
    _ = try? await client.unary(path: hostilePath, request: [], options: GRPCCallOptions(timeout: .milliseconds(50)))
    client.close()
    server.close()
    // `eventually` polls with Task.sleep, whose clock gets its own timerfd on first use.
    try? await Task.sleep(for: .milliseconds(1))
    // The warm-up's own sockets are released once its reader threads have left.
    // "?" is the listing's own directory descriptor, gone by the time its link is read.
    _ = await eventually {
        openFileDescriptors().allSatisfy { before[$0.key] == $0.value || $0.value.contains("timerfd") || $0.value == "?" }
    }
}

extension CRIHostile {
    @Suite struct HostileServerTests {
        @Test func closesMidSettings() async throws {
            let outcome = try await runAgainstHostileServer("closes mid-SETTINGS") { peer in
                _ = peer.nextFrame()
                let settings = rawFrame(type: 0x4, flags: 0, streamID: 0, payload: [0, 4, 0, 0, 0xff, 0xff])
                peer.write(Array(settings.prefix(11)))
                peer.close()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func closesMidHeaders() async throws {
            let outcome = try await runAgainstHostileServer("closes mid-HEADERS") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.write(rawFrame(type: 0x1, flags: 0x4, streamID: id, payload: [0x88, 0x40, 0x05], length: 60))
                peer.close()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func closesMidData() async throws {
            let outcome = try await runAgainstHostileServer("closes mid-DATA") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(peer.responseHeaders(streamID: id))
                peer.write(rawFrame(type: 0x0, flags: 0, streamID: id, payload: [0, 0, 0, 0, 100, 1, 2, 3], length: 105))
                peer.close()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func goAwayThenStreamsOnANewStreamID() async throws {
            let outcome = try await runAgainstHostileServer("GOAWAY, then HEADERS+DATA on a new stream") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(
                    HTTP2Frame(streamID: 0, payload: .goAway(lastStreamID: id, errorCode: .noError, debugData: [])),
                    peer.responseHeaders(streamID: id + 2),
                    HTTP2Frame(streamID: id + 2, payload: .data(bytes: [0, 0, 0, 0, 1, 7], endStream: false, flowControlledLength: 6)))
                peer.readUntilClosed()
            }
            // A server may not open odd-numbered streams (RFC 9113 § 5.1.1): a connection error.
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func resetsMidCall() async throws {
            let outcome = try await runAgainstHostileServer("RST_STREAM(INTERNAL_ERROR) mid-call") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(
                    peer.responseHeaders(streamID: id),
                    HTTP2Frame(streamID: id, payload: .data(bytes: [0, 0, 0, 0, 10, 1, 2], endStream: false, flowControlledLength: 7)),
                    HTTP2Frame(streamID: id, payload: .rstStream(.internalError)))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .internalError)
        }

        @Test func frameOverMaxFrameSize() async throws {
            let outcome = try await runAgainstHostileServer("DATA frame of 16,385 bytes (max 16,384)") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(peer.responseHeaders(streamID: id))
                peer.write(rawFrame(type: 0x0, flags: 0, streamID: id, payload: [UInt8](repeating: 0, count: 16_385)))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func hpackTableSizeBomb() async throws {
            let outcome = try await runAgainstHostileServer("HPACK table size update to 2^30 (allowed 4,096)") { peer in
                guard let id = peer.acceptCall() else { return }
                // A dynamic table size update (RFC 7541 § 6.3) then ":status: 200" (static index 8).
                let block = hpackInteger(1 << 30, prefixBits: 5, firstByte: 0x20) + [0x88]
                peer.write(rawFrame(type: 0x1, flags: 0x4, streamID: id, payload: block))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func hpackTableSizeUpdateAboveTheSetting() async throws {
            let outcome = try await runAgainstHostileServer("HPACK table size update to 65,536 (allowed 4,096)") { peer in
                guard let id = peer.acceptCall() else { return }
                // Representable, but larger than our SETTINGS_HEADER_TABLE_SIZE (RFC 7541 § 4.2: a decoding error).
                let block = hpackInteger(65_536, prefixBits: 5, firstByte: 0x20) + [0x88]
                peer.write(rawFrame(type: 0x1, flags: 0x4, streamID: id, payload: block))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func endlessContinuation() async throws {
            let outcome = try await runAgainstHostileServer("HEADERS then endless CONTINUATION") { peer in
                guard let id = peer.acceptCall() else { return }
                guard peer.write(rawFrame(type: 0x1, flags: 0, streamID: id, payload: [0x88])) else { return }
                let fragment = rawFrame(type: 0x9, flags: 0, streamID: id, payload: [UInt8](repeating: 0x61, count: 100))
                var batch: [UInt8] = []
                for _ in 0..<100 { batch += fragment }
                // Up to 100,000 frames; stops as soon as the client hangs up.
                for _ in 0..<1000 where peer.write(batch) {}
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .unavailable)
        }

        @Test func headerListOverTheLimit() async throws {
            let outcome = try await runAgainstHostileServer("response header list of 70,000 bytes (limit 65,536)") { peer in
                guard let id = peer.acceptCall() else { return }
                let big = HPACKHeader(name: "x-big", value: String(repeating: "b", count: 70_000), indexing: .notIndexed)
                peer.send(peer.responseHeaders(streamID: id, extra: [big]))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .internalError)
        }

        @Test func lengthPrefixOfFourGiB() async throws {
            let outcome = try await runAgainstHostileServer("gRPC length prefix 0xFFFFFFFF") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(
                    peer.responseHeaders(streamID: id),
                    HTTP2Frame(
                        streamID: id,
                        payload: .data(bytes: [0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3], endStream: false, flowControlledLength: 8)))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .resourceExhausted)
        }

        @Test func neverOpensTheFlowControlWindow() async throws {
            let outcome = try await runAgainstHostileServer(
                "SETTINGS_INITIAL_WINDOW_SIZE 0, 1 MiB request, no WINDOW_UPDATE", request: [UInt8](repeating: 7, count: 1 << 20)
            ) { peer in
                _ = peer.acceptCall(settings: [HTTP2Setting(parameter: .initialWindowSize, value: 0)])
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .deadlineExceeded)
        }

        @Test func neverSendsSettings() async throws {
            let outcome = try await runAgainstHostileServer("never sends SETTINGS (reads only)") { peer in
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .deadlineExceeded)
        }

        @Test func pingFlood() async throws {
            let outcome = try await runAgainstHostileServer("10,000 PINGs, no response") { peer in
                guard peer.acceptCall() != nil else { return }
                let drained = Thread { peer.readUntilClosed() }
                drained.start()
                var batch: [UInt8] = []
                for index in 0..<1000 {
                    batch += peer.encode([HTTP2Frame(streamID: 0, payload: .ping(opaqueData: UInt64(index), ack: false))])
                }
                for _ in 0..<10 where peer.write(batch) {}
            }
            #expect(outcome.error?.code == .deadlineExceeded)
        }

        @Test func contentTypeHTML() async throws {
            let outcome = try await runAgainstHostileServer("content-type text/html") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(
                    peer.responseHeaders(streamID: id, contentType: "text/html"),
                    HTTP2Frame(streamID: id, payload: .data(bytes: Array("<html></html>".utf8), endStream: true, flowControlledLength: 13)))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .unknown)
        }

        @Test func http500() async throws {
            let outcome = try await runAgainstHostileServer("HTTP 500") { peer in
                guard let id = peer.acceptCall() else { return }
                peer.send(peer.responseHeaders(streamID: id, status: "500", contentType: "text/plain", endStream: true))
                peer.readUntilClosed()
            }
            #expect(outcome.error?.code == .unknown)
        }
    }
}
