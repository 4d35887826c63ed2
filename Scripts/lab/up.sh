# shellcheck shell=bash disable=SC2154
# Sourced by Scripts/containerd-lab.sh, which sets LAB, SOCK, PORT, ... ; not run on its own.
#
# `up`: packages, registries, images, containerd; every step skips what is already done.

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Without a package list apt cannot find anything; refresh once, only when installing. The
    # lock timeout waits out another apt/dpkg run (other sessions share this machine).
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" \
        >"$LAB/apt.log" 2>&1 ||
        { cat "$LAB/apt.log" >&2; die "apt-get install failed"; }
}

start_registry() { # PORT [auth]
    local port=$1 dir=$LAB/registry/$1 pid
    mkdir -p "$dir/data"
    render "$FILES/registry.yml.in" "$dir/config.yml" "DATA=$dir/data" "PORT=$port"
    if [ "${2:-}" = auth ]; then
        # Debian's registry accepts htpasswd auth over plain HTTP (upstream docs only advise TLS);
        # only bcrypt entries are accepted, hence -B.
        [ -f "$LAB/registry/htpasswd" ] ||
            htpasswd -Bbn "$LAB_USER" "$LAB_PASSWORD" >"$LAB/registry/htpasswd"
        printf 'auth:\n  htpasswd:\n    realm: cri-lab\n    path: %s\n' \
            "$LAB/registry/htpasswd" >>"$dir/config.yml"
    fi
    pid=$(pid_of "registry-$port" "$dir/config.yml")
    if [ -z "$pid" ]; then
        port_busy "$port" && die "port $port is taken by something else (ss -ltnp 'sport = :$port')"
        # The Debian binary is /usr/bin/docker-registry; `serve CONFIG`, no default config needed.
        pid=$(start_daemon "registry-$port" "$dir/registry.log" \
            /usr/bin/docker-registry serve "$dir/config.yml")
        log "registry $port started (pid $pid)"
    fi
    "$PY" "$FILES/labctl.py" wait-http "http://127.0.0.1:$port/v2/" --timeout 30 --pid "$pid"
}

build_image() { # TAG then umoci config flags
    local tag=$1 oci=$LAB/oci bundle=$LAB/oci-bundle a
    shift
    rm -rf "$bundle"
    umoci new --image "$oci:$tag"
    umoci unpack --image "$oci:$tag" "$bundle" >/dev/null
    mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/etc" "$bundle/rootfs/tmp" "$bundle/rootfs/root"
    # busybox-static's /bin/busybox needs no libraries, so the rootfs is just this one file.
    install -m 0755 /bin/busybox "$bundle/rootfs/bin/busybox"
    if [ "$tag" = busybox ]; then
        for a in "${APPLETS[@]}"; do ln -s busybox "$bundle/rootfs/bin/$a"; done
    fi
    umoci repack --image "$oci:$tag" "$bundle" >/dev/null
    umoci config --image "$oci:$tag" \
        --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$@"
    rm -rf "$bundle"
}

build_images() {
    [ -f "$LAB/oci/.built" ] && return 0
    rm -rf "$LAB/oci"
    umoci init --layout "$LAB/oci"
    # The sandbox ("pause") image: PID 1 of each pod. A shell without a trap would ignore SIGTERM
    # as PID 1 in its PID namespace, so StopPodSandbox would wait out its timeout; `sleep` runs
    # as `busybox sleep` because the rootfs has no applet links.
    build_image pause \
        --config.entrypoint=/bin/busybox --config.entrypoint=sh --config.entrypoint=-c \
        "--config.entrypoint=trap 'exit 0' TERM INT; while true; do /bin/busybox sleep 3600 & wait \$!; done"
    build_image busybox --config.cmd=sh
    touch "$LAB/oci/.built"
}

push_images() { # copies are skipped once the registry's own storage says they were pushed
    local mark=$LAB/registry/$PORT/data/.pushed auth_mark=$LAB/registry/$AUTH_PORT/data/.pushed
    # --insecure-policy: no /etc/containers/policy.json needed (a Recommends we don't install).
    if [ ! -f "$mark" ]; then
        skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$LAB/oci:pause" "docker://$PAUSE_IMAGE"
        skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$LAB/oci:busybox" "docker://$BUSYBOX_IMAGE"
        touch "$mark"
    fi
    if [ ! -f "$auth_mark" ]; then
        skopeo --insecure-policy copy -q --dest-tls-verify=false \
            --dest-creds "$LAB_USER:$LAB_PASSWORD" "oci:$LAB/oci:busybox" "docker://$AUTH_BUSYBOX_IMAGE"
        touch "$auth_mark"
    fi
}

