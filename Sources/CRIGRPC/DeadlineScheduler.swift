import CRITransport
import Dispatch
import Synchronization

/// Fires call deadlines from one shared thread.
///
/// Every call with a deadline used to create, arm and cancel its own Dispatch timer source, which cost
/// about 10 µs of CPU per call: a sizeable part of a whole unary call on a local socket. Here a call
/// adds an entry to a heap under a lock and flips a flag when it ends. The thread sleeps until the
/// earliest live deadline; cancelled entries are dropped lazily (when they reach the top, or in a
/// compaction once they outnumber the live ones), so starting and ending a call never wakes it.
/// Deadlines fire on this thread even when the concurrency pool is busy, as Dispatch timers did.
final class DeadlineScheduler: Sendable {
    /// The scheduler all calls share; its thread starts with the first deadline.
    static let shared = DeadlineScheduler()

    /// A scheduled deadline; ``cancel()`` it when the call ends.
    final class Entry: Sendable {
        fileprivate let deadline: ContinuousClock.Instant
        fileprivate let action: @Sendable () -> Void
        fileprivate let cancelled = Atomic<Bool>(false)

        fileprivate init(deadline: ContinuousClock.Instant, action: @escaping @Sendable () -> Void) {
            self.deadline = deadline
            self.action = action
        }

        /// Stops the action from running; it may already be running or have run.
        func cancel() {
            if !cancelled.exchange(true, ordering: .relaxed) { DeadlineScheduler.shared.noteCancelled() }
        }
    }

    private struct State {
        var heap: [Entry] = []
        var cancelledInHeap = 0
        var threadStarted = false
        /// The deadline the thread sleeps until; nil while it waits for work.
        var sleepingUntil: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)

    /// Runs `action` at `deadline` unless the returned entry is cancelled first.
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Entry {
        let entry = Entry(deadline: deadline, action: action)
        let (wake, start) = state.withLock { state -> (Bool, Bool) in
            if state.cancelledInHeap > 1024, state.cancelledInHeap > state.heap.count / 2 {
                Self.compact(&state)
            }
            Self.push(entry, into: &state.heap)
            let start = !state.threadStarted
            state.threadStarted = true
            // Wake the thread only when it would otherwise sleep past this deadline.
            let wake = !start && state.heap[0] === entry && (state.sleepingUntil.map { deadline < $0 } ?? true)
            return (wake, start)
        }
        if start { startThread() }
        if wake { wakeup.signal() }
        return entry
    }

    fileprivate func noteCancelled() {
        state.withLock { $0.cancelledInHeap += 1 }
    }

    private func startThread() {
        do {
            try startIOThread(name: "cri-deadlines") { [self] in run() }
        } catch {
            // Out of threads: a Dispatch worker is second best, but deadlines must fire somewhere.
            DispatchQueue.global().async { [self] in run() }
        }
    }

    private func run() {
        while true {
            var due: [Entry] = []
            let sleepUntil: ContinuousClock.Instant? = state.withLock { state in
                let now = ContinuousClock.now
                while let top = state.heap.first {
                    if top.cancelled.load(ordering: .relaxed) {
                        Self.popTop(&state.heap)
                        state.cancelledInHeap -= 1
                    } else if top.deadline <= now {
                        Self.popTop(&state.heap)
                        due.append(top)
                    } else {
                        break
                    }
                }
                state.sleepingUntil = state.heap.first?.deadline
                return state.sleepingUntil
            }
            for entry in due where !entry.cancelled.exchange(true, ordering: .relaxed) {
                entry.action()
            }
            if let sleepUntil {
                let nanoseconds = GRPCTimeout.nanosecondsClamped(sleepUntil - ContinuousClock.now)
                _ = wakeup.wait(timeout: .now() + .nanoseconds(Int(clamping: max(nanoseconds, 0))))
            } else {
                wakeup.wait()
            }
        }
    }

    // MARK: Heap (min by deadline)

    private static func push(_ entry: Entry, into heap: inout [Entry]) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func popTop(_ heap: inout [Entry]) {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        siftDown(from: 0, in: &heap)
    }

    private static func siftDown(from start: Int, in heap: inout [Entry]) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, heap[left + 1].deadline < heap[left].deadline { smallest = left + 1 }
            guard heap[smallest].deadline < heap[parent].deadline else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    /// Drops every cancelled entry and restores the heap order, in linear time.
    private static func compact(_ state: inout State) {
        state.heap.removeAll { $0.cancelled.load(ordering: .relaxed) }
        state.cancelledInHeap = 0
        for index in stride(from: state.heap.count / 2 - 1, through: 0, by: -1) {
            siftDown(from: index, in: &state.heap)
        }
    }
}
