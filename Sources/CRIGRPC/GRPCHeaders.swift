import CRIWire
import CRIHPACK

/// Conversions between HTTP/2 header lists and gRPC metadata and status.
enum GRPCHeaders {
    /// Headers that are part of the protocol, never custom metadata.
    private static let reserved: Set<String> = [
        "content-type", "te", "grpc-status", "grpc-message", "grpc-timeout", "grpc-encoding",
        "grpc-accept-encoding", "content-length",
    ]

    /// Appends metadata as header fields; `-bin` values are base64 (PROTOCOL-HTTP2 "Binary-Header").
    static func append(_ metadata: GRPCMetadata, to headers: inout [HPACKHeader]) {
        for (key, value) in metadata {
            switch value {
            case .string(let text): headers.append(HPACKHeader(name: key, value: text))
            case .binary(let bytes): headers.append(HPACKHeader(name: key, value: Base64.encode(bytes)))
            }
        }
    }

    /// Extracts the custom metadata from a header list.
    /// - Throws: nothing; an undecodable `-bin` value is kept as text so no information is lost.
    static func metadata(from headers: [HPACKHeader]) -> GRPCMetadata {
        var metadata = GRPCMetadata()
        for header in headers where !header.name.hasPrefix(":") && !reserved.contains(header.name) {
            if header.name.hasSuffix("-bin") {
                // Several values may be joined with commas (PROTOCOL-HTTP2); each is base64.
                for part in header.value.split(separator: ",", omittingEmptySubsequences: false) {
                    let trimmed = part.trimmingSpaces()
                    if let bytes = Base64.decode(trimmed) {
                        metadata.add(header.name, binary: bytes)
                    } else {
                        metadata.add(header.name, trimmed)
                    }
                }
            } else {
                metadata.add(header.name, header.value)
            }
        }
        return metadata
    }

    /// The first value of `name`.
    static func value(_ name: String, in headers: [HPACKHeader]) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// The status in a trailer block (or trailers-only response), or nil without `grpc-status`.
    static func status(in headers: [HPACKHeader]) -> (code: RPCError.Code, message: String)? {
        guard let text = value("grpc-status", in: headers) else { return nil }
        guard let raw = Int(text), raw >= 0 else {
            return (.unknown, "invalid grpc-status \"\(text)\"")
        }
        let message = value("grpc-message", in: headers).map(PercentEncoding.decode) ?? ""
        return (RPCError.Code(rawValue: raw), message)
    }

    /// The gRPC code for an HTTP status without `grpc-status` (doc/http-grpc-status-mapping.md).
    static func code(forHTTPStatus status: Int) -> RPCError.Code {
        switch status {
        case 400: .internalError
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }

    /// Whether `content-type` is gRPC's (PROTOCOL-HTTP2: "application/grpc" [("+proto" / "+json" / {custom})]).
    static func isGRPCContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        return value == "application/grpc" || value.hasPrefix("application/grpc+")
            || value.hasPrefix("application/grpc;")
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    fileprivate func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
