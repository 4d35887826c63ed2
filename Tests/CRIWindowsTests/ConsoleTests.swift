#if CRI_WINDOWS_STANDIN
import CRIWinSDKStandIn
import Testing

@testable import cri

/// `Terminal+Windows.swift` (password prompts, raw mode for `exec -t`, the window size) against the simulated console.
@Suite("The Windows console", .serialized, .timeLimit(.minutes(1)))
struct ConsoleTests {
    @Test func secretsAreReadWithoutEchoAndTheModeComesBack() throws {
        SimulatedKernel.shared.attachConsole(width: 120, height: 40, input: "s3cret\r\nnext\r\n")
        defer { SimulatedKernel.shared.detachConsole() }
        let before = try #require(SimulatedKernel.shared.consoleModes)
        #expect(try Terminal.readSecret(prompt: "Enter Password:") == "s3cret")
        // The prompt and the line break after it are shown; the password is not echoed.
        #expect(SimulatedKernel.shared.consoleOutput == "Enter Password:\n")
        #expect(SimulatedKernel.shared.consoleModes?.input == before.input)
    }

    @Test func rawModeForExecTAndItsRestore() throws {
        SimulatedKernel.shared.attachConsole(width: 120, height: 40, input: "")
        defer { SimulatedKernel.shared.detachConsole() }
        let before = try #require(SimulatedKernel.shared.consoleModes)
        let restore = try #require(Terminal.makeRaw(0))
        let raw = try #require(SimulatedKernel.shared.consoleModes)
        // No line editing, echo or Ctrl+C processing; keys arrive as VT input; output interprets VT sequences.
        #expect(raw.input & DWORD(ENABLE_ECHO_INPUT | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT) == 0)
        #expect(raw.input & DWORD(ENABLE_VIRTUAL_TERMINAL_INPUT) != 0)
        #expect(raw.output & DWORD(ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0)
        restore()
        #expect(SimulatedKernel.shared.consoleModes?.input == before.input)
        #expect(SimulatedKernel.shared.consoleModes?.output == before.output)
    }

    @Test func windowSizeIsTheVisibleWindowNotTheBuffer() throws {
        SimulatedKernel.shared.attachConsole(width: 132, height: 43, input: "")
        defer { SimulatedKernel.shared.detachConsole() }
        let size = try #require(Terminal.size(1))
        #expect(size.width == 132 && size.height == 43)
        #expect(Terminal.size(0) == nil)
    }

    @Test func withoutAConsoleNothingIsChanged() {
        SimulatedKernel.shared.detachConsole()
        #expect(Terminal.makeRaw(0) == nil)
        #expect(Terminal.size(1) == nil)
    }
}
#endif
