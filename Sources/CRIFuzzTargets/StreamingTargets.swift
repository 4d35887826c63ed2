import CRIStreaming
import CRITransport

/// Targets for exec/attach/port-forward streaming and for endpoint strings.
enum StreamingTargets {
    /// WebSocket frames and message assembly (RFC 6455). Byte 0: bit 7 selects the server side (masked frames
    /// required); bits 0-6 are the chunk size the rest is fed in (0 = all at once).
    @Sendable static func webSocket(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        guard let control = input.first else { return }
        var decoder = WebSocketDecoder(masking: control & 0x80 != 0 ? .required : .forbidden, maxMessageSize: 1 << 16)
        for chunk in chunks(input.dropFirst(), size: Int(control & 0x7F)) {
            decoder.append(chunk)
            do {
                while try decoder.nextEvent() != nil {}
            } catch {
                return
            }
        }
    }

    /// The HTTP/1.1 upgrade head of a streaming server, and the streaming URL the runtime returns (absolute and
    /// relative to a base).
    @Sendable static func streamingHTTP(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        let bytes = Array(input)
        if let head = try? HTTPHead(parsing: bytes[...]) {
            _ = head.hasToken("Connection", "Upgrade")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? StreamingURL(parsing: text)
        _ = try? StreamingURL(parsing: text, relativeTo: "http://127.0.0.1:10010/")
    }

    /// Endpoint strings (`unix:///run/containerd/containerd.sock`, `tcp://127.0.0.1:1234`, `npipe://...`): user
    /// or config input, parsed before any connection. A parsed endpoint's canonical URL must parse back to it.
    @Sendable static func endpoint(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        let text = String(decoding: input, as: UTF8.self)
        guard let endpoint = try? Endpoint(parsing: text) else { return }
        let canonical = endpoint.canonicalURL
        guard let again = try? Endpoint(parsing: canonical), again == endpoint else {
            throw FuzzFailure("Endpoint: the canonical URL \(canonical) of \(text) does not parse back to \(endpoint.kind)")
        }
    }
}
