package import CRITransport

extension ByteStream {
    /// Reads into the front of `chunk`; returns the count (0 at end of stream).
    package func read(into chunk: inout [UInt8]) throws(TransportError) -> Int {
        // Array's withUnsafe… methods are untyped `rethrows`; carry the typed error out through a Result.
        try chunk.withUnsafeMutableBytes { buffer -> Result<Int, TransportError> in
            do throws(TransportError) {
                return .success(try read(into: buffer))
            } catch {
                return .failure(error)
            }
        }.get()
    }

    /// Writes all of `bytes` before `deadline`.
    package func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws(TransportError) {
        try bytes.withUnsafeBytes { buffer -> Result<Void, TransportError> in
            do throws(TransportError) {
                return .success(try write(buffer, deadline: deadline))
            } catch {
                return .failure(error)
            }
        }.get()
    }
}

extension ByteStream {
    /// Closes the stream after `timeout` unless the returned task is cancelled first: the bound on a closing
    /// handshake (WebSocket close, SPDY GOAWAY) whose peer never finishes it.
    package func closeLater(after timeout: Duration) -> Task<Void, Never> {
        Task { [self] in
            do {
                try await Task.sleep(for: timeout)
                close()
            } catch {
                // Cancelled: the reader saw the end first.
            }
        }
    }
}
