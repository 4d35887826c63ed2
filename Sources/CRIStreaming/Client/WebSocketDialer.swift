import CRITransport
import Synchronization

/// Connects to a streaming URL and performs the client side of the WebSocket upgrade, off the concurrency pool.
enum WebSocketDialer {
    struct Dialed: Sendable {
        var connection: WebSocketConnection
        var chosenProtocol: String
        var leftover: [UInt8]
    }

    /// Connects and upgrades; bounded by `options.handshakeTimeout` as a whole.
    ///
    /// - Throws: ``StreamingError``; every message names the URL. A refusal carries the HTTP status and the start of
    ///   the response body.
    static func dial(url: StreamingURL, protocols: [String], options: StreamingOptions) async throws(StreamingError)
        -> Dialed
    {
        let deadline = ContinuousClock.now.advanced(by: options.handshakeTimeout)
        // The dialed connection is built on the I/O thread and handed over through a mutex rather than in
        // the continuation's value: the continuation's own ordering lives inside the (uninstrumented)
        // concurrency runtime, where ThreadSanitizer cannot see that the connection's initialization
        // happens before this task reads it.
        let handoff = Mutex<Result<Dialed, StreamingError>?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            do throws(TransportError) {
                try startIOThread(name: "cri-ws-dial") {
                    let dialed = Result { () throws(StreamingError) in
                        try dialBlocking(url: url, protocols: protocols, options: options, deadline: deadline)
                    }
                    handoff.withLock { $0 = dialed }
                    continuation.resume()
                }
            } catch {
                handoff.withLock { $0 = .failure(.transport(error, "GET \(url): start I/O thread")) }
                continuation.resume()
            }
        }
        guard let result = handoff.withLock({ $0.take() }) else {
            throw .transport(.closed("GET \(url)"), "GET \(url): the dial thread ended without a result")
        }
        return try result.get()
    }

    private static func dialBlocking(
        url: StreamingURL,
        protocols: [String],
        options: StreamingOptions,
        deadline: ContinuousClock.Instant
    ) throws(StreamingError) -> Dialed {
        let stream: any ByteStream
        do throws(TransportError) {
            stream = try connect(to: .tcp(host: url.host, port: url.port), deadline: deadline)
        } catch {
            var failure = StreamingError(
                code: error.code == .timedOut ? .timedOut : .connectionFailed,
                message: "GET \(url): cannot connect to the streaming server: \(error.message)"
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
            let key = WebSocketHandshake.randomKey()
            do throws(TransportError) {
                try stream.write(
                    WebSocketHandshake.request(url: url, key: key, protocols: protocols), deadline: deadline)
            } catch {
                throw StreamingError.transport(error, "GET \(url): send upgrade request")
            }
            let (head, leftover) = try HTTPHead.read(from: stream, what: "GET \(url): upgrade response")
            let chosen: String
            do throws(StreamingError) {
                chosen = try WebSocketHandshake.validateResponse(head, key: key, offered: protocols, url: url)
            } catch  where error.code == .upgradeRejected {
                var refusal = error
                let snippet = bodySnippet(head: head, leftover: leftover, stream: stream, deadline: deadline)
                if !snippet.isEmpty {
                    refusal.message += ": \(snippet)"
                } else if refusal.httpStatus == 403 {
                    // Go's websocket server answers a subprotocol mismatch with a bare 403 (containerd 1.6/1.7 and
                    // crictl's v5-only offer).
                    let offered = protocols.joined(separator: ", ")
                    refusal.message += " (the server may accept none of the offered subprotocols: \(offered))"
                }
                throw refusal
            }
            let connection = WebSocketConnection(
                stream: stream,
                role: .client,
                label: "\(url)",
                maxMessageSize: options.maxMessageSize,
                writeTimeout: options.writeTimeout
            )
            return Dialed(connection: connection, chosenProtocol: chosen, leftover: leftover)
        } catch {
            stream.close()
            if timedOut.load(ordering: .sequentiallyConsistent) {
                throw StreamingError(
                    code: .timedOut, message: "GET \(url): no WebSocket upgrade within \(options.handshakeTimeout)")
            }
            throw error
        }
    }

    /// The first line or so of a refusal's body (Content-Length, or until the server closes), for the error message.
    private static func bodySnippet(
        head: HTTPHead,
        leftover: [UInt8],
        stream: any ByteStream,
        deadline: ContinuousClock.Instant
    ) -> String {
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
