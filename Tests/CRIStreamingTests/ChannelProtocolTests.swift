import Testing

@testable import CRIStreaming

@Suite struct ChannelProtocolTests {
    @Test func successStatus() {
        #expect(
            String(decoding: RemoteCommandStatus.success(), as: UTF8.self) == #"{"metadata":{},"status":"Success"}"#)
        #expect(RemoteCommandStatus.decode(RemoteCommandStatus.success()) == .exited(code: 0, message: nil))
    }

    @Test func kubeletExitCodeStatus() {
        // The document kubelet's streaming server writes for `sh -c "exit 3"`.
        let json =
            #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#
        #expect(
            RemoteCommandStatus.decode(Array(json.utf8))
                == .exited(
                    code: 3,
                    message:
                        "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3"
                ))
        guard case .exited(let code, _)? = RemoteCommandStatus.decode(RemoteCommandStatus.exitCode(3)) else {
            Issue.record("our own exit-code status does not decode")
            return
        }
        #expect(code == 3)
    }

    @Test func failureWithoutExitCode() {
        let json =
            #"{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: no such file","reason":"InternalError","details":{"causes":[{"message":"no such file"}]},"code":500}"#
        #expect(
            RemoteCommandStatus.decode(Array(json.utf8))
                == .failed(
                    message: "Internal error occurred: error executing command in container: no such file",
                    reason: "InternalError"
                ))
        guard
            case .failed(let message, "InternalError")? = RemoteCommandStatus.decode(
                RemoteCommandStatus.internalError("boom \"x\"\n"))
        else {
            Issue.record("internal error status does not decode")
            return
        }
        #expect(message == "Internal error occurred: boom \"x\"\n")
        #expect(
            RemoteCommandStatus.decode(Array(#"{"status":"Failure"}"#.utf8))
                == .failed(message: "the runtime reported status \"Failure\"", reason: nil))
    }

    @Test func incompleteOrForeignDocuments() {
        #expect(RemoteCommandStatus.decode(Array(#"{"metadata":{},"status":"Succ"#.utf8)) == nil)
        #expect(RemoteCommandStatus.decode(Array("command terminated".utf8)) == nil)
        #expect(RemoteCommandStatus.decode(Array("[1,2]".utf8)) == nil)
    }

    @Test func resizeMessages() {
        #expect(
            String(decoding: TerminalSize(width: 80, height: 24).json, as: UTF8.self) == #"{"Width":80,"Height":24}"#)
        #expect(
            TerminalSize(json: Array(#" {"Height": 50, "Width": 132} "#.utf8)) == TerminalSize(width: 132, height: 50))
        #expect(TerminalSize(json: Array(#"{"Width":-1,"Height":24}"#.utf8)) == nil)
        #expect(TerminalSize(json: Array(#"{"Width":80}"#.utf8)) == nil)
    }
}
