import CRIWire
/// The HTTP/1.1 side of the WebSocket opening handshake (RFC 6455 § 4), for both roles.
package enum WebSocketHandshake {
    /// RFC 6455 § 1.3: the GUID appended to the key before hashing.
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key` (RFC 6455 § 4.2.2 step 5.4): base64(SHA-1(key + GUID)).
    package static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + guid).utf8)))
    }

    /// A fresh `Sec-WebSocket-Key`: 16 random bytes, base64 (RFC 6455 § 4.1).
    package static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The client's upgrade request (RFC 6455 § 4.1), offering `protocols` in preference order.
    package static func request(url: StreamingURL, key: String, protocols: [String]) -> [UInt8] {
        var text = "GET \(url.pathAndQuery) HTTP/1.1\r\n"
        text += "Host: \(url.hostHeader)\r\n"
        text += "Upgrade: websocket\r\n"
        text += "Connection: Upgrade\r\n"
        text += "Sec-WebSocket-Key: \(key)\r\n"
        text += "Sec-WebSocket-Version: 13\r\n"
        if !protocols.isEmpty { text += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        text += "User-Agent: swift-cri\r\n\r\n"
        return Array(text.utf8)
    }

    /// Checks a `101` response against RFC 6455 § 4.1 (client requirements 1–6) and returns the chosen subprotocol.
    ///
    /// - Throws: ``StreamingError``: ``StreamingError/Code/upgradeRejected`` for any other status (the caller adds
    ///   the body), ``StreamingError/Code/invalidHandshake`` for a 101 that breaks the rules.
    package static func validateResponse(
        _ head: HTTPHead,
        key: String,
        offered: [String],
        url: StreamingURL
    ) throws(StreamingError) -> String {
        try head.requireSwitchingProtocols(request: "GET \(url)")
        func fail(_ reason: String) -> StreamingError {
            StreamingError(
                code: .invalidHandshake, message: "GET \(url): invalid WebSocket upgrade response: \(reason)")
        }
        guard head.hasToken("Upgrade", "websocket") else { throw fail("no \"Upgrade: websocket\"") }
        guard head.hasToken("Connection", "upgrade") else { throw fail("no \"Connection: Upgrade\"") }
        let expected = acceptValue(forKey: key)
        guard let accept = head.value("Sec-WebSocket-Accept"), accept == expected else {
            let actual = head.value("Sec-WebSocket-Accept").map(quotedURL) ?? "missing"
            throw fail("Sec-WebSocket-Accept is \(actual), expected \(quotedURL(expected))")
        }
        // RFC 6455 § 4.1 step 6: a subprotocol "that was not present in the client's handshake" fails the connection.
        guard let chosen = head.value("Sec-WebSocket-Protocol"), !chosen.isEmpty else {
            throw fail("the server chose no subprotocol (offered \(offered.joined(separator: ", ")))")
        }
        guard offered.contains(chosen) else {
            throw fail("the server chose subprotocol \(quotedURL(chosen)), which was not offered")
        }
        // RFC 6455 § 4.1 step 5: we offered no extensions, so the server may not use any.
        if let extensions = head.value("Sec-WebSocket-Extensions"), !extensions.isEmpty {
            throw fail("the server chose extensions \(quotedURL(extensions)) that were not offered")
        }
        return chosen
    }

    /// What a server learns from a valid upgrade request.
    package struct UpgradeRequest: Sendable {
        /// The request target.
        package var target: String
        /// The client's `Sec-WebSocket-Key`.
        package var key: String
        /// The subprotocols the client offered, in its preference order.
        package var offeredProtocols: [String]
    }

    /// Why a server refuses a request: an HTTP status and a plain-text body.
    package struct Refusal: Error, Sendable {
        /// The HTTP status code.
        package var status: Int
        /// The reason phrase.
        package var reason: String
        /// The body: one line for people.
        package var body: String
    }

    /// Checks an upgrade request against RFC 6455 § 4.2.1.
    package static func parseRequest(_ head: HTTPHead) throws(Refusal) -> UpgradeRequest {
        guard head.startLine.count == 3, head.startLine[2].hasPrefix("HTTP/1.") else {
            throw Refusal(status: 400, reason: "Bad Request", body: "malformed request line")
        }
        guard head.startLine[0] == "GET" else {
            throw Refusal(
                status: 405, reason: "Method Not Allowed", body: "only GET with a WebSocket upgrade is supported")
        }
        guard head.hasToken("Upgrade", "websocket"), head.hasToken("Connection", "upgrade") else {
            throw Refusal(status: 400, reason: "Bad Request", body: "a WebSocket upgrade is required")
        }
        guard head.value("Sec-WebSocket-Version") == "13" else {
            throw Refusal(status: 426, reason: "Upgrade Required", body: "Sec-WebSocket-Version 13 is required")
        }
        // RFC 6455 § 4.2.1 item 5: the key is base64 of 16 bytes.
        guard let key = head.value("Sec-WebSocket-Key"), Base64.decode(key)?.count == 16 else {
            throw Refusal(status: 400, reason: "Bad Request", body: "missing or malformed Sec-WebSocket-Key")
        }
        return UpgradeRequest(
            target: head.startLine[1], key: key, offeredProtocols: head.tokens("Sec-WebSocket-Protocol"))
    }

    /// The server's `101 Switching Protocols` answer (RFC 6455 § 4.2.2).
    package static func acceptResponse(key: String, protocol chosen: String) -> [UInt8] {
        var text = "HTTP/1.1 101 Switching Protocols\r\n"
        text += "Upgrade: websocket\r\n"
        text += "Connection: Upgrade\r\n"
        text += "Sec-WebSocket-Accept: \(acceptValue(forKey: key))\r\n"
        text += "Sec-WebSocket-Protocol: \(chosen)\r\n\r\n"
        return Array(text.utf8)
    }

    /// A plain-text refusal that closes the connection.
    package static func refusalResponse(_ refusal: Refusal) -> [UInt8] {
        let body = Array((refusal.body + "\n").utf8)
        var text = "HTTP/1.1 \(refusal.status) \(refusal.reason)\r\n"
        text += "Content-Type: text/plain; charset=utf-8\r\n"
        text += "Content-Length: \(body.count)\r\n"
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8) + body
    }
}
