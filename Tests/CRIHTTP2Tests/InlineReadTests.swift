import CRIHPACK
import CRIHTTP2
import Foundation
import Testing

/// A lone call reads its own response off the transport (one thread wake-up instead of two); the
/// reader thread steps aside meanwhile and still serves everything else.
@Suite struct InlineReadTests {
    /// A client whose calls may read inline for `budget`, past its handshake, with the reader
    /// thread stepped aside. It steps aside for `park` at a time; the default outlasts any test, so
    /// the state holds until a call or a waiter hands the turn back.
    private func clientBetweenCalls(
        budget: Duration?, park: Duration = .seconds(60), awaitingStepAside: Bool = true
    ) async throws -> (HTTP2Connection, ScriptedPeer) {
        var configuration = HTTP2ConnectionConfiguration()
        configuration.inlineReadBudget = budget
        configuration.readerParkInterval = park
        let (connection, peer) = try makeClientAndScriptedServer(configuration: configuration, timedWaits: true)
        await peer.acceptHandshake()
        if budget != nil && awaitingStepAside {
            // The reader steps aside after the batch with the SETTINGS ACK; wait for that state.
            let start = ContinuousClock.now
            while !connection.readerHasSteppedAside && ContinuousClock.now - start < .seconds(5) {
                await Task.yield()
            }
            #expect(connection.readerHasSteppedAside)
        }
        return (connection, peer)
    }

    /// Answers each of `streams` on a plain thread (so no pool thread is needed while a call blocks
    /// one reading inline): waits for its HEADERS, optionally `after` a delay, then sends a whole response.
    private func respond(_ peer: ScriptedPeer, streams: Int, after delay: Duration? = nil) {
        Thread {
            var ids: [UInt32] = []
            while ids.count < streams, let frame = peer.nextFrame() {
                if case .headers = frame.payload { ids.append(frame.streamID) }
            }
            if let delay {
                Thread.sleep(
                    forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            }
            for id in ids {
                let headers = peer.headerBlock([HPACKHeader(name: ":status", value: "200")])
                var bytes = rawFrame(type: 0x1, flags: 0x4, streamID: id, payload: headers)
                bytes += rawFrame(type: 0x0, flags: 0, streamID: id, payload: [UInt8(id)])
                bytes += rawFrame(
                    type: 0x1, flags: 0x4 | 0x1, streamID: id,
                    payload: peer.headerBlock([HPACKHeader(name: "grpc-status", value: "0")]))
                peer.sendBytes(bytes)
            }
        }.start()
    }

    /// Reads a whole response with `readingInline` and checks it.
    private func expectResponse(on stream: HTTP2Stream) async throws {
        guard case .headers(_, endStream: false)? = try await stream.nextEvent(readingInline: true) else {
            Issue.record("expected response headers")
            return
        }
        #expect(try await stream.nextEvent(readingInline: true) == .data([UInt8(stream.id)], endStream: false))
        guard case .headers(_, endStream: true)? = try await stream.nextEvent(readingInline: true) else {
            Issue.record("expected trailers")
            return
        }
        #expect(try await stream.nextEvent(readingInline: true) == nil)
    }

    /// A lone call reads its response itself; with no budget the reader thread serves it. The
    /// budget is far above any scheduling delay, so the peer's answer always lands within it.
    @Test(arguments: [(Duration?.some(.seconds(5)), 1), (nil, 0)])
    func aLoneCallReadsItsOwnResponseGivenABudget(budget: Duration?, expectedInlineReads: Int) async throws {
        let (connection, peer) = try await clientBetweenCalls(budget: budget)
        defer { connection.close() }
        respond(peer, streams: 1)
        let (stream, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        try await expectResponse(on: stream)
        #expect(connection.inlineReadCount == expectedInlineReads)
    }

    @Test func aCallSlowerThanTheBudgetIsHandedToTheReaderThread() async throws {
        let (connection, peer) = try await clientBetweenCalls(budget: .milliseconds(20))
        defer { connection.close() }
        respond(peer, streams: 1, after: .milliseconds(300))
        let (stream, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        try await expectResponse(on: stream)
        #expect(connection.inlineReadCount == 0)
        #expect(!connection.isClosed)
    }

    @Test func concurrentCallsAreServedByTheReaderThread() async throws {
        let (connection, peer) = try await clientBetweenCalls(budget: .seconds(5))
        defer { connection.close() }
        respond(peer, streams: 2)
        let (first, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        let (second, _) = try await connection.openStream(headers: requestHeaders, endStream: true)
        async let one: Void = expectResponse(on: first)
        async let two: Void = expectResponse(on: second)
        _ = try await (one, two)
        #expect(connection.inlineReadCount == 0)
    }

    @Test func theReaderThreadStillAnswersAPingBetweenCalls() async throws {
        // The reader looks again every 10 ms; the PING most likely arrives while it sleeps.
        let (connection, peer) = try await clientBetweenCalls(
            budget: .seconds(5), park: .milliseconds(10), awaitingStepAside: false)
        defer { connection.close() }
        peer.send(HTTP2Frame(streamID: 0, payload: .ping(opaqueData: 0x1234, ack: false)))
        let ack = await peer.expectFrame { $0.payload == .ping(opaqueData: 0x1234, ack: true) }
        #expect(ack != nil)
    }

    @Test func theEndOfTheConnectionIsNoticedBetweenCalls() async throws {
        let (connection, peer) = try await clientBetweenCalls(budget: .seconds(5))
        peer.transport.close()
        // Awaiting the end hands the turn back to the reader thread at once, not at its next look.
        let elapsed = await ContinuousClock().measure { await connection.waitUntilClosed() }
        #expect(connection.isClosed)
        #expect(elapsed < .seconds(5))
    }
}
