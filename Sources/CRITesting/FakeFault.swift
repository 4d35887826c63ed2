public import CRI

/// A failure or delay the fake runtime applies to calls of one RPC, for testing how code copes.
public struct FakeFault: Sendable {
    enum Kind: Sendable {
        case error(CRIError.Code, String)
        case delay(Duration)
        case dropConnection
        case goAway
    }

    let kind: Kind

    /// Answer with this gRPC status instead of running the RPC.
    public static func error(_ code: CRIError.Code, message: String = "injected failure") -> FakeFault {
        FakeFault(kind: .error(code, message))
    }

    /// Wait this long before running the RPC (for deadline tests).
    public static func delay(_ duration: Duration) -> FakeFault {
        FakeFault(kind: .delay(duration))
    }

    /// Close the connection without answering (only through ``FakeCRIServer``).
    public static let dropConnection = FakeFault(kind: .dropConnection)

    /// Send GOAWAY on the connection, then run the RPC (only through ``FakeCRIServer``).
    public static let goAway = FakeFault(kind: .goAway)
}

extension FakeRuntime {
    /// Applies `fault` to the next `times` calls of `method` (`"RunPodSandbox"`; `"*"` for any RPC).
    public func inject(_ fault: FakeFault, into method: String, times: Int = 1) {
        faults[method, default: []].append(contentsOf: repeatElement(fault, count: max(0, times)))
    }

    /// Removes every injected fault.
    public func clearFaults() {
        faults.removeAll()
    }

    /// Takes the next fault for `method`, if one is pending.
    public func takeFault(for method: String) -> FakeFault? {
        for key in [method, "*"] {
            if var queue = faults[key], !queue.isEmpty {
                let fault = queue.removeFirst()
                faults[key] = queue.isEmpty ? nil : queue
                return fault
            }
        }
        return nil
    }
}
