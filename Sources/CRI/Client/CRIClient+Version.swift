// Version, the one RPC whose client method needs more than the generated shape (CRIClient+RPCs.swift): it is the
// first call a client makes, so an UNIMPLEMENTED answer says the endpoint does not serve CRI v1 at all.

extension CRIClient {
    /// Version: The runtime's name and version and the CRI API version it serves.
    ///
    /// - Throws: ``CRIError``.
    public func version(
        _ request: VersionRequest = VersionRequest.v1, options callOptions: CRICallOptions? = nil
    ) async throws -> VersionResponse {
        do throws(CRIError) {
            return try await unary(
                RuntimeService.version, request, options: callOptions, validate: CRIResponseValidation.version)
        } catch {
            guard error.code == .unimplemented else { throw error }
            throw CRIError(
                code: .unimplemented,
                message: "the runtime at \(runtimeEndpoint) does not serve CRI v1 (runtime.v1.RuntimeService): "
                    + error.message,
                method: "Version", endpoint: runtimeEndpoint, cause: error)
        }
    }
}

extension VersionRequest {
    /// The request the kubelet sends: the CRI API version it speaks, `v1`.
    public static var v1: VersionRequest {
        var request = VersionRequest()
        request.version = "v1"
        return request
    }
}
