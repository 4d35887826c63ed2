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
        // The platform's own spelling: a pipe on Windows, a socket elsewhere.
        let example = Endpoint.platformDefaults.first?.canonicalURL ?? "unix:///path/to.sock"
        throw CLIFailure("""
            no runtime endpoint is configured and none of the default endpoints exists; checked:
            \(checked)
            set one with --runtime-endpoint \(example), the CONTAINER_RUNTIME_ENDPOINT environment variable, \
            or `cri config --set runtime-endpoint=\(example)` (writes \(ConfigFile.defaultPath))
            """)
    }
}
