#if !os(Windows)
import Synchronization

/// A ``ByteStream`` over a connected unix or TCP socket.
///
/// The descriptor is non-blocking: `read` waits in poll (forever), `write` waits in poll until its deadline.
/// `close()` shuts the socket down first, which wakes a reader blocked in poll on both Linux and Darwin, and the
/// descriptor itself is closed once that reader has left (see `DescriptorGuard`).
final class SocketStream: ByteStream {
    private let descriptor: DescriptorGuard<Int32>
    private let syscalls: Syscalls
    /// Names the connection in messages, e.g. `unix socket "/run/containerd/containerd.sock"`.
    let label: String

    /// The last read returned less than its buffer could hold: the socket was drained then, so the next
    /// read waits in poll at once instead of first trying a receive that would report EAGAIN. One reader at a
    /// time (the connection hands its read turn over under a lock), so relaxed ordering suffices.
    private let drained = Atomic<Bool>(false)

    init(fd: Int32, label: String, syscalls: Syscalls = .live) {
        self.descriptor = DescriptorGuard(fd: fd)
        self.syscalls = syscalls
        self.label = label
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TransportError) -> Int {
        try descriptor.withDescriptor("read from \(label)") { fd throws(TransportError) in
            do throws(TransportError) {
                let pollFirst = drained.load(ordering: .relaxed)
                let count = try syscalls.receiveBlocking(
                    fd, into: buffer, pollFirst: pollFirst, label: "read from \(label)")
                drained.store(count < buffer.count, ordering: .relaxed)
                return count
            } catch {
                // A failure caused by our own close() is the end of the stream, not an I/O error.
                if descriptor.isClosing { return 0 }
                throw error
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(TransportError) {
        try descriptor.withDescriptor("write to \(label)") { fd throws(TransportError) in
            do throws(TransportError) {
                try syscalls.sendAll(fd, bytes, deadline: deadline, label: "write to \(label)")
            } catch {
                if descriptor.isClosing { throw .closed("write to \(label)") }
                throw error
            }
        }
    }

    func waitForData(timeout: Duration) throws(TransportError) -> Bool? {
        do throws(TransportError) {
            return try descriptor.withDescriptor("read from \(label)") { fd throws(TransportError) in
                let outcome = try syscalls.wait(
                    fd, for: PollDescriptor.readable, deadline: .now + timeout, label: "read from \(label)")
                guard outcome == .ready else { return false }
                // The next read finds data at once; polling again first would be a wasted system call.
                drained.store(false, ordering: .relaxed)
                return true
            }
        } catch {
            // Our own close(): the next read reports the end of the stream.
            if descriptor.isClosing { return true }
            throw error
        }
    }

    func shutdownWrite() {
        try? descriptor.withDescriptor("shut down \(label)") { fd in Posix.shutdown(fd, .write) }
    }

    func close() {
        descriptor.close { fd in Posix.shutdown(fd, .both) }
    }
}
#endif
