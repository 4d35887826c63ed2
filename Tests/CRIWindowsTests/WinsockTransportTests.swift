#if CRI_WINDOWS_STANDIN
import CRITransport
import CRIWinSDKStandIn
import Testing

/// TCP through Winsock (`TCP+Windows.swift`) over the simulated Winsock: the code Windows runs for exec, attach and
/// port-forward, calling the stand-in's WSAStartup, socket, connect, WSAPoll, recv, send, closesocket... over real
/// loopback sockets.
@Suite("TCP over the simulated Winsock", .serialized, .timeLimit(.minutes(1)))
struct WinsockTransportTests {
    @Test func wsaErrorConstantsMatchTheSDK() {
        let pairs: [(Win32Error, Int32)] = [
            (.wsaWouldBlock, WSAEWOULDBLOCK), (.wsaAddressInUse, WSAEADDRINUSE),
            (.wsaConnectionAborted, WSAECONNABORTED), (.wsaConnectionReset, WSAECONNRESET),
            (.wsaShutdown, WSAESHUTDOWN), (.wsaTimedOut, WSAETIMEDOUT), (.wsaConnectionRefused, WSAECONNREFUSED),
            (.wsaNotInitialised, WSANOTINITIALISED),
        ]
        for (error, sdk) in pairs { #expect(error.rawValue == UInt32(sdk), "\(error)") }
        #expect(Win32Error.wsaConnectionRefused.transportCode == .connectionRefused)
        #expect(Win32Error.wsaTimedOut.transportCode == .timedOut)
    }

    /// The simulation enforces WSAStartup, so a transport that forgot it (or a WSACleanup too many) fails here.
    @Test func winsockNeedsWSAStartupAndTheTransportBalancesIt() throws {
        // Servers of earlier tests return their sockets from their own threads.
        #expect(SimulatedWinsock.shared.awaitIdle(), "an earlier test left sockets open or Winsock started")
        let refused = CRIWinSDKStandIn.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP.rawValue)
        #expect(refused == ~0)  // INVALID_SOCKET
        #expect(WSAGetLastError() == WSANOTINITIALISED)
        #expect(WSACleanup() == SOCKET_ERROR)

        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        let client = try connect(to: listener.localEndpoint, deadline: .now + .seconds(5))
        let server = try listener.accept()
        #expect(SimulatedWinsock.shared.startupCount == 3)  // One per socket.
        #expect(SimulatedWinsock.shared.openSocketCount == 3)
        client.close()
        server.close()
        listener.close()
        // Nothing else is open and every close here is synchronous: no waiting.
        #expect(SimulatedWinsock.shared.startupCount == 0)
        #expect(SimulatedWinsock.shared.openSocketCount == 0)
    }

    @Test func bytesFlowBothWaysAndHalfCloseIsEndOfStream() throws {
        try withConnectedTCP { client, server in
            try client.write(Array("ping".utf8))
            #expect(try server.readExactly(4) == Array("ping".utf8))
            // More than the socket buffers hold: the writer meets WSAEWOULDBLOCK and waits in WSAPoll.
            let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let writer = try background { try server.write(big) }
            #expect(try client.readExactly(big.count) == big)
            try writer.value()
            server.shutdownWrite()
            #expect(try client.readExactly(1) == [])
            // The other direction still works after the half-close.
            try client.write(Array("pong".utf8))
            #expect(try server.readExactly(4) == Array("pong".utf8))
        }
    }

    @Test func aRefusedConnectionSaysSoWithItsWinsockCode() throws {
        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        let endpoint = listener.localEndpoint
        listener.close()
        #expect {
            try connect(to: endpoint, deadline: .now + .seconds(5))
        } throws: { error in
            let error = error as? TransportError
            return error?.code == .connectionRefused && error?.message.contains("WSAECONNREFUSED (Win32 error 10061)") == true
        }
        // Without a deadline too: the connect's WSAPoll slices read SO_ERROR.
        #expect {
            try connect(to: endpoint, deadline: nil)
        } throws: { error in
            (error as? TransportError)?.code == .connectionRefused
        }
        #expect(SimulatedWinsock.shared.startupCount == 0)
    }

    @Test func closeWakesABlockedReadAndABlockedAccept() throws {
        #expect(SimulatedWinsock.shared.awaitIdle())
        let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
        let accepting = try background { () throws -> Bool in
            do {
                _ = try listener.accept()
                return false
            } catch let error as TransportError {
                return error.code == .closed
            }
        }
        #expect(SimulatedWinsock.shared.awaitBlockedPoll())
        let started = ContinuousClock.now
        listener.close()
        #expect(try accepting.value())
        #expect(ContinuousClock.now - started < .seconds(2))

        try withConnectedTCP { client, _ in
            let reader = try background { () throws -> Int in
                var byte: UInt8 = 0
                return try withUnsafeMutableBytes(of: &byte) { buffer in try client.read(into: buffer) }
            }
            #expect(SimulatedWinsock.shared.awaitBlockedPoll())
            client.close()
            #expect(try reader.value() == 0)
        }
        #expect(SimulatedWinsock.shared.awaitIdle())
    }

    @Test func hostsBeyondIPv4LiteralsAndLocalhostAreRefusedClearly() throws {
        for endpoint in ["tcp://[::1]:10010", "tcp://runtime.example:10010"] {
            #expect {
                try connect(to: Endpoint(parsing: endpoint), deadline: .now + .seconds(1))
            } throws: { error in
                (error as? TransportError)?.code == .unsupported
                    && (error as? TransportError)?.message.contains("only IPv4 addresses and localhost") == true
            }
        }
        // localhost is 127.0.0.1 without a resolver.
        let listener = try listen(on: .tcp(host: "localhost", port: 0))
        defer { listener.close() }
        guard case .tcp(_, let port) = listener.localEndpoint.kind else { return }
        let client = try connect(to: .tcp(host: "127.0.0.1", port: port), deadline: .now + .seconds(5))
        let server = try listener.accept()
        client.close()
        server.close()
    }
}

/// A connected client and accepted server stream over simulated Winsock loopback TCP, both closed afterwards.
func withConnectedTCP(_ body: (any ByteStream, any ByteStream) throws -> Void) throws {
    let listener = try listen(on: .tcp(host: "127.0.0.1", port: 0))
    defer { listener.close() }
    let client = try connect(to: listener.localEndpoint, deadline: .now + .seconds(5))
    defer { client.close() }
    let server = try listener.accept()
    defer { server.close() }
    try body(client, server)
}
#endif
