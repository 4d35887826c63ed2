import CRITransport

@testable import CRIStreaming

/// One end of a scripted SPDY connection: sends frames (with its own header compressor) or raw bytes.
struct ScriptedSPDYPeer {
    let stream: any ByteStream
    private var encoder = SPDYFrameEncoder()
    private var received: [UInt8] = []

    init(stream: any ByteStream, leftover: [UInt8]) {
        self.stream = stream
        self.received = leftover
    }

    mutating func send(_ frame: SPDYFrame) {
        var bytes: [UInt8] = []
        try? encoder.encode(frame, into: &bytes)
        sendRaw(bytes)
    }

    func sendRaw(_ bytes: [UInt8]) {
        try? stream.write(bytes, deadline: .now.advanced(by: .seconds(5)))
    }

    /// Reads until the client has opened `count` streams (frames are only counted, not inflated).
    mutating func awaitSynStreams(_ count: Int) {
        var seen = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while received.count >= 8 {
                let length = Int(received[5]) << 16 | Int(received[6]) << 8 | Int(received[7])
                guard received.count >= 8 + length else { break }
                if received[0] & 0x80 != 0, received[2] == 0, received[3] == 1 { seen += 1 }
                received.removeFirst(8 + length)
            }
            if seen >= count { return }
            guard let read = try? stream.read(into: &chunk), read > 0 else { return }
            received += chunk[..<read]
        }
    }

    /// Reads the client's next frames until a WINDOW_UPDATE arrives; returns (stream id, delta) of each one read.
    mutating func readWindowUpdates() -> [(UInt32, UInt32)] {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            var updates: [(UInt32, UInt32)] = []
            while received.count >= 8 {
                let length = Int(received[5]) << 16 | Int(received[6]) << 8 | Int(received[7])
                guard received.count >= 8 + length else { break }
                if received[0] & 0x80 != 0, received[2] == 0, received[3] == 9, length == 8 {
                    let frame = received
                    func word(_ at: Int) -> UInt32 { frame[at...at + 3].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
                    updates.append((word(8) & 0x7FFF_FFFF, word(12) & 0x7FFF_FFFF))
                }
                received.removeFirst(8 + length)
            }
            if !updates.isEmpty { return updates }
            guard let read = try? stream.read(into: &chunk), read > 0 else { return [] }
            received += chunk[..<read]
        }
    }

    /// SYN_REPLY for each stream id.
    mutating func reply(_ ids: [UInt32]) {
        for id in ids { send(.synReply(streamID: id, fin: false, headers: SPDYHeaders())) }
    }

    /// Reads and drops everything until the client closes.
    func drain() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while let read = try? stream.read(into: &chunk), read > 0 {}
    }
}

/// A SPDY "streaming server" on 127.0.0.1 that answers the upgrade with 101 (choosing `v4.channel.k8s.io`) and then
/// follows `script` — hostile peers for the client's error paths.
final class ScriptedSPDYServer: Sendable {
    let listener: any Listener
    let port: UInt16

    init(_ script: @escaping @Sendable (inout ScriptedSPDYPeer) -> Void) throws {
        listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            throw StreamingError(code: .connectionFailed, message: "no port")
        }
        self.port = port
        try startIOThread(name: "test-spdy-scripted") { [listener] in
            try? listener.acceptConnections { stream in
                do {
                    try startIOThread(name: "test-spdy-scripted-conn") {
                        guard let (_, leftover) = try? HTTPHead.read(from: stream, what: "scripted") else { return }
                        try? stream.write(SPDYHandshake.acceptResponse(protocol: "v4.channel.k8s.io"), deadline: nil)
                        var peer = ScriptedSPDYPeer(stream: stream, leftover: leftover)
                        script(&peer)
                        stream.close()
                    }
                } catch {
                    stream.close()
                }
            }
        }
    }

    var url: String { "http://127.0.0.1:\(port)/exec/scripted" }

    func close() { listener.close() }
}
