import BenchSupport
import PeerCRIv1
import SwiftProtobuf

/// swift-protobuf's side of `decode` and `encode`: the generated `Runtime_V1_ListContainersResponse`.
public enum PeerCodec {
    /// Decodes `bytes` `n` times and prints the JSON line; false when they do not decode.
    public static func decode(_ bytes: [UInt8], n: Int) -> Bool {
        var containers = -1
        let measurement = Loops.codec(n: n) {
            containers = (try? Runtime_V1_ListContainersResponse(serializedBytes: bytes))?.containers.count ?? -1
        }
        guard containers >= 0 else { return false }
        report(
            impl: "grpc-swift", mode: "decode", measurement,
            extras: [("bytes", String(bytes.count)), ("containers", String(containers))])
        return true
    }

    /// Decodes `bytes` once, encodes the message `n` times and prints the JSON line; false when
    /// they do not decode.
    public static func encode(_ bytes: [UInt8], n: Int) -> Bool {
        guard let message = try? Runtime_V1_ListContainersResponse(serializedBytes: bytes) else { return false }
        var size = 0
        let measurement = Loops.codec(n: n) {
            size = ((try? message.serializedBytes()) as [UInt8]?)?.count ?? -1
        }
        report(impl: "grpc-swift", mode: "encode", measurement, extras: [("bytes", String(size))])
        return size >= 0
    }
}
