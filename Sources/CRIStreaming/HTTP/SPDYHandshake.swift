/// The HTTP/1.1 upgrade to SPDY/3.1 as Kubernetes streaming does it (client-go's `spdy.RoundTripper`, the kubelet's
/// `httpstream.Handshake`), for both roles.
///
/// The client offers each subprotocol in its own `X-Stream-Protocol-Version` header; the server picks the first
/// one the client offered that it accepts, echoes it in the 101 response, or answers 403.
package enum SPDYHandshake {
    /// The `Upgrade` token.
    package static let upgradeToken = "SPDY/3.1"
    /// The header carrying offered and chosen subprotocols.
    package static let protocolHeader = "X-Stream-Protocol-Version"
    /// The port-forward subprotocol.
    package static let portForwardProtocol = "portforward.k8s.io"

    /// The client's upgrade request: `POST` with one protocol header per offer, in preference order.
    package static func request(url: StreamingURL, protocols: [String]) -> [UInt8] {
        var text = "POST \(url.pathAndQuery) HTTP/1.1\r\n"
        text += "Host: \(url.hostHeader)\r\n"
        text += "User-Agent: swift-cri\r\n"
        text += "Content-Length: 0\r\n"
        text += "Connection: Upgrade\r\n"
        text += "Upgrade: \(upgradeToken)\r\n"
        for offered in protocols { text += "\(protocolHeader): \(offered)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Checks the server's answer and returns the chosen subprotocol.
    ///
    /// A 101 without a protocol header means the server predates negotiation: like client-go, that is
    /// `channel.k8s.io` when it was offered.
    /// - Throws: ``StreamingError``: ``StreamingError/Code/upgradeRejected`` for any status but 101 (the caller adds
    ///   the body), ``StreamingError/Code/invalidHandshake`` for a 101 that is not a SPDY/3.1 upgrade or that chose
    ///   something not offered.
    package static func validateResponse(_ head: HTTPHead, offered: [String], url: StreamingURL)
        throws(StreamingError) -> String
    {
        try head.requireSwitchingProtocols(request: "POST \(url)")
        func fail(_ reason: String) -> StreamingError {
            StreamingError(code: .invalidHandshake, message: "POST \(url): invalid SPDY upgrade response: \(reason)")
        }
        guard head.hasToken("Upgrade", upgradeToken) else { throw fail("no \"Upgrade: \(upgradeToken)\"") }
        guard head.hasToken("Connection", "upgrade") else { throw fail("no \"Connection: Upgrade\"") }
        let chosen = head.value(protocolHeader) ?? ""
        if chosen.isEmpty {
            let legacy = StreamProtocolVersion.v1.rawValue
            guard offered.contains(legacy) else {
                throw fail("the server chose no subprotocol (offered \(offered.joined(separator: ", ")))")
            }
            return legacy
        }
        guard offered.contains(chosen) else {
            throw fail("the server chose subprotocol \(quotedURL(chosen)), which was not offered")
        }
        return chosen
    }

    /// Whether a request asks for a SPDY/3.1 upgrade (rather than WebSocket).
    package static func isUpgradeRequest(_ head: HTTPHead) -> Bool {
        head.hasToken("Upgrade", upgradeToken)
    }

    /// The subprotocols a request offers, in order.
    package static func offeredProtocols(_ head: HTTPHead) -> [String] {
        head.tokens(protocolHeader)
    }

    /// The kubelet's negotiation: the first protocol the client offered that the server accepts; otherwise the 403
    /// `httpstream.Handshake` writes, with its text.
    package static func negotiate(offered: [String], accepted: [String]) throws(WebSocketHandshake.Refusal) -> String {
        guard !offered.isEmpty else {
            throw WebSocketHandshake.Refusal(
                status: 400, reason: "Bad Request", body: "unable to upgrade: \(protocolHeader) is required")
        }
        if let chosen = offered.first(where: accepted.contains) { return chosen }
        // Go's %v of a []string: space-separated in brackets.
        let client = offered.joined(separator: " ")
        let server = accepted.joined(separator: " ")
        throw WebSocketHandshake.Refusal(
            status: 403, reason: "Forbidden",
            body: "unable to negotiate protocol: client supports [\(client)], server accepts [\(server)]")
    }

    /// The server's 101 answer.
    package static func acceptResponse(protocol chosen: String) -> [UInt8] {
        var text = "HTTP/1.1 101 Switching Protocols\r\n"
        text += "Connection: Upgrade\r\n"
        text += "Upgrade: \(upgradeToken)\r\n"
        text += "\(protocolHeader): \(chosen)\r\n\r\n"
        return Array(text.utf8)
    }
}
