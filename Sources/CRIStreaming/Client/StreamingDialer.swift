import CRITransport
import Synchronization

/// Connects to a streaming URL and performs the client side of an HTTP/1.1 upgrade (WebSocket or SPDY), off the
/// concurrency pool.
enum StreamingDialer {
    struct Upgraded<Chosen: Sendable>: Sendable {
        var stream: any ByteStream
        var chosen: Chosen
        var leftover: [UInt8]
    }

    /// Connects, sends `request`, reads the response head and hands it to `validate`; bounded by
    /// `options.handshakeTimeout` as a whole.
    ///
    /// - Parameters:
    ///   - what: names the request in messages (`GET <url>`, `POST <url>`).
    ///   - upgrade: names the protocol in the timeout message.
    /// - Throws: ``StreamingError``; every message names the URL. A refusal carries the HTTP status and the start of
    ///   the response body.
    static func dial<Chosen: Sendable>(
        url: StreamingURL,
        what: String,
        upgrade: String,
        request: [UInt8],
        offered: [String],
        options: StreamingOptions,
        validate: @escaping @Sendable (HTTPHead) throws(StreamingError) -> Chosen
    ) async throws(StreamingError) -> Upgraded<Chosen> {
        let deadline = ContinuousClock.now.advanced(by: options.handshakeTimeout)
        // The dialed stream is built on the I/O thread and handed over through a mutex rather than in the
        // continuation's value: the continuation's own ordering lives inside the (uninstrumented) concurrency
        // runtime, where ThreadSanitizer cannot see that the stream's initialization happens before this task
        // reads it.
        let handoff = Mutex<Result<Upgraded<Chosen>, StreamingError>?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            do throws(TransportError) {
                try startIOThread(name: "cri-stream-dial") {
                    let dialed = Result { () throws(StreamingError) in
                        try dialBlocking(
                            url: url, what: what, upgrade: upgrade, request: request, offered: offered,
                            options: options, deadline: deadline, validate: validate)
                    }
                    handoff.withLock { $0 = dialed }
                    continuation.resume()
                }
            } catch {
                handoff.withLock { $0 = .failure(.transport(error, "\(what): start I/O thread")) }
                continuation.resume()
            }
        }
        guard let result = handoff.withLock({ $0.take() }) else {
            throw .transport(.closed(what), "\(what): the dial thread ended without a result")
        }
        return try result.get()
    }

    private static func dialBlocking<Chosen: Sendable>(
        url: StreamingURL,
        what: String,
        upgrade: String,
        request: [UInt8],
        offered: [String],
        options: StreamingOptions,
        deadline: ContinuousClock.Instant,
        validate: (HTTPHead) throws(StreamingError) -> Chosen
    ) throws(StreamingError) -> Upgraded<Chosen> {
        let stream: any ByteStream
        do throws(TransportError) {
            stream = try connect(to: .tcp(host: url.host, port: url.port), deadline: deadline)
        } catch {
            var failure = StreamingError(
                code: error.code == .timedOut ? .timedOut : .connectionFailed,
                message: "\(what): cannot connect to the streaming server: \(error.message)"
            )
            failure.underlying = error
            throw failure
        }
        // Reads block without a deadline of their own: a timer closes the stream if the server stalls.
        let timedOut = Atomic<Bool>(false)
        let timer = Task {
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
                timedOut.store(true, ordering: .sequentiallyConsistent)
                stream.close()
            } catch {
                // Cancelled: the handshake finished in time.
            }
        }
        defer { timer.cancel() }
        do throws(StreamingError) {
            do throws(TransportError) {
                try stream.write(request, deadline: deadline)
            } catch {
                throw StreamingError.transport(error, "\(what): send upgrade request")
            }
            let (head, leftover) = try HTTPHead.read(from: stream, what: "\(what): upgrade response")
            let chosen: Chosen
            do throws(StreamingError) {
                chosen = try validate(head)
            } catch where error.code == .upgradeRejected {
                var refusal = error
                let snippet = bodySnippet(head: head, leftover: leftover, stream: stream)
                if !snippet.isEmpty {
                    refusal.message += ": \(snippet)"
                } else if refusal.httpStatus == 403 {
                    // Go's websocket server answers a subprotocol mismatch with a bare 403 (containerd 1.6–2.4 and
                    // crictl's v5-only offer).
                    let offered = offered.joined(separator: ", ")
                    refusal.message += " (the server may accept none of the offered subprotocols: \(offered))"
                }
                throw refusal
            }
            return Upgraded(stream: stream, chosen: chosen, leftover: leftover)
        } catch {
            stream.close()
            if timedOut.load(ordering: .sequentiallyConsistent) {
                throw StreamingError(
                    code: .timedOut, message: "\(what): no \(upgrade) upgrade within \(options.handshakeTimeout)")
            }
            throw error
        }
    }

    /// The first line or so of a refusal's body (Content-Length, or until the server closes), for the error message.
    private static func bodySnippet(head: HTTPHead, leftover: [UInt8], stream: any ByteStream) -> String {
        let limit = 512
        let contentLength = head.value("Content-Length").flatMap { Int($0) }
        let wanted = min(contentLength ?? limit, limit)
        var body = Array(leftover.prefix(wanted))
        var chunk = [UInt8](repeating: 0, count: 1024)
        while body.count < wanted {
            guard let count = try? stream.read(into: &chunk), count > 0 else { break }
            body.append(contentsOf: chunk[..<min(count, wanted - body.count)])
        }
        let text = String(decoding: body, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            .trimmingASCIIWhitespace()
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

extension StreamingDialer {
    /// Dials and upgrades to WebSocket, offering `protocols`.
    static func dialWebSocket(url: StreamingURL, protocols: [String], options: StreamingOptions)
        async throws(StreamingError) -> (connection: WebSocketConnection, chosen: String, leftover: [UInt8])
    {
        let key = WebSocketHandshake.randomKey()
        let upgraded = try await dial(
            url: url, what: "GET \(url)", upgrade: "WebSocket",
            request: WebSocketHandshake.request(url: url, key: key, protocols: protocols),
            offered: protocols, options: options
        ) { head throws(StreamingError) in
            try WebSocketHandshake.validateResponse(head, key: key, offered: protocols, url: url)
        }
        let connection = WebSocketConnection(
            stream: upgraded.stream, role: .client, label: "\(url)", maxMessageSize: options.maxMessageSize,
            writeTimeout: options.writeTimeout)
        return (connection, upgraded.chosen, upgraded.leftover)
    }

    /// Dials and upgrades to SPDY/3.1, offering `protocols`.
    static func dialSPDY(url: StreamingURL, protocols: [String], options: StreamingOptions)
        async throws(StreamingError) -> (connection: SPDYConnection, chosen: String, leftover: [UInt8])
    {
        let upgraded = try await dial(
            url: url, what: "POST \(url)", upgrade: "SPDY/3.1",
            request: SPDYHandshake.request(url: url, protocols: protocols),
            offered: protocols, options: options
        ) { head throws(StreamingError) in
            try SPDYHandshake.validateResponse(head, offered: protocols, url: url)
        }
        let connection = SPDYConnection(
            stream: upgraded.stream, role: .client, label: "\(url)", maxFrameLength: options.maxMessageSize,
            writeTimeout: options.writeTimeout)
        return (connection, upgraded.chosen, upgraded.leftover)
    }
}