write_containerd_config() {
    local r
    mkdir -p "$LAB/cni/net.d" "$LAB/cni/ipam" "$LAB/pods"
    render "$FILES/cni.conflist.in" "$LAB/cni/net.d/10-cri-lab.conflist" \
        "LAB=$LAB" "BRIDGE=$BRIDGE" "SUBNET=$SUBNET"
    for r in "$REGISTRY" "$AUTH_REGISTRY"; do
        mkdir -p "$LAB/certs.d/$r"
        render "$FILES/hosts.toml.in" "$LAB/certs.d/$r/hosts.toml" "REGISTRY=$r"
    done
    render "$FILES/containerd.toml.in" "$LAB/containerd.toml" "LAB=$LAB" "PAUSE_IMAGE=$PAUSE_IMAGE"
}

start_containerd() {
    local pid
    pid=$(pid_of containerd "$LAB/containerd.toml")
    if [ -n "$pid" ] && "$PY" "$FILES/labctl.py" wait-cri "$ENDPOINT" --timeout 5 --pid "$pid" >/dev/null; then
        return 0
    fi
    # Not running (or wedged): start from a clean root so no stale shim, mount or sandbox from an
    # earlier run confuses the new daemon.
    clean_containerd
    write_containerd_config
    [ -f "$LAB/containerd.log" ] && mv "$LAB/containerd.log" "$LAB/containerd.log.previous"
    pid=$(start_daemon containerd "$LAB/containerd.log" /usr/bin/containerd --config "$LAB/containerd.toml")
    log "containerd started (pid $pid)"
    "$PY" "$FILES/labctl.py" wait-cri "$ENDPOINT" --timeout 60 --pid "$pid" >&2 ||
        { tail -20 "$LAB/containerd.log" >&2; die "containerd did not answer CRI Version (log: $LAB/containerd.log)"; }
    # containerd pulls sandbox_image on the first RunPodSandbox if missing; pulling it now keeps
    # that first call fast and the image list stable for tests.
    "$PY" "$FILES/labctl.py" pull "$ENDPOINT" "$PAUSE_IMAGE" >&2
}

write_env() {
    cat >"$LAB/lab.env.tmp" <<EOF
# Written by Scripts/containerd-lab.sh up; shell- and dotenv-compatible (KEY=VALUE, no quotes).
CRI_LAB_DIR=$LAB
CRI_LAB_ENDPOINT=$ENDPOINT
CRI_LAB_SOCKET=$SOCK
CRI_LAB_REGISTRY=$REGISTRY
CRI_LAB_AUTH_REGISTRY=$AUTH_REGISTRY
CRI_LAB_USER=$LAB_USER
CRI_LAB_PASSWORD=$LAB_PASSWORD
CRI_LAB_PAUSE_IMAGE=$PAUSE_IMAGE
CRI_LAB_BUSYBOX_IMAGE=$BUSYBOX_IMAGE
CRI_LAB_AUTH_BUSYBOX_IMAGE=$AUTH_BUSYBOX_IMAGE
CRI_LAB_POD_SUBNET=$SUBNET
# A parent for pod log_directory values (containerd creates the per-pod directory itself).
CRI_LAB_LOG_DIR=$LAB/pods
EOF
    mv "$LAB/lab.env.tmp" "$LAB/lab.env"
}

up() {
    local start=$SECONDS
    if [ -d "$LAB" ] && [ ! -f "$MARKER" ] && [ -n "$(ls -A "$LAB")" ]; then
        die "$LAB exists and was not made by this script; choose another CRI_LAB_DIR"
    fi
    mkdir -p "$LAB/run" "$LAB/registry"
    touch "$MARKER"
    install_packages
    # Stubs first: a missing proto (Protos/cri/runtime/v1/api.proto or $CRI_LAB_PROTO) stops here.
    "$PY" "$FILES/labctl.py" stubs
    start_registry "$PORT"
    start_registry "$AUTH_PORT" auth
    build_images
    push_images
    start_containerd
    write_env
    log "up in $((SECONDS - start))s; env: $LAB/lab.env"
    echo "$ENDPOINT"
}
