import CRIHTTP2
package import CRITransport

/// Bridges a transport byte stream into the HTTP/2 layer's I/O protocol (same semantics).
package final class ByteStreamTransport: HTTP2Transport {
    /// The underlying stream.
    package let stream: any ByteStream

    /// Wraps `stream`.
    package init(_ stream: any ByteStream) { self.stream = stream }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try stream.read(into: buffer) }

    package func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws {
        try stream.write(bytes, deadline: deadline)
    }

    package func close() { stream.close() }

    package func waitForData(timeout: Duration) throws -> Bool? { try stream.waitForData(timeout: timeout) }
}
