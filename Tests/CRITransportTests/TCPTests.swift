import Testing

@testable import CRITransport

#if !os(Windows)
@Suite("TCP loopback")
struct TCPTests {
    @Test(arguments: ["tcp://127.0.0.1:0", "tcp://[::1]:0", "tcp://localhost:0"])
    func roundTripOnAnEphemeralPort(_ text: String) throws {
        let listener = try listen(on: try Endpoint(parsing: text))
        defer { listener.close() }
        guard case .tcp(_, let port) = listener.localEndpoint.kind else {
            Issue.record("not a TCP endpoint: \(listener.localEndpoint)")
            return
        }
        #expect(port != 0, "the chosen port is readable")
        let accepted = try acceptInBackground(listener)
        let client = try connect(to: listener.localEndpoint, deadline: .now + .seconds(5))
        defer { client.close() }
        let server = try #require(try accepted()?.get())
        defer { server.close() }
        try client.write(Array("ping".utf8))
        #expect(try server.read(count: 4) == Array("ping".utf8))
        try server.write(Array("pong!".utf8))
        #expect(try client.read(count: 5) == Array("pong!".utf8))
        server.close()
        #expect(try client.read(count: 1) == [], "peer close is end of stream")
    }

    @Test func refusedConnection() throws {
        // Bind a port, then free it: nothing listens there right afterwards.
        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        let endpoint = listener.localEndpoint
        listener.close()
        let error = #expect(throws: TransportError.self) { try connect(to: endpoint, deadline: .now + .seconds(5)) }
        #expect(error?.code == .connectionRefused)
        #expect(error?.message.contains(endpoint.description) == true, "\(error?.message ?? "")")
    }

    @Test func secondListenerOnTheSamePortIsAddressInUse() throws {
        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let error = #expect(throws: TransportError.self) { try listen(on: listener.localEndpoint) }
        #expect(error?.code == .addressInUse)
    }
}
#endif
