import CRITransport

/// Picks a runtime endpoint when none is configured: the first of crictl's default sockets that
/// exists. Existence is checked without connecting, so a missing runtime costs no timeout.
enum DefaultEndpointProbe {
    static func pick(announce: Bool, context: CLIContext) throws -> String {
        let candidates: [Endpoint]
        if let override = context.env("CRI_DEFAULT_ENDPOINTS") {
            // A test hook: the candidate list, comma-separated, instead of the system sockets.
            candidates = override.split(separator: ",").compactMap { try? Endpoint(parsing: String($0)) }
        } else {
            candidates = Endpoint.platformDefaults
        }
        if let found = Endpoint.firstAvailable(among: candidates) {
            if announce {
                CLIOutput.error("cri: using default endpoint \(found) (none set; set one with --runtime-endpoint, CONTAINER_RUNTIME_ENDPOINT or runtime-endpoint in crictl.yaml)")
            }
            return found.description
        }
        let checked = candidates.map { "  \($0.description)" }.joined(separator: "\n")
        throw CLIFailure("""
            no runtime endpoint is configured and none of the default sockets exists; checked:
            \(checked)
            set one with --runtime-endpoint unix:///path/to.sock, the CONTAINER_RUNTIME_ENDPOINT environment variable, \
            or `cri config --set runtime-endpoint=unix:///path/to.sock` (writes \(ConfigFile.defaultPath))
            """)
    }
}
