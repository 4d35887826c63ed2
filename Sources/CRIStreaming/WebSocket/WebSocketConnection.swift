package import CRITransport
import Synchronization

/// A WebSocket connection over a ``ByteStream`` after the HTTP upgrade: a reader thread that decodes, answers
/// pings and runs the closing handshake, and serialized, deadline-bounded writes.
///
/// - Note: thread-safe. Handlers run on the reader thread, in order; a handler that blocks (back-pressure) stops
///   reading, which is how a slow consumer slows the peer down.
package final class WebSocketConnection: Sendable {
    /// Which end of the connection this is.
    package enum Role: Sendable {
        /// Masks what it sends; rejects masked frames.
        case client
        /// Sends unmasked; rejects unmasked frames.
        case server
    }

    /// How the connection ended.
    package enum Ending: Sendable {
        /// The peer sent a close frame (code nil: no status code).
        case closeFrame(code: WebSocketCloseCode?, reason: String)
        /// The byte stream ended without a close frame.
        case endOfStream
        /// Framing failed, a read failed, or we aborted the connection.
        case failed(StreamingError)
    }

    /// What to do with what the peer sends.
    package struct Handlers: Sendable {
        /// A complete data message (text or binary).
        package var message: @Sendable (_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> Void
        /// Called once, last.
        package var end: @Sendable (Ending) -> Void

        /// Creates handlers.
        package init(
            message: @escaping @Sendable (_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> Void,
            end: @escaping @Sendable (Ending) -> Void
        ) {
            self.message = message
            self.end = end
        }
    }

    private struct WriterState {
        var closeSent = false
        var aborted = false
        var readerFinished = false
        var closeTimer: Task<Void, Never>?
    }

    private let stream: any ByteStream
    private let role: Role
    private let maxMessageSize: Int
    private let writeTimeout: Duration
    private let closeTimeout: Duration
    /// Names the connection in messages (the URL).
    package let label: String
    private let writer = Mutex(WriterState())

    /// Wraps an upgraded stream.
    ///
    /// - Parameters:
    ///   - maxMessageSize: the largest message accepted from the peer (all fragments together).
    ///   - writeTimeout: how long one write may wait for buffer space.
    ///   - closeTimeout: after we send a close frame, how long we wait for the peer's before dropping the stream.
    package init(
        stream: any ByteStream,
        role: Role,
        label: String,
        maxMessageSize: Int,
        writeTimeout: Duration,
        closeTimeout: Duration = .seconds(5)
    ) {
        self.stream = stream
        self.role = role
        self.label = label
        self.maxMessageSize = maxMessageSize
        self.writeTimeout = writeTimeout
        self.closeTimeout = closeTimeout
    }

    /// Starts the reader thread; `initialBytes` are bytes read past the HTTP head, already part of the WebSocket.
    package func start(initialBytes: [UInt8], handlers: Handlers) throws(StreamingError) {
        do {
            try startIOThread(name: role == .client ? "cri-ws-client" : "cri-ws-server") { [self] in
                let ending = readLoop(initialBytes: initialBytes, handlers: handlers)
                stream.close()
                writer.withLock { state in
                    state.readerFinished = true
                    state.closeTimer?.cancel()
                    state.closeTimer = nil
                }
                handlers.end(ending)
            }
        } catch {
            stream.close()
            throw StreamingError.transport(error, "\(label): start reader thread")
        }
    }

    private func readLoop(initialBytes: [UInt8], handlers: Handlers) -> Ending {
        var decoder = WebSocketDecoder(
            masking: role == .server ? .required : .forbidden, maxMessageSize: maxMessageSize)
        decoder.append(initialBytes)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do throws(StreamingError) {
                while let event = try decoder.nextEvent() {
                    switch event {
                    case .message(let opcode, let payload):
                        handlers.message(opcode, payload)
                    case .ping(let payload):
                        // RFC 6455 § 5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in
                        // response", unless a close frame was already sent (§ 5.5.1: nothing after close).
                        try? send(WebSocketFrame(opcode: .pong, payload: payload))
                    case .pong:
                        break
                    case .close(let code, let reason):
                        // RFC 6455 § 5.5.1: answer a close with a close, "typically echoing the status code it
                        // received", then the server closes the TCP connection first (§ 7.1.1).
                        let answer = code.map { WebSocketFrameEncoder.closePayload(code: $0, reason: "") } ?? []
                        try? sendClose(payload: answer)
                        return .closeFrame(code: code, reason: reason)
                    }
                }
            } catch {
                let code = WebSocketCloseCode(rawValue: error.closeCode ?? WebSocketCloseCode.protocolError.rawValue)
                try? sendClose(payload: WebSocketFrameEncoder.closePayload(code: code, reason: error.message))
                var failure = error
                failure.message = "\(label): \(error.message)"
                return .failed(failure)
            }
            let count: Int
            do throws(TransportError) {
                count = try stream.read(into: &chunk)
            } catch {
                if writer.withLock({ $0.aborted }) {
                    return .failed(StreamingError(code: .cancelled, message: "\(label): connection closed locally"))
                }
                return .failed(.transport(error, "\(label): read"))
            }
            if count == 0 {
                if writer.withLock({ $0.aborted }) {
                    return .failed(StreamingError(code: .cancelled, message: "\(label): connection closed locally"))
                }
                return .endOfStream
            }
            decoder.append(chunk[..<count])
        }
    }

    /// Sends one binary message.
    ///
    /// - Throws: ``StreamingError``: ``StreamingError/Code/connectionClosed`` after a close frame was sent,
    ///   ``StreamingError/Code/timedOut`` if the peer does not read for `writeTimeout`.
    package func sendBinary(_ payload: [UInt8]) throws(StreamingError) {
        try send(WebSocketFrame(opcode: .binary, payload: payload))
    }

    /// Starts the closing handshake (RFC 6455 § 7.1.2): sends a close frame, then drops the stream if the peer's
    /// answer has not arrived within the close timeout. Does nothing if a close frame was already sent.
    package func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        do {
            try sendClose(payload: WebSocketFrameEncoder.closePayload(code: code, reason: reason))
        } catch {
            stream.close()
            return
        }
        let timer = stream.closeLater(after: closeTimeout)
        let late = writer.withLock { state -> Bool in
            // The reader may already have finished; then nobody would cancel the timer.
            if state.aborted || state.readerFinished { return true }
            state.closeTimer = timer
            return false
        }
        if late { timer.cancel() }
    }

    /// Closes the stream at once, without a closing handshake; the reader ends with ``StreamingError/Code/cancelled``.
    package func abort() {
        writer.withLock { state in
            state.aborted = true
            state.closeTimer?.cancel()
            state.closeTimer = nil
        }
        stream.close()
    }

    private func sendClose(payload: [UInt8]) throws(StreamingError) {
        try send(WebSocketFrame(opcode: .close, payload: payload), isClose: true)
    }

    private func send(_ frame: WebSocketFrame, isClose: Bool = false) throws(StreamingError) {
        let bytes = WebSocketFrameEncoder.encode(
            frame,
            maskingKey: role == .client ? WebSocketFrameEncoder.randomMaskingKey() : nil
        )
        let deadline = ContinuousClock.now.advanced(by: writeTimeout)
        let label = self.label
        // Holding the lock across the write keeps frames whole on the wire (ByteStream writers must serialize).
        try writer.withLock { state throws(StreamingError) in
            // RFC 6455 § 5.5.1: "The application MUST NOT send any more data frames after sending a Close frame."
            guard !state.closeSent, !state.aborted else {
                if isClose { return }
                throw StreamingError(code: .connectionClosed, message: "\(label): the connection is closing")
            }
            if isClose { state.closeSent = true }
            do throws(TransportError) {
                try stream.write(bytes, deadline: deadline)
            } catch {
                // A partial write leaves the byte stream unframed: nothing more can be sent.
                state.closeSent = true
                stream.close()
                throw StreamingError.transport(error, "\(label): write")
            }
        }
    }
}
