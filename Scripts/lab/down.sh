# shellcheck shell=bash disable=SC2154
# Sourced by Scripts/containerd-lab.sh, which sets LAB, SOCK, PORT, ... ; not run on its own.
#
# `down` and the leftovers it hunts: containerd, shims, container processes, mounts, CNI state.

lab_mounts() { # mount points at or under $LAB, deepest first (mountinfo field 5; no escapes
               # are possible since $LAB is restricted to [A-Za-z0-9/._-])
    awk -v lab="$LAB" '$5 == lab || index($5, lab "/") == 1 { print $5 }' /proc/self/mountinfo |
        awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2-
}

lab_task_ids() { # IDs of every container/sandbox task containerd or runc has state for
    local d
    for d in "$LAB"/state/io.containerd.runtime.v2.task/*/*/ "$LAB"/runc/*/*/; do
        [ -d "$d" ] && basename "$d"
    done | sort -u
}

lab_task_cgroups() { # cgroup dirs named after our tasks. With the cgroupfs driver runc uses
                     # /sys/fs/cgroup/CONTROLLER/PARENT/ID, PARENT being the pod's cgroup_parent
                     # or else the CRI namespace (k8s.io); searched by name to cover both.
    local ids=() id
    for id in $(lab_task_ids); do ids+=(-o -name "$id"); done
    [ ${#ids[@]} -eq 0 ] && return 0
    find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d \( -false "${ids[@]}" \) -prune 2>/dev/null
}

lab_processes() { # PIDs of shims serving our socket and of processes in our tasks' cgroups
    local cg pid
    {
        # containerd-shim-runc-v2 ... -address $SOCK (cmdline arguments are NUL-separated)
        grep -lzxF -- "$SOCK" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
        # Container processes: /proc/PID/root cannot tell them (it reads "/" from outside their
        # mount namespace), their cgroup can.
        for cg in $(lab_task_cgroups); do cat "$cg/cgroup.procs" 2>/dev/null; done
    } | sort -un | while read -r pid; do
        # Killed processes stay listed (cgroup v1) as zombies until PID 1 reaps them.
        if alive "$pid"; then echo "$pid"; fi
    done
}

lab_sandbox_ids() { # sandbox IDs containerd's CRI plugin knows of, from its own directories
    local d
    for d in "$LAB"/root/io.containerd.grpc.v1.cri/sandboxes/*/ "$LAB"/state/io.containerd.grpc.v1.cri/sandboxes/*/; do
        [ -d "$d" ] && basename "$d"
    done | sort -u
}

clean_containerd() { # everything containerd and its shims left; safe when nothing is there
    local pid pids root id i d m mounts f a cgroups
    # Listed before CRI or runc remove them, so their now empty parents can go at the end.
    cgroups=$(lab_task_cgroups)
    pid=$(pid_of containerd "$LAB/containerd.toml")
    if [ -n "$pid" ]; then
        # Graceful first: CRI tears pods down properly (CNI DEL releases IPs and veths).
        timeout 30 "$PY" "$FILES/labctl.py" remove-pods "$ENDPOINT" >&2 ||
            log "CRI pod cleanup failed; killing leftovers by hand"
        stop_pid "$pid" containerd 10
    fi
    rm -f "$LAB/run/containerd.pid"
    # Containers still alive (e.g. after a failed test run): runc --force kills them and removes
    # their cgroups. runc's root is $LAB/runc/NAMESPACE (runtime option Root in the config).
    for root in "$LAB"/runc/*/; do
        [ -d "$root" ] || continue
        for id in $(runc --root "$root" list -q 2>/dev/null); do
            runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true
        done
    done
    # Repeated: a shell loop in a container may fork between listing and killing.
    for ((i = 0; i < 50; i++)); do
        pids=$(lab_processes)
        [ -z "$pids" ] && break
        for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
        sleep 0.1
    done
    [ -z "$(lab_processes)" ] || die "processes survived SIGKILL: $(lab_processes | tr '\n' ' ')"
    # Each shim listens on /run/containerd/s/HASH (fixed in 1.6, outside $LAB; HASH is sha256 of
    # "$SOCK/NAMESPACE/SANDBOX_ID"), recorded in the task's address file. A shim removes it on a
    # clean exit, not when SIGKILLed as above.
    for f in "$LAB"/state/io.containerd.runtime.v2.task/*/*/address; do
        [ -f "$f" ] || continue
        a=$(cat "$f")
        a=${a#unix://}
        case $a in /run/containerd/s/*) rm -f "$a" ;; esac
    done
    rmdir /run/containerd/s /run/containerd 2>/dev/null || true # only if empty (nobody else's)
    # Overlay rootfs, sandbox /dev/shm and pinned netns (nsfs, netns_mounts_under_state_dir)
    # mounts. Lazy unmount (-l) so a busy mount cannot fail it; repeated in case a pass leaves one.
    for ((i = 0; i < 5; i++)); do
        mounts=$(lab_mounts)
        [ -z "$mounts" ] && break
        while read -r m; do umount -l "$m" 2>/dev/null || true; done <<<"$mounts"
    done
    [ -z "$(lab_mounts)" ] || die "mounts left under $LAB: $(lab_mounts | tr '\n' ' ')"
    # Veths die with their netns; the bridge and libcni's result cache (/var/lib/cni/results,
    # not configurable through containerd 1.6's CRI config) outlive them. The cache has one
    # NETWORK-ID-eth0 and one cni-loopback-ID-lo file per sandbox.
    if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link delete "$BRIDGE"; fi
    rm -f /var/lib/cni/results/"$NETWORK"-*
    for id in $(lab_sandbox_ids); do rm -f "/var/lib/cni/results/cni-loopback-$id-lo"; done
    # `runc delete` removes its cgroups; what is left came from a lost runc state. Parents (k8s.io
    # or a test's cgroup_parent) go only if empty: rmdir fails while anyone else has tasks there.
    for d in $cgroups; do
        [ -d "$d" ] && { rmdir "$d" 2>/dev/null || log "cgroup $d not removed"; }
        rmdir "${d%/*}" 2>/dev/null || true # a controller's root is a mount point: EBUSY, kept
    done
    rm -rf --one-file-system "$LAB/root" "$LAB/state" "$LAB/runc" "$LAB/tmp" "$LAB/opt" \
        "$LAB/cni/ipam" "$SOCK" "$SOCK.ttrpc"
}

down() {
    local port pid
    [ -d "$LAB" ] || { ip link delete "$BRIDGE" 2>/dev/null || true; log "nothing is up"; return 0; }
    [ -f "$MARKER" ] || die "$LAB was not made by this script (no $MARKER); not touching it"
    clean_containerd
    for port in "$PORT" "$AUTH_PORT"; do
        pid=$(pid_of "registry-$port" "$LAB/registry/$port/config.yml")
        if [ -n "$pid" ]; then stop_pid "$pid" "registry $port" 10; fi
    done
    rm -rf --one-file-system "$LAB"
    wait_reaped
    log "down"
}
