/// The decompressing side of one zlib stream (RFC 1950 around RFC 1951 deflate), kept open across calls.
///
/// SPDY sends each header block as the next chunk of one zlib stream per direction, each ending with a sync
/// flush; this type inflates chunk after chunk, keeping the 32 KiB window (and the preset dictionary) between them.
package struct ZlibInflater: Sendable {
    private let dictionary: [UInt8]?

    /// Creates an inflater; `dictionary` is the preset dictionary a stream with FDICT must name.
    package init(dictionary: [UInt8]? = nil) {
        self.dictionary = dictionary
    }

    /// Feeds the next bytes of the stream; returns what they inflate to.
    ///
    /// Output produced by one call is bounded by `limit` (throws ``ZlibError/Code/outputLimitExceeded`` beyond
    /// it). Input may end anywhere (mid-block, mid-code): state is kept for the next call. The 32 KiB window
    /// persists across calls. Errors are final: the stream cannot continue after one.
    package mutating func inflate(_ input: some Collection<UInt8>, limit: Int) throws(ZlibError) -> [UInt8] {
        throw ZlibError(.badBlock, "inflate is not implemented yet")
    }
}
