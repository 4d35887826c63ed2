#if !os(Windows)
// The Winsock 2 subset swift-cri's Windows TCP code (Sources/CRITransport/TCP+Windows.swift) calls, declared as Swift
// imports the real headers; the bodies forward to SimulatedWinsock (SimulatedKernel+Winsock.swift).
//
// How each shape was derived (H = the SDK header, winsock2.h / ws2def.h / inaddr.h / winerror.h, as the Clang
// importer maps it; swift-subprocess 1.0.2 calls no Winsock, so the header is the source):
// - `SOCKET` is `typedef UINT_PTR SOCKET`: `UInt64` on 64-bit Windows. Returned sockets are plain integers, not
//   pointers, so they are non-optional.
// - `int` is `Int32`, `u_long` (`unsigned long`, 32 bits on Windows) `UInt32`, `u_short` and `ADDRESS_FAMILY`
//   (`USHORT`) `UInt16`, `char *` `UnsafeMutablePointer<CChar>!`, `const char *` `UnsafePointer<CChar>!`,
//   `const struct sockaddr *` `UnsafePointer<sockaddr>!`.
// - `#define X 10061L` / `#define X 0x1007` constants import as `Int32`. Macros the importer skips (casts, sizeof or
//   function-like macros: `INVALID_SOCKET (SOCKET)(~0)`, `FIONBIO _IOW('f', 126, u_long)`, `MAKEWORD`) are not
//   declared here, so the code under test must spell them out, as it must on Windows.
import Glibc

/// H: winsock2.h `typedef UINT_PTR SOCKET` (64-bit Windows).
public typealias SOCKET = UInt64
/// H: ws2def.h `typedef USHORT ADDRESS_FAMILY`.
public typealias ADDRESS_FAMILY = UInt16
/// H: minwindef.h `typedef unsigned short WORD`.
public typealias WORD = UInt16
/// H: winsock2.h `typedef unsigned long u_long` (32 bits on Windows).
public typealias u_long = UInt32

