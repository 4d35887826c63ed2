import CRIWire
import CRIHPACK
import CRIHTTP2
import Testing

@testable import CRIGRPC

extension GRPCTests {
    @Suite struct WireFormatTests {
        @Test(arguments: [
            (Duration.nanoseconds(1), "1n"), (.nanoseconds(99_999_999), "99999999n"), (.milliseconds(100), "100000u"),
            (.seconds(2), "2000000u"), (.seconds(120), "120000m"), (.seconds(100_000), "100000S"),
            (.seconds(100_000_000), "1666667M"), (.seconds(360_000_000), "6000000M"), (.seconds(6_000_000_000), "1666667H"),
        ])
        func timeoutWireFormHasAtMostEightDigits(duration: Duration, wire: String) {
            let encoded = GRPCTimeout.encode(duration)
            #expect(encoded == wire)
            #expect(encoded.count <= 9)
            #expect(GRPCTimeout.decode(encoded)! >= duration)
        }

        @Test func hugeTimeoutsSaturateInsteadOfOverflowing() {
            #expect(GRPCTimeout.encode(.seconds(Int64.max)) == "2562048H")
            #expect(GRPCTimeout.encode(.seconds(-5)) == "1n")
        }

        @Test func timeoutDecodingRejectsMalformedValues() {
            #expect(GRPCTimeout.decode("") == nil)
            #expect(GRPCTimeout.decode("S") == nil)
            #expect(GRPCTimeout.decode("123456789S") == nil)
            #expect(GRPCTimeout.decode("12x") == nil)
            #expect(GRPCTimeout.decode("-1S") == nil)
            #expect(GRPCTimeout.decode("5m") == .milliseconds(5))
            #expect(GRPCTimeout.decode("2H") == .seconds(7200))
        }

        @Test func percentEncodingOfStatusMessages() {
            #expect(PercentEncoding.encode("a% ü\n") == "a%25 %C3%BC%0A")
            #expect(PercentEncoding.decode("a%25 %C3%BC%0A") == "a% ü\n")
            // Malformed escapes are kept, not rejected.
            #expect(PercentEncoding.decode("100%") == "100%")
            #expect(PercentEncoding.decode("%zz%4") == "%zz%4")
        }

        @Test func base64AcceptsPaddedAndUnpadded() {
            #expect(Base64.encode([0, 1, 2, 250, 255]) == "AAEC+v8=")
            #expect(Base64.decode("AAEC+v8=") == [0, 1, 2, 250, 255])
            #expect(Base64.decode("AAEC+v8") == [0, 1, 2, 250, 255])
            #expect(Base64.decode("") == [])
            #expect(Base64.decode("A") == nil)
            #expect(Base64.decode("A*==") == nil)
            for count in 0..<10 {
                let bytes = pattern(count)
                #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            }
        }

        @Test func deframerHandlesMessagesSplitAnywhere() throws {
            let messages = [pattern(0), pattern(1), pattern(300), pattern(70_000)]
            let wire = messages.flatMap(grpcFramed)
            for chunk in [1, 2, 5, 7, 1000, wire.count] {
                var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20)
                var received: [[UInt8]] = []
                var offset = 0
                while offset < wire.count {
                    let end = min(wire.count, offset + chunk)
                    try deframer.append(Array(wire[offset..<end]))
                    received += deframer.takeMessages()
                    offset = end
                }
                #expect(received == messages)
                #expect(!deframer.hasPartialMessage)
            }
        }

        @Test func deframerChecksTheLimitFromThePrefix() {
            var deframer = GRPCMessageDeframer(maxMessageSize: 1000)
            // Only the prefix of a 1001-byte message: rejected before any of the body arrives.
            #expect(throws: GRPCMessageDeframer.Failure.self) { try deframer.append([0, 0, 0, 0x03, 0xe9]) }
            var compressed = GRPCMessageDeframer(maxMessageSize: 1000)
            #expect(throws: GRPCMessageDeframer.Failure.self) { try compressed.append([1, 0, 0, 0, 1, 9]) }
        }

        @Test func httpStatusMappingWithoutGRPCStatus() {
            #expect(GRPCHeaders.code(forHTTPStatus: 400) == .internalError)
            #expect(GRPCHeaders.code(forHTTPStatus: 401) == .unauthenticated)
            #expect(GRPCHeaders.code(forHTTPStatus: 403) == .permissionDenied)
            #expect(GRPCHeaders.code(forHTTPStatus: 404) == .unimplemented)
            #expect(GRPCHeaders.code(forHTTPStatus: 429) == .unavailable)
            #expect(GRPCHeaders.code(forHTTPStatus: 502) == .unavailable)
            #expect(GRPCHeaders.code(forHTTPStatus: 503) == .unavailable)
            #expect(GRPCHeaders.code(forHTTPStatus: 504) == .unavailable)
            #expect(GRPCHeaders.code(forHTTPStatus: 500) == .unknown)
        }

        @Test func rpcErrorCodesHaveSpecNames() {
            #expect(RPCError.Code.ok.description == "OK")
            #expect(RPCError.Code.unauthenticated.description == "UNAUTHENTICATED")
            #expect(RPCError.Code(rawValue: 17).description == "CODE_17")
            #expect(RPCError(code: .notFound, message: "a") == RPCError(code: .notFound, message: "b"))
        }
    }
}
