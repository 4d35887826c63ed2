import GRPCCore
import GRPCNIOTransportHTTP2Posix

/// grpc-swift-2 configured at its best for a local CRI runtime, as issue 7 asks.
enum PeerConfiguration {
    /// 16 MiB both ways, as the kubelet allows. grpc-swift-nio-transport sizes its *response* limit
    /// from `maxRequestMessageBytes` (the stream handler's `maxPayloadSize`), while GRPCCore checks
    /// `maxResponseMessageBytes`: a 7.8 MB ListContainersResponse fails at 4 MiB unless both are set.
    /// No deadline: grpc-swift-2 runs each call with a deadline in a task group next to a sleeping
    /// timer task, which costs it time per call; bench.sh bounds every run from outside instead.
    static let callOptions: CallOptions = {
        var options = CallOptions.defaults
        options.maxRequestMessageBytes = 16 << 20
        options.maxResponseMessageBytes = 16 << 20
        return options
    }()

    /// Transport settings: flush coalescing off (each flush goes out at once; coalescing only adds
    /// latency to sequential calls), no keepalive, everything else the library's defaults.
    static let transport = HTTP2ClientTransport.Posix.Config.defaults { config in
        config.connection.flushCoalescing = nil
    }

    /// The name-resolver target for `endpoint` (`unix:///path`, `unix:/path`, a bare `/path`, or
    /// `tcp://HOST:PORT`).
    static func target(_ endpoint: String) throws -> any ResolvableTarget {
        if endpoint.hasPrefix("unix://") {
            return .unixDomainSocket(path: String(endpoint.dropFirst("unix://".count)))
        }
        if endpoint.hasPrefix("unix:") {
            return .unixDomainSocket(path: String(endpoint.dropFirst("unix:".count)))
        }
        if endpoint.hasPrefix("/") {
            return .unixDomainSocket(path: endpoint)
        }
        if endpoint.hasPrefix("tcp://") {
            let hostPort = endpoint.dropFirst("tcp://".count)
            if let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]) {
                var host = String(hostPort[..<colon])
                if host.hasPrefix("["), host.hasSuffix("]") {
                    host = String(host.dropFirst().dropLast())
                    return .ipv6(address: host, port: port)
                }
                return .ipv4(address: host, port: port)
            }
        }
        throw RPCError(code: .invalidArgument, message: "cri-bench: cannot use endpoint \(endpoint) with grpc-swift")
    }
}