/// H: winsock2.h `struct WSAData`; Swift names it `WSAData` with `WSADATA` a typealias. Only the version fields are
/// declared: our code passes a zeroed value for WSAStartup to fill and reads nothing else.
public struct WSAData {
    /// The version the caller should use.
    public var wVersion: WORD = 0
    /// The highest version the DLL supports.
    public var wHighVersion: WORD = 0
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef WSADATA *LPWSADATA`.
public typealias LPWSADATA = UnsafeMutablePointer<WSAData>
/// H: `typedef struct WSAData WSADATA`.
public typealias WSADATA = WSAData

/// H: ws2def.h `struct sockaddr { ADDRESS_FAMILY sa_family; CHAR sa_data[14]; }`.
public struct sockaddr {
    /// The address family.
    public var sa_family: ADDRESS_FAMILY = 0
    /// The address, family-specific.
    public var sa_data: (CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// Zeroed, as the imported initializer.
    public init() {}
}

/// H: inaddr.h `struct in_addr { union { ...; ULONG S_addr; } S_un; }`; Swift imports the union as the member
/// `S_un` whose `S_addr` is the address in network byte order.
public struct in_addr {
    /// H: the anonymous union, imported as a struct named after its member.
    public struct __Unnamed_union_S_un {
        /// The IPv4 address, network byte order.
        public var S_addr: UInt32 = 0
        /// Zeroed.
        public init() {}
    }
    /// The union.
    public var S_un = __Unnamed_union_S_un()
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct in_addr IN_ADDR`.
public typealias IN_ADDR = in_addr

/// H: ws2def.h `struct sockaddr_in { ADDRESS_FAMILY sin_family; USHORT sin_port; IN_ADDR sin_addr; CHAR sin_zero[8]; }`
/// (16 bytes, the layout of Linux's `sockaddr_in`, which the simulation relies on).
public struct sockaddr_in {
    /// AF_INET.
    public var sin_family: ADDRESS_FAMILY = 0
    /// The port, network byte order.
    public var sin_port: UInt16 = 0
    /// The address.
    public var sin_addr = IN_ADDR()
    /// Padding.
    public var sin_zero: (CChar, CChar, CChar, CChar, CChar, CChar, CChar, CChar) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Zeroed, as the imported initializer.
    public init() {}
}

/// H: winsock2.h `struct pollfd` as `WSAPOLLFD { SOCKET fd; SHORT events; SHORT revents; }`.
public struct pollfd {
    /// The socket.
    public var fd: SOCKET = 0
    /// What to wait for: only POLLRDNORM, POLLRDBAND, POLLPRI, POLLWRNORM, POLLWRBAND (others: WSAEINVAL).
    public var events: Int16 = 0
    /// What happened.
    public var revents: Int16 = 0
    /// Zeroed, as the imported initializer.
    public init() {}
}
/// H: `typedef struct pollfd WSAPOLLFD`.
public typealias WSAPOLLFD = pollfd
/// H: `typedef struct pollfd *LPWSAPOLLFD`.
public typealias LPWSAPOLLFD = UnsafeMutablePointer<pollfd>

// MARK: Constants (H: winsock2.h and ws2def.h unless noted)

/// H: ws2def.h `#define AF_INET 2`.
public var AF_INET: Int32 { 2 }
/// H: winsock2.h `#define SOCK_STREAM 1`.
public var SOCK_STREAM: Int32 { 1 }
/// H: ws2def.h `typedef enum { IPPROTO_TCP = 6, ... } IPPROTO`: a C enum, imported as the struct `IPPROTO` with a
/// `rawValue`, so uses read `IPPROTO_TCP.rawValue`.
public var IPPROTO_TCP: IPPROTO { IPPROTO(rawValue: 6) }
/// H: ws2def.h `IPPROTO`, as the importer spells a C enum.
public struct IPPROTO: RawRepresentable, Equatable, Sendable {
    /// The protocol number.
    public var rawValue: Int32
    /// Wraps a protocol number.
    public init(rawValue: Int32) { self.rawValue = rawValue }
}
/// H: ws2def.h `#define SOL_SOCKET 0xffff`.
public var SOL_SOCKET: Int32 { 0xFFFF }
/// H: ws2def.h `#define SO_REUSEADDR 0x0004`.
public var SO_REUSEADDR: Int32 { 0x0004 }
/// H: ws2def.h `#define SO_ERROR 0x1007`.
public var SO_ERROR: Int32 { 0x1007 }
/// H: ws2def.h `#define TCP_NODELAY 0x0001`.
public var TCP_NODELAY: Int32 { 0x0001 }
/// H: winsock2.h `#define SOMAXCONN 0x7fffffff`.
public var SOMAXCONN: Int32 { 0x7FFF_FFFF }
/// H: winsock2.h `#define SOCKET_ERROR (-1)`.
public var SOCKET_ERROR: Int32 { -1 }
/// H: winsock2.h `#define SD_SEND 0x01`.
public var SD_SEND: Int32 { 0x01 }
/// H: winsock2.h `#define SD_BOTH 0x02`.
public var SD_BOTH: Int32 { 0x02 }
/// H: winsock2.h `#define POLLRDNORM 0x0100`.
public var POLLRDNORM: Int32 { 0x0100 }
/// H: winsock2.h `#define POLLWRNORM 0x0010`.
public var POLLWRNORM: Int32 { 0x0010 }
/// H: winsock2.h `#define POLLERR 0x0001` (output only).
public var POLLERR: Int32 { 0x0001 }
/// H: winsock2.h `#define POLLHUP 0x0002` (output only).
public var POLLHUP: Int32 { 0x0002 }
/// H: winsock2.h `#define POLLNVAL 0x0004` (output only).
public var POLLNVAL: Int32 { 0x0004 }

/// H: winerror.h `#define WSAEINTR 10004L`.
public var WSAEINTR: Int32 { 10004 }
/// H: winerror.h.
public var WSAEINVAL: Int32 { 10022 }
/// H: winerror.h.
public var WSAEMFILE: Int32 { 10024 }
/// H: winerror.h.
public var WSAEWOULDBLOCK: Int32 { 10035 }
/// H: winerror.h.
public var WSAENOTSOCK: Int32 { 10038 }
/// H: winerror.h.
public var WSAEAFNOSUPPORT: Int32 { 10047 }
/// H: winerror.h.
public var WSAEADDRINUSE: Int32 { 10048 }
/// H: winerror.h.
public var WSAEADDRNOTAVAIL: Int32 { 10049 }
/// H: winerror.h.
public var WSAENETUNREACH: Int32 { 10051 }
/// H: winerror.h.
public var WSAECONNABORTED: Int32 { 10053 }
/// H: winerror.h.
public var WSAECONNRESET: Int32 { 10054 }
/// H: winerror.h.
public var WSAENOTCONN: Int32 { 10057 }
/// H: winerror.h.
public var WSAESHUTDOWN: Int32 { 10058 }
/// H: winerror.h.
public var WSAETIMEDOUT: Int32 { 10060 }
/// H: winerror.h.
public var WSAECONNREFUSED: Int32 { 10061 }
/// H: winerror.h.
public var WSAEHOSTUNREACH: Int32 { 10065 }
/// H: winerror.h `#define WSANOTINITIALISED 10093L`: a call before a successful WSAStartup.
public var WSANOTINITIALISED: Int32 { 10093 }

// MARK: Functions

/// H: winsock2.h `int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)`; returns the error (not via
/// WSAGetLastError), 0 on success.
public func WSAStartup(_ wVersionRequested: WORD, _ lpWSAData: LPWSADATA!) -> Int32 {
    SimulatedWinsock.shared.startup(version: wVersionRequested, data: lpWSAData)
}

/// H: winsock2.h `int WSACleanup(void)`.
@discardableResult
public func WSACleanup() -> Int32 { SimulatedWinsock.shared.cleanup() }

/// H: winsock2.h `int WSAGetLastError(void)`; the calling thread's last error, shared with GetLastError.
public func WSAGetLastError() -> Int32 { Int32(bitPattern: SimulatedKernel.lastError) }

/// H: winsock2.h `SOCKET socket(int af, int type, int protocol)`.
public func socket(_ af: Int32, _ type: Int32, _ `protocol`: Int32) -> SOCKET {
    SimulatedWinsock.shared.socket(family: af, type: type, protocol: `protocol`)
}

/// H: winsock2.h `int connect(SOCKET s, const struct sockaddr *name, int namelen)`.
public func connect(_ s: SOCKET, _ name: UnsafePointer<sockaddr>!, _ namelen: Int32) -> Int32 {
    SimulatedWinsock.shared.connect(s, name, namelen)
}

/// H: winsock2.h `int bind(SOCKET s, const struct sockaddr *name, int namelen)`.
public func bind(_ s: SOCKET, _ name: UnsafePointer<sockaddr>!, _ namelen: Int32) -> Int32 {
    SimulatedWinsock.shared.bind(s, name, namelen)
}

/// H: winsock2.h `int listen(SOCKET s, int backlog)`.
public func listen(_ s: SOCKET, _ backlog: Int32) -> Int32 { SimulatedWinsock.shared.listen(s, backlog) }

/// H: winsock2.h `SOCKET accept(SOCKET s, struct sockaddr *addr, int *addrlen)`.
public func accept(_ s: SOCKET, _ addr: UnsafeMutablePointer<sockaddr>!, _ addrlen: UnsafeMutablePointer<Int32>!)
    -> SOCKET
{
    SimulatedWinsock.shared.accept(s, addr, addrlen)
}

/// H: winsock2.h `int send(SOCKET s, const char *buf, int len, int flags)`.
public func send(_ s: SOCKET, _ buf: UnsafePointer<CChar>!, _ len: Int32, _ flags: Int32) -> Int32 {
    SimulatedWinsock.shared.send(s, buf, len, flags)
}

/// H: winsock2.h `int recv(SOCKET s, char *buf, int len, int flags)`.
public func recv(_ s: SOCKET, _ buf: UnsafeMutablePointer<CChar>!, _ len: Int32, _ flags: Int32) -> Int32 {
    SimulatedWinsock.shared.recv(s, buf, len, flags)
}

/// H: winsock2.h `int shutdown(SOCKET s, int how)`.
@discardableResult
public func shutdown(_ s: SOCKET, _ how: Int32) -> Int32 { SimulatedWinsock.shared.shutdown(s, how) }

/// H: winsock2.h `int closesocket(SOCKET s)`.
@discardableResult
public func closesocket(_ s: SOCKET) -> Int32 { SimulatedWinsock.shared.close(s) }

/// H: winsock2.h `int setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)`.
public func setsockopt(_ s: SOCKET, _ level: Int32, _ optname: Int32, _ optval: UnsafePointer<CChar>!, _ optlen: Int32)
    -> Int32
{
    SimulatedWinsock.shared.setOption(s, level, optname, optval, optlen)
}

/// H: winsock2.h `int getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)`.
public func getsockopt(
    _ s: SOCKET, _ level: Int32, _ optname: Int32, _ optval: UnsafeMutablePointer<CChar>!,
    _ optlen: UnsafeMutablePointer<Int32>!
) -> Int32 {
    SimulatedWinsock.shared.getOption(s, level, optname, optval, optlen)
}

/// H: winsock2.h `int getsockname(SOCKET s, struct sockaddr *name, int *namelen)`.
public func getsockname(_ s: SOCKET, _ name: UnsafeMutablePointer<sockaddr>!, _ namelen: UnsafeMutablePointer<Int32>!)
    -> Int32
{
    SimulatedWinsock.shared.localAddress(s, name, namelen)
}

/// H: winsock2.h `int ioctlsocket(SOCKET s, long cmd, u_long *argp)`; `long` is 32 bits on Windows.
public func ioctlsocket(_ s: SOCKET, _ cmd: Int32, _ argp: UnsafeMutablePointer<u_long>!) -> Int32 {
    SimulatedWinsock.shared.ioctl(s, cmd, argp)
}

/// H: winsock2.h `int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)`.
public func WSAPoll(_ fdArray: LPWSAPOLLFD!, _ fds: UInt32, _ timeout: Int32) -> Int32 {
    SimulatedWinsock.shared.poll(fdArray, Int(fds), timeout)
}
#endif
