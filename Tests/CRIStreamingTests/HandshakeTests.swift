import CRIWire
import Testing

@testable import CRIStreaming

@Suite struct HandshakeTests {
    @Test func acceptKeyFromRFC6455() {
        // RFC 6455 § 1.3 (and § 4.2.2): the worked example's accept value.
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func randomKeysAreSixteenBytes() {
        let key = WebSocketHandshake.randomKey()
        #expect(Base64.decode(key)?.count == 16)
        #expect(key != WebSocketHandshake.randomKey())
    }

    @Test func requestBytes() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:35000/exec/abc")
        let request = WebSocketHandshake.request(
            url: url, key: "dGhlIHNhbXBsZSBub25jZQ==", protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"]
        )
        #expect(
            String(decoding: request, as: UTF8.self) == """
                GET /exec/abc HTTP/1.1\r
                Host: 127.0.0.1:35000\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
                Sec-WebSocket-Version: 13\r
                Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r
                User-Agent: swift-cri\r
                \r

                """)
    }

    @Test func serverParsesTheClientRequestAndAnswers() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:1/exec/t")
        let key = WebSocketHandshake.randomKey()
        let offered = ["v5.channel.k8s.io", "v4.channel.k8s.io"]
        let request = try WebSocketHandshake.parseRequest(
            head(WebSocketHandshake.request(url: url, key: key, protocols: offered)))
        #expect(request.target == "/exec/t")
        #expect(request.key == key)
        #expect(request.offeredProtocols == offered)
        let response = try head(WebSocketHandshake.acceptResponse(key: key, protocol: "v4.channel.k8s.io"))
        #expect(
            try WebSocketHandshake.validateResponse(response, key: key, offered: offered, url: url)
                == "v4.channel.k8s.io")
    }

    @Test func clientRejectsWrongAcceptKey() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:1/exec/t")
        let response = try head(
            WebSocketHandshake.acceptResponse(key: WebSocketHandshake.randomKey(), protocol: "v4.channel.k8s.io"))
        #expect(throws: StreamingError(code: .invalidHandshake, message: "")) {
            try WebSocketHandshake.validateResponse(
                response, key: "dGhlIHNhbXBsZSBub25jZQ==", offered: ["v4.channel.k8s.io"], url: url)
        }
    }

    @Test func clientRejectsProtocolItDidNotOffer() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:1/exec/t")
        let key = WebSocketHandshake.randomKey()
        let response = try head(WebSocketHandshake.acceptResponse(key: key, protocol: "channel.k8s.io"))
        let error = try #require(throws: StreamingError.self) {
            try WebSocketHandshake.validateResponse(response, key: key, offered: ["v5.channel.k8s.io"], url: url)
        }
        #expect(error.code == .invalidHandshake)
        #expect(error.message.contains("not offered"))
    }

    @Test func refusalCarriesStatus() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:1/exec/t")
        let response = try head(WebSocketHandshake.refusalResponse(.init(status: 403, reason: "Forbidden", body: "no")))
        let error = try #require(throws: StreamingError.self) {
            try WebSocketHandshake.validateResponse(response, key: "x", offered: ["v5.channel.k8s.io"], url: url)
        }
        #expect(error.code == .upgradeRejected)
        #expect(error.httpStatus == 403)
        // The URL is named, its token is not.
        #expect(error.message.hasPrefix("GET http://127.0.0.1:1/exec/<token>: HTTP 403"))
    }

    @Test func serverRefusesNonUpgradeRequests() throws {
        let post = Array("POST /exec/t HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n".utf8)
        #expect(throws: WebSocketHandshake.Refusal.self) { try WebSocketHandshake.parseRequest(head(post)) }
        let noKey = Array(
            "GET /exec/t HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n"
                .utf8)
        #expect(throws: WebSocketHandshake.Refusal.self) { try WebSocketHandshake.parseRequest(head(noKey)) }
    }

    @Test func headerTokensAreCaseInsensitive() throws {
        let parsed = try head(
            Array("HTTP/1.1 101 OK\r\nconnection: keep-alive, UPGRADE\r\nUPGRADE: WebSocket\r\n\r\n".utf8))
        #expect(parsed.hasToken("Connection", "upgrade"))
        #expect(parsed.hasToken("upgrade", "websocket"))
        #expect(parsed.startLine == ["HTTP/1.1", "101", "OK"])
    }

    @Test func foldedHeadersAreRejected() {
        #expect(throws: StreamingError.self) {
            try head(Array("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n  more\r\n\r\n".utf8))
        }
    }

    /// Parses the head part of `bytes` (up to and including the blank line), ignoring any body.
    private func head(_ bytes: [UInt8]) throws -> HTTPHead {
        var end = bytes.count
        for index in 0..<max(0, bytes.count - 3) where bytes[index...(index + 3)].elementsEqual([13, 10, 13, 10]) {
            end = index + 4
            break
        }
        return try HTTPHead(parsing: bytes[..<end])
    }

    // MARK: SPDY/3.1 upgrade

    @Test func spdyRequestOffersEachProtocolInItsOwnHeader() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:42587/exec/Gx2Yd3Qn")
        let request = SPDYHandshake.request(url: url, protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"])
        #expect(
            String(decoding: request, as: UTF8.self) == """
                POST /exec/Gx2Yd3Qn HTTP/1.1\r
                Host: 127.0.0.1:42587\r
                User-Agent: swift-cri\r
                Content-Length: 0\r
                Connection: Upgrade\r
                Upgrade: SPDY/3.1\r
                X-Stream-Protocol-Version: v5.channel.k8s.io\r
                X-Stream-Protocol-Version: v4.channel.k8s.io\r
                X-Stream-Protocol-Version: channel.k8s.io\r
                \r

                """)
        let parsed = try head(request)
        #expect(SPDYHandshake.isUpgradeRequest(parsed))
        #expect(SPDYHandshake.offeredProtocols(parsed) == ["v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"])
    }

    @Test func spdyResponseValidation() throws {
        let url = try StreamingURL(parsing: "http://127.0.0.1:1/exec/t")
        let offered = ["v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"]
        let accepted = try head(SPDYHandshake.acceptResponse(protocol: "v4.channel.k8s.io"))
        #expect(try SPDYHandshake.validateResponse(accepted, offered: offered, url: url) == "v4.channel.k8s.io")
        // No protocol header: an old server, spoken to as channel.k8s.io (client-go does the same).
        let legacy = try head(Array("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n".utf8))
        #expect(try SPDYHandshake.validateResponse(legacy, offered: offered, url: url) == "channel.k8s.io")
        #expect(throws: StreamingError(code: .invalidHandshake, message: "")) {
            try SPDYHandshake.validateResponse(legacy, offered: ["v4.channel.k8s.io"], url: url)
        }
        let foreign = try head(SPDYHandshake.acceptResponse(protocol: "v9.channel.k8s.io"))
        #expect(throws: StreamingError(code: .invalidHandshake, message: "")) {
            try SPDYHandshake.validateResponse(foreign, offered: offered, url: url)
        }
        let webSocket = try head(Array("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n".utf8))
        #expect(throws: StreamingError(code: .invalidHandshake, message: "")) {
            try SPDYHandshake.validateResponse(webSocket, offered: offered, url: url)
        }
        let refused = try head(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8))
        let error = try #require(throws: StreamingError.self) {
            try SPDYHandshake.validateResponse(refused, offered: offered, url: url)
        }
        #expect(error.code == .upgradeRejected)
        #expect(error.httpStatus == 404)
        #expect(error.message == "POST http://127.0.0.1:1/exec/<token>: HTTP 404 Not Found")
    }

    @Test func spdyNegotiationFollowsTheClientsOrder() throws {
        let server = ["v4.channel.k8s.io", "v3.channel.k8s.io", "channel.k8s.io"]
        #expect(try SPDYHandshake.negotiate(offered: ["v5.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io"], accepted: server) == "v3.channel.k8s.io")
        let refusal = try #require(throws: WebSocketHandshake.Refusal.self) {
            try SPDYHandshake.negotiate(offered: ["v5.channel.k8s.io"], accepted: server)
        }
        #expect(refusal.status == 403)
        #expect(
            refusal.body
                == "unable to negotiate protocol: client supports [v5.channel.k8s.io], server accepts [v4.channel.k8s.io v3.channel.k8s.io channel.k8s.io]"
        )
        let none = try #require(throws: WebSocketHandshake.Refusal.self) {
            try SPDYHandshake.negotiate(offered: [], accepted: server)
        }
        #expect(none.status == 400)
    }
}
