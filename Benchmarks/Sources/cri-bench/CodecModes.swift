import BenchSupport
import CRI
import PeerBench

/// `decode` and `encode` of a serialized 10,000-container ListContainersResponse (`--file`, or the
/// fixture made in memory): ours with CRIv1's `ListContainersResponse`, the peer with
/// swift-protobuf's `Runtime_V1_ListContainersResponse`.
enum CodecModes {
    /// Runs the mode; returns the exit status.
    static func run(_ arguments: BenchArguments) -> Int32 {
        let bytes: [UInt8]
        if let file = arguments.file {
            guard let contents = FileBytes.read(file) else {
                printError("cri-bench: cannot read \(file)")
                return 1
            }
            bytes = contents
        } else {
            bytes = Fixture.listContainersResponse().serializedBytes()
        }
        let n = arguments.n(default: 20)
        let decoded: Bool
        switch (arguments.impl, arguments.mode) {
        case ("ours", "decode"): decoded = OursCodec.decode(bytes, n: n)
        case ("ours", _): decoded = OursCodec.encode(bytes, n: n)
        case (_, "decode"): decoded = PeerCodec.decode(bytes, n: n)
        default: decoded = PeerCodec.encode(bytes, n: n)
        }
        guard decoded else {
            printError("cri-bench: the input is not a ListContainersResponse")
            return 1
        }
        return 0
    }
}
