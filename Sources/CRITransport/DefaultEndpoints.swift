#if os(Windows)
import WinSDK
#elseif CRI_WINDOWS_STANDIN
import CRIWinSDKStandIn  // The Windows path on Linux, against the simulated kernel (Scripts/check-windows.sh).
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Endpoint {
    /// The endpoints crictl probes, in order, when none is configured on Linux and other unix systems.
    package static let unixDefaults: [Endpoint] = [
        Endpoint(
            kind: .unixSocket(path: "/run/containerd/containerd.sock"),
            original: "unix:///run/containerd/containerd.sock"
        ),
        Endpoint(kind: .unixSocket(path: "/run/crio/crio.sock"), original: "unix:///run/crio/crio.sock"),
        Endpoint(kind: .unixSocket(path: "/var/run/cri-dockerd.sock"), original: "unix:///var/run/cri-dockerd.sock"),
    ]

    /// The endpoints crictl probes, in order, when none is configured on Windows.
    package static let windowsDefaults: [Endpoint] = [
        Endpoint(
            kind: .namedPipe(path: #"\\.\pipe\containerd-containerd"#),
            original: "npipe:////./pipe/containerd-containerd"
        ),
        Endpoint(kind: .namedPipe(path: #"\\.\pipe\cri-dockerd"#), original: "npipe:////./pipe/cri-dockerd"),
    ]

    /// The default endpoints for the platform this code runs on.
    package static var platformDefaults: [Endpoint] {
        #if os(Windows) || CRI_WINDOWS_STANDIN
        windowsDefaults
        #else
        unixDefaults
        #endif
    }

    /// The first of `candidates` whose socket file or pipe exists, without connecting or waiting.
    ///
    /// crictl instead tries to connect to each default with its timeout; checking for the file answers at once,
    /// and a present-but-dead runtime then fails with a clear "connection refused" naming the path.
    ///
    /// - Parameters:
    ///   - candidates: in priority order; defaults to ``platformDefaults``.
    ///   - exists: the existence check; defaults to ``localAddressExists``. Tests pass a fake.
    package static func firstAvailable(
        among candidates: [Endpoint] = platformDefaults,
        exists: (Endpoint) -> Bool = { $0.localAddressExists }
    ) -> Endpoint? {
        candidates.first(where: exists)
    }

    /// Whether a unix socket file or a named pipe exists at this endpoint right now; false for TCP (only a
    /// connect could tell) and for a named pipe off Windows.
    package var localAddressExists: Bool {
        switch kind {
        case .unixSocket(let path):
            #if os(Windows) || CRI_WINDOWS_STANDIN
            return false
            #else
            return Posix.fileIdentity(atPath: path)?.isSocket ?? false
            #endif
        case .tcp:
            return false
        case .namedPipe(let path):
            #if os(Windows) || CRI_WINDOWS_STANDIN
            // FindFirstFile lists the pipe without opening it, so it does not take a server instance as
            // GetFileAttributes or CreateFile would.
            var data = WIN32_FIND_DATAW()
            let handle = path.withCString(encodedAs: UTF16.self) { FindFirstFileW($0, &data) }
            guard let handle, handle != INVALID_HANDLE_VALUE else { return false }
            FindClose(handle)
            return true
            #else
            _ = path
            return false
            #endif
        }
    }
}
