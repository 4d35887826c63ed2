import BenchSupport
import CRI

/// `--mode fixture --file F`: writes the serialized 10,000-container ListContainersResponse
/// (``Fixture``) that decode/encode read, and prints its size.
enum FixtureMode {
    /// Writes the fixture; returns the exit status.
    static func write(_ arguments: BenchArguments) -> Int32 {
        guard let file = arguments.file else { BenchArguments.usage("--mode fixture needs --file") }
        let count = arguments.containers ?? 10_000
        let bytes = Fixture.listContainersResponse(count: count).serializedBytes()
        guard FileBytes.write(file, bytes) else {
            printError("cri-bench: cannot write \(file)")
            return 1
        }
        let perContainer = count > 0 ? bytes.count / count : 0
        print(
            #"{"fixture":\#(quoted(file)),"containers":\#(count),"bytes":\#(bytes.count),"bytes_per_container":\#(perContainer)}"#
        )
        return 0
    }
}
