"""Small CRI/HTTP helpers for Scripts/containerd-lab.sh (run with /usr/bin/python3).

  stubs                                    build the grpcio stubs (fails early if the proto is missing)
  wait-http URL --timeout S [--pid P]      until URL answers any HTTP status (registry is serving)
  wait-cri ENDPOINT --timeout S [--pid P]  until /runtime.v1.RuntimeService/Version answers
  pull ENDPOINT IMAGE                      PullImage through CRI (pre-pulls the sandbox image)
  remove-pods ENDPOINT                     best-effort stop+remove of every container and pod

Waits poll every 0.2 s up to a bounded deadline and fail early if the watched PID exits, so a
daemon that dies at startup is reported at once instead of after the whole timeout.
"""
import argparse
import os
import sys
import time
import urllib.error
import urllib.request

import cri_stubs

POLL = 0.2


def alive(pid):
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); treat it as dead.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait(what, probe, timeout, pid, fatal=lambda error: False):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            return probe()
        except Exception as error:  # noqa: BLE001 (any failure means "not ready yet")
            if fatal(error):
                raise SystemExit(f"labctl: {what}: {error}")
            last = error
        if not alive(pid):
            raise SystemExit(f"labctl: {what}: process {pid} exited before it was ready ({last})")
        if time.monotonic() >= deadline:
            raise SystemExit(f"labctl: {what}: not ready after {timeout:g}s ({last})")
        time.sleep(POLL)


def wait_http(args):
    def probe():
        try:
            urllib.request.urlopen(args.url, timeout=1).close()
        except urllib.error.HTTPError:
            pass  # 401 from the htpasswd registry still means it is serving.
    wait(args.url, probe, args.timeout, args.pid)


def stubs(args):
    return cri_stubs.load(args.stubs)


def channel(endpoint):
    import grpc
    # grpc's C core wants unix:/abs/path or unix:///abs/path; both are accepted as given.
    return grpc.insecure_channel(endpoint)


def cri_missing(error):
    """containerd 1.6 serves gRPC only after every plugin has loaded, so UNIMPLEMENTED means the
    CRI plugin failed to load and waiting longer cannot help."""
    import grpc
    return isinstance(error, grpc.RpcError) and error.code() == grpc.StatusCode.UNIMPLEMENTED


def wait_cri(args):
    pb, pb_grpc = stubs(args)
    with channel(args.endpoint) as ch:
        runtime = pb_grpc.RuntimeServiceStub(ch)
        reply = wait("CRI Version", lambda: runtime.Version(pb.VersionRequest(), timeout=1),
                     args.timeout, args.pid, fatal=cri_missing)
    print(f"{reply.runtime_name} {reply.runtime_version} (CRI {reply.runtime_api_version})")


def pull(args):
    pb, pb_grpc = stubs(args)
    with channel(args.endpoint) as ch:
        images = pb_grpc.ImageServiceStub(ch)
        reply = images.PullImage(pb.PullImageRequest(image=pb.ImageSpec(image=args.image)),
                                 timeout=args.timeout)
    print(f"pulled {args.image} as {reply.image_ref}")


def remove_pods(args):
    pb, pb_grpc = stubs(args)
    with channel(args.endpoint) as ch:
        runtime = pb_grpc.RuntimeServiceStub(ch)
        t = args.timeout
        for c in runtime.ListContainers(pb.ListContainersRequest(), timeout=t).containers:
            runtime.StopContainer(pb.StopContainerRequest(container_id=c.id, timeout=0), timeout=t)
            runtime.RemoveContainer(pb.RemoveContainerRequest(container_id=c.id), timeout=t)
        pods = runtime.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=t).items
        for p in pods:
            runtime.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=p.id), timeout=t)
            runtime.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=p.id), timeout=t)
    print(f"removed {len(pods)} pod(s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stubs", default=os.environ.get("CRI_LAB_STUBS", "/tmp/cri-lab/pystubs"))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("stubs")
    p.set_defaults(run=stubs)
    p = sub.add_parser("wait-http")
    p.add_argument("url")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--pid", type=int)
    p.set_defaults(run=wait_http)
    p = sub.add_parser("wait-cri")
    p.add_argument("endpoint")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--pid", type=int)
    p.set_defaults(run=wait_cri)
    p = sub.add_parser("pull")
    p.add_argument("endpoint")
    p.add_argument("image")
    p.add_argument("--timeout", type=float, default=60)
    p.set_defaults(run=pull)
    p = sub.add_parser("remove-pods")
    p.add_argument("endpoint")
    p.add_argument("--timeout", type=float, default=15)
    p.set_defaults(run=remove_pods)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    sys.exit(main())
