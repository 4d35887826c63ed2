/// The measuring loops both implementations run, so ours and the peer are timed by the same code.
/// Each starts with one warm-up operation that must succeed (it opens the connection).
public enum Loops {
    /// `n` calls one after another, after one warm-up call unless `warmUp` is false; a failed call is counted and
    /// the loop goes on.
    /// - Throws: what the warm-up call throws.
    public static func sequential(
        n: Int, warmUp: Bool = true, _ call: () async throws -> Void
    ) async throws -> Measurement {
        if warmUp { try await call() }
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(n)
        var failures = 0
        var firstError: String?
        let cpuStart = processCPUMicroseconds()
        let start = clock.now
        for _ in 0..<n {
            let callStart = clock.now
            do {
                try await call()
                samples.append(clock.now - callStart)
            } catch {
                failures += 1
                if firstError == nil { firstError = String(describing: error) }
            }
        }
        let elapsed = clock.now - start
        return Measurement(
            samples: samples, failures: failures, elapsed: elapsed,
            cpuMicroseconds: processCPUMicroseconds() - cpuStart, firstError: firstError)
    }

    /// `callers` tasks each making `perCaller` calls one after another, all at once.
    /// - Throws: what the warm-up call throws.
    public static func concurrent(
        callers: Int, perCaller: Int, _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> Measurement {
        try await call()
        let clock = ContinuousClock()
        let cpuStart = processCPUMicroseconds()
        let start = clock.now
        let (samples, failures, firstError) = await withTaskGroup(of: ([Duration], Int, String?).self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var samples: [Duration] = []
                    samples.reserveCapacity(perCaller)
                    var failures = 0
                    var firstError: String?
                    for _ in 0..<perCaller {
                        let callStart = clock.now
                        do {
                            try await call()
                            samples.append(clock.now - callStart)
                        } catch {
                            failures += 1
                            if firstError == nil { firstError = String(describing: error) }
                        }
                    }
                    return (samples, failures, firstError)
                }
            }
            var all: [Duration] = []
            var failures = 0
            var firstError: String?
            for await (samples, failed, error) in group {
                all += samples
                failures += failed
                firstError = firstError ?? error
            }
            return (all, failures, firstError)
        }
        let elapsed = clock.now - start
        return Measurement(
            samples: samples, failures: failures, elapsed: elapsed,
            cpuMicroseconds: processCPUMicroseconds() - cpuStart, firstError: firstError)
    }

    /// `n` runs of a synchronous codec operation after one warm-up run.
    public static func codec(n: Int, _ operation: () -> Void) -> Measurement {
        operation()
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(n)
        let cpuStart = processCPUMicroseconds()
        let start = clock.now
        for _ in 0..<n {
            samples.append(clock.measure(operation))
        }
        let elapsed = clock.now - start
        return Measurement(
            samples: samples, failures: 0, elapsed: elapsed, cpuMicroseconds: processCPUMicroseconds() - cpuStart)
    }

    /// One operation, timed from start to end (the `oneshot` mode's in-process view).
    /// - Throws: what `operation` throws.
    public static func once(_ operation: () async throws -> Void) async throws -> Measurement {
        let clock = ContinuousClock()
        let cpuStart = processCPUMicroseconds()
        let elapsed = try await clock.measure(operation)
        return Measurement(
            samples: [elapsed], failures: 0, elapsed: elapsed, cpuMicroseconds: processCPUMicroseconds() - cpuStart)
    }
}
