import CRIGRPC

/// The responses of a server-streaming call, decoded; valid only inside the closure it was passed to.
///
/// Iteration ends when the runtime closes the stream; a failure is thrown as a ``CRIError``.
public struct CRIResponseStream<Message: ProtoMessage>: AsyncSequence {
    /// Each element is one decoded response message.
    public typealias Element = Message

    let base: GRPCResponseStream
    let method: String
    let endpoint: String

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: CRIResponseStream

        /// The next response, or nil at the end of the stream.
        /// - Throws: ``CRIError``.
        public mutating func next() async throws -> Message? {
            let bytes: [UInt8]?
            do {
                bytes = try await stream.base.next()
            } catch {
                throw criError(error, method: stream.method, endpoint: stream.endpoint)
            }
            guard let bytes else { return nil }
            do {
                return try Message(serializedBytes: bytes)
            } catch {
                throw CRIError(
                    code: .internalError, message: "cannot decode \(Message.protoMessageName): \(error)",
                    method: stream.method, endpoint: stream.endpoint, cause: error)
            }
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}
