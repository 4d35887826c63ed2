/// How a remote command ended.
public struct StreamingExitStatus: Hashable, Sendable, CustomStringConvertible {
    /// The process exit code; 0 is success.
    public var exitCode: Int32
    /// The runtime's message, if it sent one (for a non-zero exit: "command terminated with non-zero exit code…").
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
