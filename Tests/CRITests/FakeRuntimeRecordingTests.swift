import CRI
import CRITesting
import Testing

@Suite("FakeRuntime call recording")
struct FakeRuntimeRecordingTests {
    @Test func keepsTheNewestCallsInOrderOnceFull() async {
        var configuration = FakeRuntime.Configuration()
        configuration.maxRecordedCalls = 3
        let runtime = FakeRuntime(configuration: configuration)
        for index in 1...3 { await runtime.record("M\(index)", VersionRequest()) }
        #expect(await runtime.calledMethods == ["M1", "M2", "M3"])
        for index in 4...8 { await runtime.record("M\(index)", VersionRequest()) }
        #expect(await runtime.calledMethods == ["M6", "M7", "M8"])
        #expect(await runtime.calls.map(\.method) == ["M6", "M7", "M8"])
        await runtime.clearRecordedCalls()
        await runtime.record("M9", VersionRequest())
        #expect(await runtime.calledMethods == ["M9"])
    }

    @Test func aLimitOfZeroRecordsNothing() async {
        var configuration = FakeRuntime.Configuration()
        configuration.maxRecordedCalls = 0
        let runtime = FakeRuntime(configuration: configuration)
        await runtime.record("Version", VersionRequest())
        #expect(await runtime.calls.isEmpty)
    }
}
