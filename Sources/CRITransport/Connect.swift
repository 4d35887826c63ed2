/// Connects to `endpoint` and returns the connected stream.
///
/// - Parameters:
///   - endpoint: where the runtime listens.
///   - deadline: bounds waiting for the connection (TCP handshake, a busy named pipe, a full unix backlog);
///     nil waits as long as the system does. A missing socket file or a refused connection fails at once.
/// - Throws: ``TransportError``; the message names the endpoint or path. Named pipes off Windows, unix sockets on
///   Windows and, on Windows, TCP hosts other than IPv4 literals and `localhost` throw
///   ``TransportError/Code/unsupported``.
package func connect(
    to endpoint: Endpoint,
    deadline: ContinuousClock.Instant?
) throws(TransportError) -> any ByteStream {
    switch endpoint.kind {
    case .unixSocket(let path):
        #if os(Windows) || CRI_WINDOWS_STANDIN
        throw .unsupportedOnWindows(endpoint, "connect to")
        #else
        return try SocketConnector.connectUnix(path: path, deadline: deadline)
        #endif
    case .tcp(let host, let port):
        #if os(Windows) || CRI_WINDOWS_STANDIN
        return try Winsock.connectTCP(host: host, port: port, deadline: deadline)
        #else
        return try SocketConnector.connectTCP(host: host, port: port, deadline: deadline)
        #endif
    case .namedPipe(let path):
        #if os(Windows) || CRI_WINDOWS_STANDIN
        return try NamedPipeStream.connect(path: path, deadline: deadline)
        #else
        throw .namedPipesNeedWindows(endpoint, path, "connect to")
        #endif
    }
}

/// Starts listening on `endpoint`: a unix socket (mode 0600, created under a temporary name and renamed into
/// place, removed on close), a TCP address (port 0 picks one; see ``Listener/localEndpoint``), or on Windows a
/// named pipe.
///
/// - Throws: ``TransportError``; the message names the endpoint or path.
package func listen(on endpoint: Endpoint) throws(TransportError) -> any Listener {
    switch endpoint.kind {
    case .unixSocket(let path):
        #if os(Windows) || CRI_WINDOWS_STANDIN
        throw .unsupportedOnWindows(endpoint, "listen on")
        #else
        return try SocketListener.listenUnix(path: path)
        #endif
    case .tcp(let host, let port):
        #if os(Windows) || CRI_WINDOWS_STANDIN
        return try Winsock.listenTCP(host: host, port: port)
        #else
        return try SocketListener.listenTCP(host: host, port: port)
        #endif
    case .namedPipe(let path):
        #if os(Windows) || CRI_WINDOWS_STANDIN
        return try NamedPipeListener(path: path)
        #else
        throw .namedPipesNeedWindows(endpoint, path, "listen on")
        #endif
    }
}

extension TransportError {
    @inline(never)
    static func namedPipesNeedWindows(_ endpoint: Endpoint, _ path: String, _ verb: String) -> TransportError {
        TransportError(
            code: .unsupported,
            message: "\(verb) \(quoted(endpoint.description)) (named pipe \(quoted(path))): named pipes need Windows; "
                + "use a unix:// or tcp:// endpoint on this platform"
        )
    }

    @inline(never)
    static func unsupportedOnWindows(_ endpoint: Endpoint, _ verb: String) -> TransportError {
        TransportError(
            code: .unsupported,
            message: "\(verb) \(quoted(endpoint.description)): unix sockets are not implemented on Windows; "
                + "use a named pipe (npipe://) or tcp:// endpoint"
        )
    }
}
