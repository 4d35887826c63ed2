#if !os(Windows)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A socket address of any family (unix, IPv4, IPv6), stored in a `sockaddr_storage`.
package struct SocketAddress: Sendable {
    private var storage = sockaddr_storage()
    private var length = socklen_t(MemoryLayout<sockaddr_storage>.size)

    /// An empty address for calls that fill one in (getsockname).
    init() {}

    /// Copies an address the system handed out (getaddrinfo).
    init(copying address: UnsafePointer<sockaddr>, length: socklen_t) {
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: address, count: count))
        }
        self.length = socklen_t(count)
    }

    /// The unix socket address for `path`.
    ///
    /// - Throws: ``TransportError/Code/pathTooLong`` naming the path and the platform limit when it does not fit
    ///   in `sun_path` with its terminating NUL (107 bytes on Linux, 103 on Darwin).
    static func unix(path: String, operation: String) throws(TransportError) -> SocketAddress {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            throw TransportError(
                code: .pathTooLong,
                message: "\(operation): socket path is \(bytes.count) bytes, longer than the \(capacity - 1) "
                    + "that fit in sockaddr_un.sun_path; use a shorter path"
            )
        }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            sunPath.copyBytes(from: bytes)
            sunPath[bytes.count] = 0
        }
        var result = SocketAddress()
        withUnsafeMutableBytes(of: &result.storage) { destination in
            withUnsafeBytes(of: &address) { destination.copyMemory(from: $0) }
        }
        // The NUL is included in the length, as the kernel would count it; both Linux and Darwin accept that.
        // Safe: sun_path is a stored property, so its offset exists.
        result.length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1)
        #if canImport(Darwin)
        result.storage.ss_len = UInt8(truncatingIfNeeded: Int(result.length))
        #endif
        return result
    }

    /// The address family (AF_UNIX, AF_INET, AF_INET6).
    var family: Int32 { Int32(storage.ss_family) }

    /// The TCP port for IPv4/IPv6 addresses, in host byte order.
    var port: UInt16? {
        var copy = storage
        return withUnsafeBytes(of: &copy) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET: UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
            case AF_INET6: UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
            default: nil
            }
        }
    }

    /// The numeric host, e.g. `127.0.0.1` or `::1`, for messages.
    var numericHost: String {
        var copy = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let converted: Bool = withUnsafeBytes(of: &copy) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                var address = raw.load(as: sockaddr_in.self).sin_addr
                return inet_ntop(AF_INET, &address, &text, socklen_t(text.count)) != nil
            case AF_INET6:
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                return inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil
            default:
                return false
            }
        }
        guard converted else { return "?" }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }  // Safe: non-empty array.
    }

    /// Calls `body` with the address as the C API expects it.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var copy = storage
        return withUnsafeBytes(of: &copy) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)  // Safe: a struct's bytes.
        }
    }

    /// Lets a system call fill in the address and its length.
    mutating func withMutableSockaddr<Result>(
        _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Result
    ) -> Result {
        var capacity = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutableBytes(of: &storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &capacity)  // Safe: a struct's bytes.
        }
        length = capacity
        return result
    }
}
#endif
