// ThreadSanitizer annotations for the toolchain's `Synchronization.Mutex` on Linux (LD_PRELOADed into the
// TSan test run by Scripts/test.sh; built with the toolchain's clang).
//
// Why: `Mutex.withLock` inlines only the uncontended fast path (an acquiring / releasing compare-exchange on the
// futex word, which TSan instruments in our code). Under contention it calls `_MutexHandle._lockSlow`,
// `_tryLockSlow` and `_unlockSlow` in libswiftSynchronization.so, which is not built with TSan: they spin with
// plain atomics and then let the kernel hand the lock over (FUTEX_LOCK_PI / FUTEX_UNLOCK_PI). TSan sees no
// acquire or release on those paths, loses the happens-before edge the lock provides, and reports every
// contended `withLock` body as racing with the previous holder's (a 20-line program of four threads appending
// to a `Mutex<[Int]>` reproduces it). Suppressing those reports would hide real races in the same code, so
// instead this shim interposes the three slow-path entry points, calls the real ones, and tells TSan what they
// did: an acquire of the futex word after a slow lock succeeds, a release of it before a slow unlock. The fast
// path already synchronizes on that same address, so both paths now agree.
//
// The functions use Swift's calling convention: `self` (the `_MutexHandle`, whose only stored property is the
// futex word) arrives in the swift_context (swiftself) register, `selfId` (the caller's thread id) as the first argument.
// The mangled names are the ones libswiftSynchronization.so exports (`nm -D`); if a toolchain renames them the
// shim is simply never called and the TSan run reports the races again (it cannot silently hide anything).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SWIFTCALL __attribute__((swiftcall))
#define SWIFTSELF __attribute__((swift_context))

// From the TSan runtime linked into instrumented executables; weak so the shim loads (and only forwards) in
// the uninstrumented processes the test run also starts (swift-test itself, shells, Python peers).
extern void __tsan_acquire(void *address) __attribute__((weak));
extern void __tsan_release(void *address) __attribute__((weak));

typedef SWIFTCALL void (*LockSlow)(uint32_t selfId, void *SWIFTSELF handle);
typedef SWIFTCALL bool (*TryLockSlow)(void *SWIFTSELF handle);
typedef SWIFTCALL void (*UnlockSlow)(void *SWIFTSELF handle);

#define LOCK_SLOW "$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF"
#define TRY_LOCK_SLOW "$s15Synchronization12_MutexHandleV12_tryLockSlowSbyF"
#define UNLOCK_SLOW "$s15Synchronization12_MutexHandleV11_unlockSlowyyF"

// The real function after this one in lookup order (libswiftSynchronization.so's), resolved on first use:
// processes that never lock a contended Mutex never need it. Threads racing to resolve it store the same value.
static void *real(void **cache, const char *name) {
    void *function = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (function != NULL) return function;
    function = dlsym(RTLD_NEXT, name);
    if (function == NULL) {
        fprintf(stderr, "tsan-synchronization-mutex: %s not found after the shim\n", name);
        abort();
    }
    __atomic_store_n(cache, function, __ATOMIC_RELEASE);
    return function;
}

SWIFTCALL void lockSlow(uint32_t selfId, void *SWIFTSELF handle) __asm__(LOCK_SLOW);
SWIFTCALL void lockSlow(uint32_t selfId, void *SWIFTSELF handle) {
    static void *next;
    ((LockSlow)real(&next, LOCK_SLOW))(selfId, handle);
    if (__tsan_acquire) __tsan_acquire(handle);
}

SWIFTCALL bool tryLockSlow(void *SWIFTSELF handle) __asm__(TRY_LOCK_SLOW);
SWIFTCALL bool tryLockSlow(void *SWIFTSELF handle) {
    static void *next;
    bool locked = ((TryLockSlow)real(&next, TRY_LOCK_SLOW))(handle);
    if (locked && __tsan_acquire) __tsan_acquire(handle);
    return locked;
}

SWIFTCALL void unlockSlow(void *SWIFTSELF handle) __asm__(UNLOCK_SLOW);
SWIFTCALL void unlockSlow(void *SWIFTSELF handle) {
    static void *next;
    UnlockSlow unlock = (UnlockSlow)real(&next, UNLOCK_SLOW);
    if (__tsan_release) __tsan_release(handle);
    unlock(handle);
}
