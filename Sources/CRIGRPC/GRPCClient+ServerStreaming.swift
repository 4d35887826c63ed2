import CRIHTTP2
import Dispatch

/// The responses of a server-streaming call, valid inside the call's closure.
package final class GRPCResponseStream: AsyncSequence {
    package typealias Element = [UInt8]
    package typealias Failure = RPCError

    private let stream: HTTP2Stream
    private let callGuard: GRPCCallGuard
    private var reader: GRPCResponseReader
    private(set) var finished = false

    init(stream: HTTP2Stream, callGuard: GRPCCallGuard, reader: GRPCResponseReader) {
        self.stream = stream
        self.callGuard = callGuard
        self.reader = reader
    }

    /// The next message, or nil after the trailers with status OK.
    /// - Throws: ``RPCError`` with the server's status or the local reason.
    package func next(isolation actor: isolated (any Actor)? = #isolation) async throws(RPCError) -> [UInt8]? {
        guard !finished else { return nil }
        do {
            guard let message = try await reader.next(from: stream, guard: callGuard) else {
                finished = true
                return nil
            }
            return message
        } catch {
            finished = true
            throw error
        }
    }

    /// The response headers' metadata (empty before the first message).
    package var initialMetadata: GRPCMetadata { reader.initialMetadata }
    /// The trailers' metadata (after the end).
    package var trailingMetadata: GRPCMetadata { reader.trailingMetadata }

    /// Resets the stream if the caller stopped before the end.
    func abandon() {
        if !finished { stream.reset(.cancel) }
    }

    /// Iterates the responses; every iterator reads the same stream.
    package struct AsyncIterator: AsyncIteratorProtocol {
        let base: GRPCResponseStream

        package mutating func next() async throws(RPCError) -> [UInt8]? {
            try await base.next(isolation: nil)
        }

        package mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> [UInt8]? {
            try await base.next(isolation: actor)
        }
    }

    package func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: self) }
}

extension GRPCClient {
    /// Makes a server-streaming call; `body` reads the responses. The call (and its stream) ends when
    /// `body` returns; a stream not read to the end is reset with CANCEL.
    /// - Throws: ``RPCError`` from the call, or what `body` throws.
    package func serverStreaming<Result>(
        path: String, request: [UInt8], options: GRPCCallOptions = .defaults,
        _ body: (GRPCResponseStream) async throws -> Result
    ) async throws -> Result {
        let maxSend = options.maxSendMessageSize ?? configuration.maxSendMessageSize
        guard request.count <= maxSend else {
            throw RPCError.resourceExhausted("request message", size: request.count, limit: maxSend, path: path)
        }
        if let timeout = options.timeout, timeout <= .zero {
            throw RPCError(code: .deadlineExceeded, message: "the deadline had passed before the call started", path: path)
        }
        let callGuard = GRPCCallGuard(timeout: options.timeout)
        let timer = options.timeout.map { callGuard.startTimer(timeout: $0) }
        defer { timer?.cancel() }
        return try await withTaskCancellationHandler {
            let headers = requestHeaders(path: path, options: options, timeout: options.timeout)
            var attempt = 0
            let stream = try await openRequestStream(
                path: path, headers: headers, body: grpcFramed(request), callGuard: callGuard, attempt: &attempt)
            let reader = GRPCResponseReader(
                path: path, maxMessageSize: options.maxReceiveMessageSize ?? configuration.maxReceiveMessageSize)
            let responses = GRPCResponseStream(stream: stream, callGuard: callGuard, reader: reader)
            defer { responses.abandon() }
            return try await body(responses)
        } onCancel: {
            callGuard.fire(.cancelled)
        }
    }
}
