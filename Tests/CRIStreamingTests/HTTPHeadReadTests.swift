import CRITransport
import Synchronization
import Testing

@testable import CRIStreaming

/// A stream whose reads return the given chunks in order, then end.
final class ScriptedStream: ByteStream {
    private let chunks: Mutex<[[UInt8]]>

    init(_ chunks: [[UInt8]]) { self.chunks = Mutex(chunks) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        chunks.withLock { chunks in
            guard !chunks.isEmpty else { return 0 }
            let count = min(buffer.count, chunks[0].count)
            for index in 0..<count { buffer[index] = chunks[0][index] }
            chunks[0].removeFirst(count)
            if chunks[0].isEmpty { chunks.removeFirst() }
            return count
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(TransportError) {}
    func shutdownWrite() {}
    func close() {}
}

@Suite struct HTTPHeadReadTests {
    static let response = Array(
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n")
            .utf8)
    // The first WebSocket frame can arrive in the same read as the head.
    static let frame: [UInt8] = [0x82, 0x01, 0x01]

    @Test func readsTheHeadAndKeepsTheRest() throws {
        let all = Self.response + Self.frame
        var splits: [[[UInt8]]] = [[all], all.map { [$0] }]
        for offset in 1..<all.count { splits.append([Array(all[..<offset]), Array(all[offset...])]) }
        for chunks in splits {
            let (head, leftover) = try HTTPHead.read(from: ScriptedStream(chunks), what: "test")
            #expect(head.startLine == ["HTTP/1.1", "101", "Switching Protocols"])
            #expect(head.value("sec-websocket-protocol") == "v4.channel.k8s.io")
            // Bytes after the head in the same read are returned; later chunks stay unread in the stream.
            #expect(Self.frame.starts(with: leftover))
        }
    }

    @Test func endBeforeTheBlankLineFails() {
        let error = #expect(throws: StreamingError.self) {
            try HTTPHead.read(from: ScriptedStream([Array(Self.response.dropLast(2))]), what: "test")
        }
        #expect(error?.code == .connectionClosed)
    }

    @Test func overlongHeadFails() {
        let junk = Array("HTTP/1.1 101 OK\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 20_000)
        let error = #expect(throws: StreamingError.self) {
            try HTTPHead.read(from: ScriptedStream([junk]), limit: 16 * 1024, what: "test")
        }
        #expect(error?.code == .invalidHandshake)
    }
}
