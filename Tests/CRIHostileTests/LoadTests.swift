import CRI
import CRITesting
import Testing

/// Growth of the resident set allowed between the first and second run of the same load: 20 % of
/// the RSS after run 1. Run 1 pays for one-time growth (thread stacks, allocator arenas, caches);
/// a leak of even 1 KiB per call would add 20 MB over run 2's 20,500 calls and exceed it.
let allowedRSSGrowth = 0.20

/// Makes `count` Version calls spread over `tasks` concurrent tasks on one client; returns the successes.
func versionCalls(_ cri: CRIClient, count: Int, tasks: Int) async -> Int {
    await withTaskGroup(of: Int.self) { group in
        for task in 0..<tasks {
            let share = count / tasks + (task < count % tasks ? 1 : 0)
            group.addTask {
                var succeeded = 0
                for _ in 0..<share where (try? await cri.version()) != nil { succeeded += 1 }
                return succeeded
            }
        }
        return await group.reduce(0, +)
    }
}

/// One round of load: 10,000 calls from 64 tasks on one connection, then 100 clients at once with
/// 5 calls each. Returns (successes on one connection, successes over 100 connections).
func loadRound(_ endpoint: String) async throws -> (shared: Int, separate: Int) {
    var options = CRIClientOptions()
    options.timeout = .seconds(30)
    let shared = try await withCRIClient(endpoint: endpoint, options: options) { cri in
        await versionCalls(cri, count: 10_000, tasks: 64)
    }
    let clients = try (0..<100).map { _ in try CRIClient(endpoint: endpoint, options: options) }
    defer { for client in clients { client.close() } }
    let separate = await withTaskGroup(of: Int.self) { group in
        for client in clients {
            group.addTask { await versionCalls(client, count: 5, tasks: 1) }
        }
        return await group.reduce(0, +)
    }
    return (shared, separate)
}

extension CRIHostile {
    @Suite struct LoadTests {
        @Test func tenThousandCallsAndHundredConnectionsTwiceWithFlatMemory() async throws {
            try await withFakeCRIServer { server in
                let start = ContinuousClock.now
                let first = try await loadRound(server.endpoint)
                let firstTook = start.duration(to: .now)
                #expect(first.shared == 10_000)
                #expect(first.separate == 500)
                let afterFirst = residentSetSize()
                let secondStart = ContinuousClock.now
                let second = try await loadRound(server.endpoint)
                let secondTook = secondStart.duration(to: .now)
                #expect(second.shared == 10_000)
                #expect(second.separate == 500)
                let afterSecond = residentSetSize()
                print(
                    "HOSTILE-LOAD | RSS after run 1: \(afterFirst / 1024) KiB, after run 2: \(afterSecond / 1024) KiB"
                        + " | run 1 took \(firstTook), run 2 \(secondTook) (10,500 calls each)")
                #expect(afterFirst > 0 && afterSecond > 0)
                // Regression: GRPCServer used to leak every call through a stream → observer → call
                // cycle (about 7 KB per call); RSS must now stay flat across the second run.
                #expect(
                    Double(afterSecond) <= Double(afterFirst) * (1 + allowedRSSGrowth),
                    "RSS grew from \(afterFirst) to \(afterSecond) bytes")
            }
        }
    }
}
