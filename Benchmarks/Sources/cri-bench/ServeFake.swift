import BenchSupport
import CRI
import CRITesting
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// `--mode serve-fake --endpoint unix:///path [--containers K]`: one ``FakeCRIServer`` that both
/// implementations call, in its own process so neither client's CPU time includes the server's.
/// Prints `{"serving":ENDPOINT,"containers":K}` once listening (with `tcp://127.0.0.1:0` the port
/// it got), then serves until stdin reaches end of file (when stdin is a pipe) or it is killed.
enum ServeFake {
    /// Serves; returns the exit status.
    static func run(_ arguments: BenchArguments) async -> Int32 {
        let runtime = FakeRuntime()
        let count = arguments.containers ?? 0
        if count > 0 { await runtime.seed(containers: Fixture.listContainersResponse(count: count).containers) }
        let server: FakeCRIServer
        do {
            server = try await FakeCRIServer.start(runtime: runtime, listeningOn: arguments.endpoint)
        } catch {
            printError("cri-bench: serve-fake: \(error)")
            return 1
        }
        print(#"{"serving":\#(quoted(server.endpoint)),"containers":\#(count)}"#)
        fflush(nil)  // all streams: bench.sh waits for this line on a pipe
        await waitForEndOfInput()
        await server.shutdown()
        return 0
    }

    /// Returns when stdin, if it is a pipe or socket, reaches end of file; never otherwise (a
    /// background job's stdin is /dev/null, which would end at once).
    private static func waitForEndOfInput() async {
        var status = stat()
        let isStream = fstat(0, &status) == 0 && (status.st_mode & S_IFMT == S_IFIFO || status.st_mode & S_IFMT == S_IFSOCK)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                if isStream {
                    var buffer = [UInt8](repeating: 0, count: 512)
                    while true {
                        let got = read(0, &buffer, buffer.count)
                        if got > 0 || (got < 0 && errno == EINTR) { continue }
                        break
                    }
                } else {
                    while true { pause() }
                }
                continuation.resume()
            }
        }
    }
}
