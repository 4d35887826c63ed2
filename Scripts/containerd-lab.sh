#!/usr/bin/env bash
# A real containerd (Debian 12's 1.6) with its CRI plugin, two local registries and local images,
# for end-to-end tests of the Swift CRI client. Needs root; uses Debian packages only and pulls
# nothing from the internet (images are built from busybox-static with umoci).
#
#   Scripts/containerd-lab.sh up      install what is missing, start everything, write $LAB/lab.env
#   Scripts/containerd-lab.sh down    stop everything up started and remove every trace of it
#   Scripts/containerd-lab.sh status  say what is running; exit 0 only if all three daemons answer
#   Scripts/containerd-lab.sh restart-containerd
#                                     stop containerd (SIGTERM) if it runs and start it again on the
#                                     same root and state, leaving shims, pods and registries running
#                                     (as a package upgrade does); returns once CRI answers again.
#   Scripts/containerd-lab.sh stop-containerd
#                                     only the stop half (pods and shims stay); for client tests of
#                                     a runtime that is down. `restart-containerd` brings it back.
#
# `up` prints the endpoint (unix:///tmp/cri-lab/containerd.sock) on stdout, progress on stderr.
# All three are idempotent; `down` also cleans up after a crashed containerd or a failed test run.
# Python helpers and the smoke test: Scripts/lab/ (`/usr/bin/python3 Scripts/lab/smoke.py`).
# Settings: CRI_LAB_DIR, CRI_LAB_REGISTRY_PORT (5000), CRI_LAB_AUTH_REGISTRY_PORT (5001),
# CRI_LAB_BRIDGE (cni-lab0), CRI_LAB_SUBNET (10.88.77.0/24), CRI_LAB_PROTO (the CRI api.proto;
# default Protos/cri/runtime/v1/api.proto). Two labs can run at once with all of them distinct.
# The lab dir holds containerd's root, state, sockets, runc state, CNI config/IPAM, registry
# storage, images and logs; tests read $CRI_LAB_DIR/lab.env (CRI_LAB_ENDPOINT, ...). Only a lock
# file, $CRI_LAB_DIR.lock, stays behind after `down`.
#
# Network rule: the CNI bridge gets no address (isGateway=false), so the host has no route to the
# pod subnet and nothing here can send traffic to a pod IP; registries listen on 127.0.0.1 only.
#
# Facts found building it (containerd 1.6.20~ds1, runc 1.1.5, Debian 12, this sandbox's kernel):
# - RunPodSandbox needs restrict_oom_score_adj = true here (no CAP_SYS_RESOURCE); without it runc
#   fails with "can't get final child's PID from pipe: EOF" (verified both ways).
# - registry.config_path + certs.d/HOST:PORT/hosts.toml with server = "http://..." makes both
#   registries plain HTTP; the deprecated registry.mirrors table was not needed.
# - containerd resolves the tag at the registry on every PullImage, so a wrong or missing
#   password fails with 401 (gRPC UNKNOWN) even when the image is already in its store.
# - sandbox_image is pulled on demand by the first RunPodSandbox; `up` pre-pulls it through CRI.
# - "io.containerd.runtime.v1.linux" cannot be disabled in 1.6: the tasks service and then the
#   CRI plugin fail to load, and every CRI call answers UNIMPLEMENTED.
# - Daemons here are reparented to PID 1, which reaps about once a second; `down` waits for that.
# - Pod netns, sandbox /dev/shm and container rootfs mounts all land under $LAB/state; runc's
#   state under $LAB/runc; cgroups at /sys/fs/cgroup/CONTROLLER/k8s.io/ID (cgroup v1 here);
#   libcni's result cache in /var/lib/cni/results (not configurable in 1.6's CRI config).
# - The one path outside $LAB: shim sockets, /run/containerd/s/sha256("$SOCK/k8s.io/SANDBOX_ID")
#   (fixed in 1.6); a SIGKILLed shim leaves its socket, so `down` removes them by the task's
#   address file.
# - Debian puts CNI plugins in /usr/lib/cni and names the registry binary docker-registry.
set -euo pipefail

LAB=${CRI_LAB_DIR:-/tmp/cri-lab}
LAB=${LAB%/}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FILES=$HERE/lab
PY=/usr/bin/python3
PORT=${CRI_LAB_REGISTRY_PORT:-5000}
AUTH_PORT=${CRI_LAB_AUTH_REGISTRY_PORT:-5001}
BRIDGE=${CRI_LAB_BRIDGE:-cni-lab0}
SUBNET=${CRI_LAB_SUBNET:-10.88.77.0/24}
NETWORK=cri-lab # the conflist's "name"; libcni caches results as /var/lib/cni/results/NAME-*
LAB_USER=criuser  # test-only credentials of the loopback registry on $AUTH_PORT
LAB_PASSWORD=cripass
SOCK=$LAB/containerd.sock
ENDPOINT=unix://$SOCK
REGISTRY=127.0.0.1:$PORT
AUTH_REGISTRY=127.0.0.1:$AUTH_PORT
PAUSE_IMAGE=$REGISTRY/pause:latest
BUSYBOX_IMAGE=$REGISTRY/busybox:latest
AUTH_BUSYBOX_IMAGE=$AUTH_REGISTRY/busybox:latest
PACKAGES=(containerd runc containernetworking-plugins busybox-static umoci skopeo docker-registry
    apache2-utils iproute2 python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc)
