import CRIWire

/// A Kubernetes remote-command subprotocol: the `Sec-WebSocket-Protocol` value over WebSocket, the
/// `X-Stream-Protocol-Version` value over SPDY.
public struct StreamProtocolVersion: Hashable, Sendable, CustomStringConvertible {
    /// The token as sent on the wire.
    public var rawValue: String

    /// Wraps a token.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// v5: v4 plus the close signal (`[255, channel]`), which lets the client close stdin. kubelet/API server since
    /// Kubernetes 1.30; not accepted by containerd 1.6/1.7's streaming server.
    public static let v5 = StreamProtocolVersion(rawValue: "v5.channel.k8s.io")
    /// v4: binary channel messages; the error channel carries a JSON `metav1.Status` with the exit code.
    public static let v4 = StreamProtocolVersion(rawValue: "v4.channel.k8s.io")

    /// v3: v2 plus the resize channel (SPDY only).
    public static let v3 = StreamProtocolVersion(rawValue: "v3.channel.k8s.io")
    /// v2: stdin, stdout, stderr and an error channel carrying plain text (SPDY only).
    public static let v2 = StreamProtocolVersion(rawValue: "v2.channel.k8s.io")
    /// The first version, also what a SPDY server that names no version speaks.
    public static let v1 = StreamProtocolVersion(rawValue: "channel.k8s.io")

    /// Whether one side can tell the other over WebSocket that a channel is closed (stdin EOF). Over SPDY every
    /// version can: a stream is half-closed with FIN.
    public var supportsStreamClose: Bool { self == .v5 }

    /// Whether the error channel carries a JSON `metav1.Status` with the exit code (v4 and v5); before v4 it is
    /// plain text, empty on success.
    public var hasStatusDocument: Bool { self == .v5 || self == .v4 }

    /// Whether terminal size changes can be sent (v3 and later).
    public var supportsResize: Bool { self == .v5 || self == .v4 || self == .v3 }

    /// The wire token.
    public var description: String { rawValue }
}

/// Channel numbers: the first byte of every binary message (remote command).
package enum RemoteCommandChannel {
    /// Client → server: process stdin.
    package static let stdin: UInt8 = 0
    /// Server → client: process stdout.
    package static let stdout: UInt8 = 1
    /// Server → client: process stderr.
    package static let stderr: UInt8 = 2
    /// Server → client: the final `metav1.Status`.
    package static let error: UInt8 = 3
    /// Client → server: terminal size changes, JSON.
    package static let resize: UInt8 = 4
    /// v5: `[255, n]` means "channel n is closed".
    package static let closeSignal: UInt8 = 255
}

/// A terminal size, as sent on the resize channel.
public struct TerminalSize: Hashable, Sendable {
    /// Columns.
    public var width: UInt16
    /// Rows.
    public var height: UInt16

    /// Creates a size.
    public init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }

    /// `{"Width":80,"Height":24}`: the field names of Go's `remotecommand.TerminalSize`, which has no JSON tags.
    package var json: [UInt8] { Array("{\"Width\":\(width),\"Height\":\(height)}".utf8) }

    /// Parses a resize message, or nil if it is not a JSON object with numeric `Width` and `Height` in range.
    package init?(json bytes: [UInt8]) {
        guard let document = try? JSONParser.parse(bytes, depthLimit: 32),
            let width = document["Width"]?.integerValue, let height = document["Height"]?.integerValue,
            let width16 = UInt16(exactly: width), let height16 = UInt16(exactly: height)
        else { return nil }
        self.init(width: width16, height: height16)
    }
}

/// The `metav1.Status` documents of the error channel (v4 and v5).
package enum RemoteCommandStatus {
    /// What a status says.
    package enum Outcome: Hashable, Sendable {
        /// The command ran and exited with this code (0 for `Success`).
        case exited(code: Int32, message: String?)
        /// A failure that is not an exit code: the runtime could not run the command.
        case failed(message: String, reason: String?)
    }

    /// `{"metadata":{},"status":"Success"}`.
    package static func success() -> [UInt8] {
        Array("{\"metadata\":{},\"status\":\"Success\"}".utf8)
    }

    /// The status kubelet's streaming server writes for a non-zero exit (reason `NonZeroExitCode`, cause
    /// `ExitCode`).
    package static func exitCode(_ code: Int32) -> [UInt8] {
        let message = "command terminated with non-zero exit code: exit status \(code)"
        let details = #"{"causes":[{"reason":"ExitCode","message":"\#(code)"}]}"#
        let document =
            #"{"metadata":{},"status":"Failure","message":\#(JSONWriter.quoted(message)),"#
            + #""reason":"NonZeroExitCode","details":\#(details)}"#
        return Array(document.utf8)
    }

    /// An `InternalError` status (HTTP code 500), as kubelet writes when the command cannot run at all.
    package static func internalError(_ message: String) -> [UInt8] {
        let full = JSONWriter.quoted("Internal error occurred: " + message)
        let details = #"{"causes":[{"message":\#(JSONWriter.quoted(message))}]}"#
        let document =
            #"{"metadata":{},"status":"Failure","message":\#(full),"#
            + #""reason":"InternalError","details":\#(details),"code":500}"#
        return Array(document.utf8)
    }

    /// Reads a status document, or nil if the bytes are not (yet) a JSON object with a `status` string.
    ///
    /// Like client-go's v4 error decoder, the exit code comes from the cause whose `reason` is `ExitCode`.
    package static func decode(_ bytes: [UInt8]) -> Outcome? {
        guard let document = try? JSONParser.parse(bytes, depthLimit: 32), let status = document["status"]?.stringValue else { return nil }
        let message = document["message"]?.stringValue
        if status == "Success" { return .exited(code: 0, message: message) }
        let causes = document["details"]?["causes"]?.arrayValue ?? []
        for cause in causes where cause["reason"]?.stringValue == "ExitCode" {
            if let text = cause["message"]?.stringValue, let code = Int32(text) {
                return .exited(code: code, message: message)
            }
        }
        let reason = document["reason"]?.stringValue
        let fallback = "the runtime reported status \(quotedURL(status))" + (reason.map { " (\($0))" } ?? "")
        return .failed(message: message.flatMap { $0.isEmpty ? nil : $0 } ?? fallback, reason: reason)
    }
}
