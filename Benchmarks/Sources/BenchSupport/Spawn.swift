#if canImport(Glibc)
    import Glibc
#endif

/// Times whole processes (`spawn` mode): start `command`, wait for it to exit, `n` times after one
/// warm-up run (which fills the page cache). Stdout goes to /dev/null; stderr is inherited.
/// A run that cannot start or exits non-zero is a failure. CPU is the children's user + system time.
public enum Spawn {
    /// Measures `n` runs of `command` (an absolute path or one found on PATH, then its arguments).
    public static func measure(n: Int, command: [String]) -> Measurement {
        _ = runOnce(command)
        let clock = ContinuousClock()
        var samples: [Duration] = []
        var failures = 0
        var cpu = 0.0
        let start = clock.now
        for _ in 0..<n {
            let runStart = clock.now
            if let usage = runOnce(command) {
                samples.append(clock.now - runStart)
                cpu += cpuMicroseconds(usage)
            } else {
                failures += 1
            }
        }
        return Measurement(samples: samples, failures: failures, elapsed: clock.now - start, cpuMicroseconds: cpu)
    }

    /// Runs `command` once; its resource usage when it exited with status 0, else nil.
    static func runOnce(_ command: [String]) -> rusage? {
        guard let program = command.first else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = argv.withUnsafeBufferPointer { pointer in
            guard let base = pointer.baseAddress else { return EINVAL }
            return posix_spawnp(&pid, program, &actions, nil, base, environ)
        }
        guard started == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { return nil }
        }
        // WIFEXITED and WEXITSTATUS, spelled out: Glibc's macros are not imported into Swift.
        let exited = status & 0x7f == 0
        return exited && (status >> 8) & 0xff == 0 ? usage : nil
    }
}
