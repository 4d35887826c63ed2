# shellcheck shell=bash disable=SC2154
# Sourced by Scripts/containerd-lab.sh, which sets LAB, SOCK, PORT, ... ; not run on its own.
#
# Daemon processes. Each daemon's PID file is checked against its command line (which names
# its lab config file), so a recycled PID is never signalled.

pid_of() { # NAME MARKER -> PID of a live daemon started by us, or nothing
    local file=$LAB/run/$1.pid pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if alive "$pid" && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$2"; then
        echo "$pid"
    fi
}

alive() { # PID -> true if it exists and is not a zombie
    local state
    state=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

stop_pid() { # PID LABEL [GRACE_SECONDS]: SIGTERM, wait, then SIGKILL after the bound
    local pid=$1 label=$2 grace=${3:-10} i
    STOPPED+=("$pid")
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    log "$label ($pid) ignored SIGTERM for ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    die "$label ($pid) survived SIGKILL"
}

STOPPED=()
wait_reaped() { # our daemons are orphans that PID 1 reaps about once a second here; wait for that
                # (bounded) so a `pgrep` right after `down` does not list their zombies.
    local i pid left
    for ((i = 0; i < 50; i++)); do
        left=
        for pid in "${STOPPED[@]}"; do [ -e "/proc/$pid" ] && left+=" $pid"; done
        [ -z "$left" ] && return 0
        sleep 0.1
    done
    log "exited but not reaped yet:$left"
}

start_daemon() { # NAME LOGFILE COMMAND... (own session, so it outlives the calling shell)
    local name=$1 logfile=$2
    shift 2
    # fd 9 (the lab lock) is closed: a daemon holding it would block every later run. A restart from
    # inside a sanitizer test run must not hand the daemon that run's preload (a temp file deleted
    # afterwards, which then breaks every shim containerd starts) or sanitizer options.
    env -u LD_PRELOAD -u TSAN_OPTIONS -u ASAN_OPTIONS -u LSAN_OPTIONS setsid "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
    echo $! >"$LAB/run/$name.pid"
    echo $!
}

port_busy() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

render() { # TEMPLATE OUTPUT KEY=VALUE...
    local template=$1 out=$2 expr=() kv
    shift 2
    for kv in "$@"; do expr+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${expr[@]}" "$template" >"$out"
}
