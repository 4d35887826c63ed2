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
