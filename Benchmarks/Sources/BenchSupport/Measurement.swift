#if canImport(Glibc)
    import Glibc
#endif

/// What a run of calls (or codec operations) measured: the successful ones' durations, the failed
/// ones' count, the wall time of the whole run and the process CPU time it used.
public struct Measurement: Sendable {
    /// Durations of the successful operations, sorted.
    public var samples: [Duration]
    /// Operations that threw.
    public var failures: Int
    /// What the first failed operation threw.
    public var firstError: String?
    /// Wall time of the whole run.
    public var elapsed: Duration
    /// CPU time (user + system, all threads) the process used during the run, in microseconds.
    public var cpuMicroseconds: Double

    /// Creates a measurement; `samples` need not be sorted.
    public init(
        samples: [Duration], failures: Int, elapsed: Duration, cpuMicroseconds: Double, firstError: String? = nil
    ) {
        self.samples = samples.sorted()
        self.failures = failures
        self.firstError = firstError
        self.elapsed = elapsed
        self.cpuMicroseconds = cpuMicroseconds
    }

    /// Operations attempted.
    public var attempts: Int { samples.count + failures }

    /// The `p`-th percentile (0...100) of the successful operations, in microseconds (0 if none).
    public func percentile(_ p: Int) -> Double {
        guard !samples.isEmpty else { return 0 }
        return microseconds(samples[min(samples.count - 1, samples.count * p / 100)])
    }

    /// Successful operations per second of wall time.
    public var perSecond: Double {
        let seconds = microseconds(elapsed) / 1e6
        return seconds > 0 ? Double(samples.count) / seconds : 0
    }

    /// CPU microseconds per attempted operation.
    public var cpuPerOperation: Double {
        attempts > 0 ? cpuMicroseconds / Double(attempts) : 0
    }
}

/// `duration` in microseconds.
public func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

/// CPU time (user + system, every thread) this process has used so far, in microseconds.
public func processCPUMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return cpuMicroseconds(usage)
}

/// User + system time of `usage`, in microseconds.
func cpuMicroseconds(_ usage: rusage) -> Double {
    Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}
