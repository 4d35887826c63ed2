import CRI
import CRIStreaming
import CRITransport
import Dispatch
import Foundation
import Testing

extension LabEndToEndTests {
    /// The SPDY/3.1 codec against containerd's streaming server (Go: moby/spdystream, compress/zlib with the SPDY
    /// dictionary): our SYN_STREAMs' header blocks must inflate on the Go side (a wrong dictionary or zlib header
    /// makes it drop the connection), and its SYN_REPLYs, data and PING answer must decode with ours. Only the
    /// frames: the session layer (flow control, stream state) is another branch's.
    @Test("SPDY frames: our header blocks inflate in Go, Go's inflate in ours (exec over SPDY/3.1)")
    func spdyCodecAgainstContainerd() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            try await lab.withPod(cri, name: uniqueName("spdy")) { pod in
                _ = try await cri.pullImage(lab.busyboxImage)
                let id = try await lab.startContainer(
                    cri, in: pod, lab.containerConfig(name: "spdy", command: ["sleep", "3600"]))
                let url = try StreamingURL(
                    parsing: try await cri.exec(
                        containerID: id, command: ["sh", "-c", "printf hello; echo oops >&2; exit 3"]))
                #expect(url.host == "127.0.0.1", "streaming server must be loopback: \(url)")
                let frames = try await Self.onIOThread { try Self.spdyExec(url) }
                var replies: Set<UInt32> = []
                var data: [UInt32: [UInt8]] = [:]
                var finished: Set<UInt32> = []
                var pongs: [UInt32] = []
                for frame in frames {
                    switch frame {
                    case .synReply(let streamID, let fin, _):
                        replies.insert(streamID)
                        if fin { finished.insert(streamID) }
                    case .data(let streamID, let fin, let payload):
                        data[streamID, default: []] += payload
                        if fin { finished.insert(streamID) }
                    case .ping(let id): pongs.append(id)
                    default: break
                    }
                }
                #expect(replies == [1, 3, 5], "\(frames)")
                #expect(pongs == [1])
                #expect(String(decoding: data[3] ?? [], as: UTF8.self) == "hello")
                #expect(String(decoding: data[5] ?? [], as: UTF8.self) == "oops\n")
                let status = String(decoding: data[1] ?? [], as: UTF8.self)
                #expect(status.contains("NonZeroExitCode") && status.contains("\"3\""), "\(status)")
                #expect(finished.isSuperset(of: [3, 5]), "\(frames)")
            }
        }
    }

    /// Runs blocking socket work on a Dispatch thread, not the Swift concurrency pool.
    private static func onIOThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The SPDY upgrade (as client-go's SPDY executor sends it), SYN_STREAMs for the error, stdout and stderr
    /// channels and a PING, then every frame until the server closes the connection (20 s at most).
    private static func spdyExec(_ url: StreamingURL) throws -> [SPDYFrame] {
        let stream = try connect(
            to: try Endpoint(parsing: "tcp://\(url.hostHeader)"), deadline: .now + .seconds(5))
        defer { stream.close() }
        // A watchdog, not synchronization: a server that stops talking must not hang the suite.
        let watchdog = DispatchWorkItem { stream.close() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        defer { watchdog.cancel() }

        let request =
            "POST \(url.pathAndQuery) HTTP/1.1\r\nHost: \(url.hostHeader)\r\nConnection: Upgrade\r\n"
            + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n"
        try stream.write(Array(request.utf8), deadline: .now + .seconds(5))
        let (head, leftover) = try HTTPHead.read(from: stream, what: "SPDY upgrade")
        #expect(head.startLine.count >= 2 && head.startLine[1] == "101", "\(head.startLine)")
        #expect(head.value("X-Stream-Protocol-Version") == "v4.channel.k8s.io")

        var encoder = SPDYFrameEncoder()
        var out: [UInt8] = []
        for (streamID, type) in [(UInt32(1), "error"), (3, "stdout"), (5, "stderr")] {
            try encoder.encode(
                .synStream(
                    streamID: streamID, associatedTo: 0, priority: 0, fin: false, unidirectional: false,
                    headers: SPDYHeaders([("streamType", type)])), into: &out)
        }
        try encoder.encode(.ping(id: 1), into: &out)
        try stream.write(out, deadline: .now + .seconds(5))

        var decoder = SPDYFrameDecoder()
        decoder.append(leftover)
        // The server closes the connection once it has sent the exit status (on the error stream).
        var frames: [SPDYFrame] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            while let frame = try decoder.nextFrame() { frames.append(frame) }
            let count = try stream.read(into: &chunk)
            guard count > 0 else { return frames }
            decoder.append(chunk[..<count])
        }
    }
}
