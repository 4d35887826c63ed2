/// Tunables of one ``HTTP2Connection``; every limit has a documented default.
package struct HTTP2ConnectionConfiguration: Sendable {
    /// Our SETTINGS_INITIAL_WINDOW_SIZE: how much each stream may receive before we grant more.
    /// Large (4 MiB) so big messages need few round trips over a local socket.
    package var initialStreamWindowSize: Int = 4 << 20
    /// The connection receive window we open with an early WINDOW_UPDATE (RFC 9113 § 6.9.2: the
    /// connection window starts at 65,535 and only WINDOW_UPDATE can grow it).
    package var connectionWindowSize: Int = 4 << 20
    /// Our SETTINGS_MAX_FRAME_SIZE, enforced by the frame decoder.
    package var maxFrameSize: Int = 16384
    /// Our SETTINGS_MAX_HEADER_LIST_SIZE, enforced by the HPACK decoder.
    package var maxHeaderListSize: Int = 65536
    /// Our SETTINGS_HEADER_TABLE_SIZE.
    package var headerTableSize: Int = 4096
    /// Our SETTINGS_MAX_CONCURRENT_STREAMS (peer-initiated streams); nil advertises nothing
    /// (unlimited). Streams beyond it are refused with RST_STREAM(REFUSED_STREAM).
    package var maxConcurrentStreams: Int? = nil
    /// At most this many RST_STREAM frames from the peer per `resetFloodInterval` before the
    /// connection is closed with ENHANCE_YOUR_CALM ("rapid reset", CVE-2023-44487); nil: no limit.
    package var resetFloodLimit: Int? = nil
    /// The window `resetFloodLimit` counts in.
    package var resetFloodInterval: Duration = .seconds(10)
    /// At most this many PING and SETTINGS frames (not ACKs) from the peer per `controlFrameFloodInterval`;
    /// nil (the default): no limit. grpc-go sends a PING with nearly every call, so any limit must be generous.
    package var controlFrameFloodLimit: Int? = nil
    /// The window `controlFrameFloodLimit` counts in.
    package var controlFrameFloodInterval: Duration = .seconds(10)
    /// How long one write may wait for socket buffer space; nil waits forever.
    package var writeTimeout: Duration? = .seconds(30)
    /// When the connection ends on an error while another thread is writing, how long that write may
    /// go on to deliver our GOAWAY before the transport is closed under it. Short: a peer that does
    /// not read must not keep a failed connection open for the whole `writeTimeout`.
    package var goAwayGrace: Duration = .milliseconds(200)
    /// The first locally initiated stream ID; nil for the protocol's (1 for clients, 2 for servers).
    /// Tests set it near 2^31 to exercise stream-ID exhaustion.
    package var firstLocalStreamID: UInt32? = nil
    /// How long a client call that is the only one open may wait for its response by reading the
    /// transport itself, on its own thread, instead of being woken by the reader thread (see
    /// `ReadTurn`); nil: never. Short, because it holds a thread of the concurrency pool: calls
    /// slower than this are handed to the reader thread. Ignored by servers.
    package var inlineReadBudget: Duration? = .milliseconds(1)
    /// While calls read for themselves, how long the reader thread sleeps before it takes the read
    /// turn back to look for frames that arrive between calls (PING, GOAWAY, the end of the stream).
    package var readerParkInterval: Duration = .milliseconds(10)
    /// The size of the reader's buffer.
    package var readBufferSize: Int = 64 * 1024

    /// Defaults for a client.
    package static var client: Self { Self() }

    /// Defaults for a server: refuses more than 1,000 concurrent streams and resets floods.
    package static var server: Self {
        var configuration = Self()
        configuration.maxConcurrentStreams = 1000
        configuration.resetFloodLimit = 10_000
        return configuration
    }

    /// Creates the client defaults.
    package init() {}
}
