import CRIStreaming

/// Bytes from a running command's stdout or stderr, or from a forwarded port, chunk by chunk as they arrive.
///
/// Single consumer: iterate it once, from one task. It ends when the runtime closes the stream or the session's
/// scope ends; failures surface through the session (``CRIExecSession/exitStatus()``), not here. A consumer that
/// stops reading eventually stalls the whole session (the session stops reading from the runtime once
/// ``CRIStreamingOptions/maxBufferedBytes`` are waiting), so read every stream the request asked for.
public struct CRIByteStream: AsyncSequence, Sendable {
    /// One chunk, as it arrived.
    public typealias Element = [UInt8]
    /// Iteration never throws.
    public typealias Failure = Never

    let base: StreamingByteSequence

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator()) }

    /// Every remaining byte, once the stream has ended.
    public func collect() async -> [UInt8] { await base.collect() }

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: StreamingByteSequence.AsyncIterator

        /// The next chunk, or nil at the end (or when the iterating task is cancelled).
        public mutating func next() async -> [UInt8]? { await base.next() }

        /// The next chunk, or nil at the end.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> [UInt8]? {
            await base.next(isolation: actor)
        }
    }
}

/// How a command run by ``CRIClient/withExecSession(containerID:command:stdin:tty:options:callOptions:isolation:_:)``
/// (or an attached process) ended.
public struct CRIExitStatus: Hashable, Sendable, CustomStringConvertible {
    /// The exit code; 0 is success.
    public var exitCode: Int32
    /// The runtime's words, if it sent any (for a non-zero exit: "command terminated with non-zero exit code…").
    public var message: String?

    /// Creates a status.
    public init(exitCode: Int32, message: String? = nil) {
        self.exitCode = exitCode
        self.message = message
    }

    /// Whether the exit code is 0.
    public var succeeded: Bool { exitCode == 0 }

    /// `exit code N`.
    public var description: String { "exit code \(exitCode)" }
}
