import BenchSupport
import CRI

/// Our codec: CRIv1's generated `ListContainersResponse` over CRIWire.
enum OursCodec {
    /// Decodes `bytes` `n` times and prints the JSON line; false when they do not decode.
    static func decode(_ bytes: [UInt8], n: Int) -> Bool {
        var containers = -1
        let measurement = Loops.codec(n: n) {
            containers = (try? ListContainersResponse(serializedBytes: bytes))?.containers.count ?? -1
        }
        guard containers >= 0 else { return false }
        report(
            impl: "ours", mode: "decode", measurement,
            extras: [("bytes", String(bytes.count)), ("containers", String(containers))])
        return true
    }

    /// Decodes `bytes` once, encodes the message `n` times and prints the JSON line; false when
    /// they do not decode.
    static func encode(_ bytes: [UInt8], n: Int) -> Bool {
        guard let message = try? ListContainersResponse(serializedBytes: bytes) else { return false }
        var size = 0
        let measurement = Loops.codec(n: n) { size = message.serializedBytes().count }
        report(impl: "ours", mode: "encode", measurement, extras: [("bytes", String(size))])
        return true
    }
}
