/// Describes one RPC of a service: its full path and whether the server streams responses.
public struct ProtoMethod<Request: ProtoMessage, Response: ProtoMessage>: Sendable, Hashable {
    /// The fully qualified service name, e.g. `runtime.v1.RuntimeService`.
    public let serviceName: String
    /// The method name, e.g. `Version`.
    public let methodName: String
    /// True for `returns (stream Response)`.
    public let isServerStreaming: Bool

    /// Creates a method descriptor.
    public init(serviceName: String, methodName: String, isServerStreaming: Bool) {
        self.serviceName = serviceName
        self.methodName = methodName
        self.isServerStreaming = isServerStreaming
    }

    /// The HTTP/2 `:path` of the method, e.g. `/runtime.v1.RuntimeService/Version`.
    public var path: String { "/\(serviceName)/\(methodName)" }
}
