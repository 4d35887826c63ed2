import CRITransport
import Synchronization

/// The server side of a WebSocket port-forward (kubelet's `portforward/websocket.go`): for port i, channel 2i
/// carries data and 2i+1 errors; the first message on each starts with the port, 2 bytes little-endian.
final class PortForwardServerSession: Sendable {
    private let connection: WebSocketConnection
    private let ports: [UInt16]
    private let targetHost: String
    private let connectTimeout: Duration
    private let writeTimeout: Duration
    private let targets = Mutex<[Int: any ByteStream]>([:])
    private let remaining: Mutex<Int>

    init(
        connection: WebSocketConnection, ports: [UInt16], targetHost: String, connectTimeout: Duration,
        writeTimeout: Duration
    ) {
        self.connection = connection
        self.ports = ports
        self.targetHost = targetHost
        self.connectTimeout = connectTimeout
        self.writeTimeout = writeTimeout
        self.remaining = Mutex(ports.count)
    }

    /// Connects the targets (on the calling I/O thread), then starts forwarding; `ended` runs when the WebSocket ends.
    func run(leftover: [UInt8], ended: @escaping @Sendable () -> Void) {
        var failures: [Int: String] = [:]
        for (index, port) in ports.enumerated() {
            do throws(TransportError) {
                let target = try connect(
                    to: .tcp(host: targetHost, port: port), deadline: .now.advanced(by: connectTimeout))
                targets.withLock { $0[index] = target }
            } catch {
                failures[index] = "error forwarding port \(port) to pod: \(error.message)"
            }
        }
        let handlers = WebSocketConnection.Handlers(
            message: { [self] opcode, payload in receive(opcode, payload) },
            end: { [self] _ in
                let open = targets.withLock { targets -> [any ByteStream] in
                    defer { targets = [:] }
                    return Array(targets.values)
                }
                for target in open { target.close() }
                ended()
            }
        )
        do throws(StreamingError) {
            try connection.start(initialBytes: leftover, handlers: handlers)
        } catch {
            connection.abort()
            return
        }
        for (index, port) in ports.enumerated() {
            let prefix = [UInt8(truncatingIfNeeded: port), UInt8(truncatingIfNeeded: port >> 8)]
            let dataChannel = UInt8(truncatingIfNeeded: 2 * index)
            try? connection.sendBinary([dataChannel] + prefix)
            try? connection.sendBinary([dataChannel + 1] + prefix)
            if let failure = failures[index] {
                try? connection.sendBinary([dataChannel + 1] + Array(failure.utf8))
                portDone()
                continue
            }
            guard let target = targets.withLock({ $0[index] }) else {
                portDone()
                continue
            }
            do throws(TransportError) {
                try startIOThread(name: "cri-portfwd") { [self] in pump(from: target, channel: dataChannel) }
            } catch {
                target.close()
                portDone()
            }
        }
    }

    private func pump(from target: any ByteStream, channel: UInt8) {
        var chunk = [UInt8](repeating: 0, count: 32 * 1024)
        while let count = try? target.read(into: &chunk), count > 0 {
            guard (try? connection.sendBinary([channel] + chunk[..<count])) != nil else { break }
        }
        target.close()
        portDone()
    }

    private func portDone() {
        let left = remaining.withLock { count -> Int in
            count -= 1
            return count
        }
        // kubelet closes the WebSocket once every port's forwarding has returned.
        if left == 0 { connection.close() }
    }

    private func receive(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        guard opcode == .binary, let channel = payload.first, channel % 2 == 0 else { return }
        let index = Int(channel / 2)
        guard let target = targets.withLock({ $0[index] }) else { return }
        if (try? target.write(Array(payload.dropFirst()), deadline: .now.advanced(by: writeTimeout))) == nil {
            target.close()
        }
    }
}