# Applets linked into the busybox image (as /bin/NAME -> busybox).
APPLETS=(sh echo cat sleep wget httpd ip hostname env ls printf seq true false id ps mkdir rm
    touch test grep head tail wc kill date uname pwd)

export CRI_LAB_STUBS=$LAB/pystubs

log() { echo "containerd-lab: $*" >&2; }
die() { log "$*"; exit 1; }

# `down` ends in `rm -rf $LAB`: only for an absolute path that `up` created (it holds MARKER).
case $LAB in
    /*/*) ;;
    *) die "CRI_LAB_DIR must be an absolute path at least two levels deep (got '$LAB')" ;;
esac
MARKER=$LAB/.containerd-lab
[[ $LAB =~ ^[A-Za-z0-9/._-]+$ ]] || die "CRI_LAB_DIR may only hold [A-Za-z0-9/._-] (got '$LAB')"

# shellcheck source=SCRIPTDIR/lab/processes.sh
. "$FILES/processes.sh"
# shellcheck source=SCRIPTDIR/lab/up.sh
. "$FILES/up.sh"
# shellcheck source=SCRIPTDIR/lab/down.sh
. "$FILES/down.sh"

# ---------------------------------------------------------------------------------------------
# status

status() {
    local pid port up=0
    pid=$(pid_of containerd "$LAB/containerd.toml")
    if [ -n "$pid" ]; then
        local version
        if version=$("$PY" "$FILES/labctl.py" wait-cri "$ENDPOINT" --timeout 2 --pid "$pid" 2>&1); then
            echo "containerd: running (pid $pid), CRI $version at $ENDPOINT"
            up=$((up + 1))
        else
            echo "containerd: pid $pid but CRI not answering: $version"
        fi
    else
        echo "containerd: not running"
    fi
    for port in "$PORT" "$AUTH_PORT"; do
        pid=$(pid_of "registry-$port" "$LAB/registry/$port/config.yml")
        if [ -n "$pid" ]; then
            echo "registry 127.0.0.1:$port: running (pid $pid)"
            up=$((up + 1))
        else
            echo "registry 127.0.0.1:$port: not running"
        fi
    done
    echo "mounts under $LAB: $(lab_mounts | wc -l); lab processes: $(lab_processes | wc -l)"
    [ -f "$LAB/lab.env" ] && echo "env file: $LAB/lab.env"
    [ "$up" -eq 3 ]
}

# ---------------------------------------------------------------------------------------------
# restart-containerd

close_inherited_fds() { # A test process runs restart-containerd; its pipes (any fd above 2 but
                        # our lock, 9) must not reach the new daemon, or the test runner would
                        # wait on them for as long as containerd lives.
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ] && [ "$fd" -ne 9 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

stop_containerd() {
    local pid
    [ -f "$MARKER" ] || die "no lab at $LAB (run '$0 up' first)"
    pid=$(pid_of containerd "$LAB/containerd.toml")
    if [ -n "$pid" ]; then stop_pid "$pid" containerd 10; fi
    log "containerd stopped"
}

restart_containerd() {
    local pid
    close_inherited_fds
    stop_containerd
    # Unlike `up`, no clean_containerd: the point is a runtime that comes back with its pods.
    pid=$(start_daemon containerd "$LAB/containerd.log" /usr/bin/containerd --config "$LAB/containerd.toml")
    log "containerd restarted (pid $pid)"
    "$PY" "$FILES/labctl.py" wait-cri "$ENDPOINT" --timeout 60 --pid "$pid" >&2 ||
        { tail -20 "$LAB/containerd.log" >&2; die "containerd did not answer CRI Version after the restart"; }
}

# ---------------------------------------------------------------------------------------------

[ "$(id -u)" -eq 0 ] || die "needs root (containerd, mounts, network namespaces)"
command=${1:-}
case $command in
    up|down|status) ;;
    restart-containerd|stop-containerd) command=${command/-/_} ;;
    *) echo "usage: $0 up|down|status|restart-containerd|stop-containerd   (lab dir: \$CRI_LAB_DIR, default /tmp/cri-lab)" >&2; exit 2 ;;
esac
# One lab operation at a time (the lock file sits beside the lab dir, which `down` removes).
exec 9>"$LAB.lock"
flock -w 300 9 || die "another containerd-lab.sh holds $LAB.lock"
"$command"
