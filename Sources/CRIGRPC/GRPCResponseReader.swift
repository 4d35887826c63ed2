import CRIHPACK
import CRIHTTP2

/// Reads a response stream: headers, length-prefixed messages across any number of DATA frames,
/// then trailers (PROTOCOL-HTTP2 "Responses").
struct GRPCResponseReader {
    private enum Phase { case awaitingHeaders, receiving, finished }

    let path: String
    /// Unary calls read their response off the transport themselves when they are the only call
    /// (see `HTTP2Stream.nextEvent(readingInline:)`).
    var readsInline = false
    private var phase = Phase.awaitingHeaders
    private var deframer: GRPCMessageDeframer
    private var ready: [[UInt8]] = []
    private var readyIndex = 0
    /// The response headers' metadata.
    private(set) var initialMetadata = GRPCMetadata()
    /// The trailers' metadata.
    private(set) var trailingMetadata = GRPCMetadata()

    init(path: String, maxMessageSize: Int) {
        self.path = path
        self.deframer = GRPCMessageDeframer(maxMessageSize: maxMessageSize)
    }

    /// The next message, or nil after trailers with status OK.
    /// - Throws: ``RPCError``: the server's status, or the local reason (deadline, cancellation,
    ///   limits, malformed responses). The stream is reset when the response is abandoned.
    mutating func next(
        from stream: HTTP2Stream, guard callGuard: GRPCCallGuard, isolation actor: isolated (any Actor)? = #isolation
    ) async throws(RPCError) -> [UInt8]? {
        while true {
            if readyIndex < ready.count {
                let message = ready[readyIndex]
                readyIndex += 1
                return message
            }
            if phase == .finished { return nil }
            let event: HTTP2StreamEvent?
            do {
                event = try await stream.nextEvent(readingInline: readsInline)
            } catch {
                throw callGuard.error(path: path) ?? rpcError(for: error, path: path)
            }
            do throws(RPCError) {
                try handle(event)
            } catch {
                stream.reset(.cancel)
                throw callGuard.adjusted(error)
            }
        }
    }

    private mutating func handle(_ event: HTTP2StreamEvent?) throws(RPCError) {
        switch event {
        case nil:
            throw RPCError.internalError("the stream ended without trailers", path: path)
        case .headers(let headers, let endStream)?:
            if phase == .awaitingHeaders {
                try receiveHeaders(headers, endStream: endStream)
            } else if endStream {
                try finish(trailers: headers, httpStatus: 200)
            } else {
                throw RPCError.internalError("a second header block without END_STREAM", path: path)
            }
        case .data(let bytes, let endStream)?:
            guard phase == .receiving else {
                throw RPCError.internalError("DATA before response headers", path: path)
            }
            do {
                try deframer.append(bytes)
            } catch {
                switch error {
                case .tooLarge(let size):
                    throw RPCError.resourceExhausted(
                        "response message", size: size, limit: deframer.maxMessageSize, path: path)
                case .compressed:
                    throw RPCError.internalError("compressed message without a negotiated grpc-encoding", path: path)
                case .badFlag(let flag):
                    throw RPCError.internalError("invalid compressed flag \(flag)", path: path)
                }
            }
            ready = deframer.takeMessages()
            readyIndex = 0
            if endStream {
                throw RPCError.internalError("the stream ended without trailers", path: path)
            }
        }
    }

    private mutating func receiveHeaders(_ headers: [HPACKHeader], endStream: Bool) throws(RPCError) {
        let httpStatus = GRPCHeaders.value(":status", in: headers).flatMap { Int($0) } ?? 0
        if endStream {
            // Trailers-only response (PROTOCOL-HTTP2 "Trailers-Only").
            try finish(trailers: headers, httpStatus: httpStatus)
            return
        }
        guard httpStatus == 200 else {
            throw RPCError(
                code: GRPCHeaders.code(forHTTPStatus: httpStatus), message: "HTTP status \(httpStatus)", path: path)
        }
        let contentType = GRPCHeaders.value("content-type", in: headers)
        guard GRPCHeaders.isGRPCContentType(contentType) else {
            throw RPCError(
                code: .unknown, message: "invalid content-type \"\(contentType ?? "")\"", path: path)
        }
        initialMetadata = GRPCHeaders.metadata(from: headers)
        phase = .receiving
    }

    private mutating func finish(trailers: [HPACKHeader], httpStatus: Int) throws(RPCError) {
        phase = .finished
        trailingMetadata = GRPCHeaders.metadata(from: trailers)
        guard let status = GRPCHeaders.status(in: trailers) else {
            if httpStatus != 200 {
                throw RPCError(
                    code: GRPCHeaders.code(forHTTPStatus: httpStatus), message: "HTTP status \(httpStatus)",
                    path: path, trailingMetadata: trailingMetadata)
            }
            throw RPCError(
                code: .unknown, message: "the response has no grpc-status", path: path,
                trailingMetadata: trailingMetadata)
        }
        guard status.code == .ok else {
            throw RPCError(code: status.code, message: status.message, path: path, trailingMetadata: trailingMetadata)
        }
        if deframer.hasPartialMessage {
            throw RPCError.internalError("the stream ended inside a message", path: path)
        }
    }
}
