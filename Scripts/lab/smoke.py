"""End-to-end smoke test of the lab with Python grpcio stubs (independent of the Swift client).

Run after `Scripts/containerd-lab.sh up`:  /usr/bin/python3 Scripts/lab/smoke.py
Walks Version, RunPodSandbox (+ pod IP), PullImage open/authenticated/wrong password,
CreateContainer/StartContainer, the container log, ExecSync, Exec (URL only: nothing is sent to
it), and the full teardown. Sends nothing to any pod IP.
"""
import ipaddress
import os
import sys
import time
import uuid

import grpc

import cri_stubs


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                env[key] = value
    return env


def step(name, call):
    start = time.monotonic()
    result = call()
    print(f"  {name}: {1000 * (time.monotonic() - start):.0f} ms")
    return result


def main():
    lab = os.environ.get("CRI_LAB_DIR", "/tmp/cri-lab")
    env = read_env(os.path.join(lab, "lab.env"))
    pb, pb_grpc = cri_stubs.load(os.path.join(lab, "pystubs"))
    ch = grpc.insecure_channel(env["CRI_LAB_ENDPOINT"])
    rt, im = pb_grpc.RuntimeServiceStub(ch), pb_grpc.ImageServiceStub(ch)
    T = 60

    v = step("Version", lambda: rt.Version(pb.VersionRequest(), timeout=T))
    print(f"    {v.runtime_name} {v.runtime_version} api {v.runtime_api_version}")

    uid = uuid.uuid4().hex
    log_dir = os.path.join(env["CRI_LAB_LOG_DIR"], uid)
    os.makedirs(log_dir, exist_ok=True)
    pod_config = pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name="smoke", uid=uid, namespace="lab", attempt=0),
        hostname="smoke", log_directory=log_dir, linux=pb.LinuxPodSandboxConfig())
    pod = step("RunPodSandbox", lambda: rt.RunPodSandbox(
        pb.RunPodSandboxRequest(config=pod_config), timeout=T)).pod_sandbox_id
    status = rt.PodSandboxStatus(pb.PodSandboxStatusRequest(pod_sandbox_id=pod), timeout=T).status
    print(f"    pod {pod[:12]} state {pb.PodSandboxState.Name(status.state)} ip {status.network.ip}")
    assert ipaddress.ip_address(status.network.ip) in ipaddress.ip_network(env["CRI_LAB_POD_SUBNET"]), status

    image = env["CRI_LAB_BUSYBOX_IMAGE"]
    ref = step("PullImage open", lambda: im.PullImage(
        pb.PullImageRequest(image=pb.ImageSpec(image=image)), timeout=T)).image_ref
    print(f"    {image} -> {ref}")
    auth_image = env["CRI_LAB_AUTH_BUSYBOX_IMAGE"]
    good = pb.AuthConfig(username=env["CRI_LAB_USER"], password=env["CRI_LAB_PASSWORD"])
    ref2 = step("PullImage auth", lambda: im.PullImage(
        pb.PullImageRequest(image=pb.ImageSpec(image=auth_image), auth=good), timeout=T)).image_ref
    print(f"    {auth_image} -> {ref2}")
    for label, auth in [("wrong password", pb.AuthConfig(username=env["CRI_LAB_USER"], password="nope")),
                        ("no credentials", None)]:
        # containerd resolves the tag at the registry on every pull, even with the image already
        # in its store, so bad credentials fail here too (401 from the manifest request).
        try:
            im.PullImage(pb.PullImageRequest(image=pb.ImageSpec(image=auth_image), auth=auth), timeout=T)
        except grpc.RpcError as e:
            print(f"  PullImage {label}: failed as expected: {e.code().name}: {e.details()[:160]}")
        else:
            raise AssertionError(f"PullImage with {label} succeeded")

    container_config = pb.ContainerConfig(
        metadata=pb.ContainerMetadata(name="hello", attempt=0), image=pb.ImageSpec(image=image),
        command=["sh", "-c", "echo hello; sleep 3600"], log_path="hello.log",
        linux=pb.LinuxContainerConfig())
    cid = step("CreateContainer", lambda: rt.CreateContainer(pb.CreateContainerRequest(
        pod_sandbox_id=pod, config=container_config, sandbox_config=pod_config), timeout=T)).container_id
    step("StartContainer", lambda: rt.StartContainer(pb.StartContainerRequest(container_id=cid), timeout=T))
    r = step("ExecSync", lambda: rt.ExecSync(pb.ExecSyncRequest(container_id=cid, cmd=["echo", "hi"], timeout=10),
                                            timeout=T))
    print(f"    exit {r.exit_code} stdout {r.stdout!r} stderr {r.stderr!r}")
    assert r.exit_code == 0 and r.stdout == b"hi\n", r
    r = rt.ExecSync(pb.ExecSyncRequest(container_id=cid, cmd=["sh", "-c", "exit 3"], timeout=10), timeout=T)
    assert r.exit_code == 3, r
    # Applet links and the pod's own view of itself (nothing leaves the pod).
    r = rt.ExecSync(pb.ExecSyncRequest(container_id=cid, timeout=10, cmd=[
        "sh", "-c", "hostname; ip -4 -o addr show eth0 | grep -c inet; seq 3 | wc -l; cat /etc/hostname"]),
        timeout=T)
    assert r.exit_code == 0 and r.stdout == b"smoke\n1\n3\nsmoke\n", r
    tags = {t for i in im.ListImages(pb.ListImagesRequest(), timeout=T).images for t in i.repo_tags}
    assert {env["CRI_LAB_PAUSE_IMAGE"], image, auth_image} <= tags, tags
    url = step("Exec", lambda: rt.Exec(pb.ExecRequest(container_id=cid, cmd=["sh"], stdin=True, stdout=True),
                                      timeout=T)).url
    print(f"    url {url}")
    assert url.startswith("http://127.0.0.1:"), url
    with open(os.path.join(log_dir, "hello.log")) as f:
        line = f.readline().rstrip("\n")
    print(f"    log line {line!r}")
    assert line.endswith(" stdout F hello"), line
    cs = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=cid), timeout=T).status
    assert cs.state == pb.CONTAINER_RUNNING, cs

    step("StopContainer", lambda: rt.StopContainer(pb.StopContainerRequest(container_id=cid, timeout=5), timeout=T))
    cs = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=cid), timeout=T).status
    print(f"    container state {pb.ContainerState.Name(cs.state)} exit {cs.exit_code}")
    step("RemoveContainer", lambda: rt.RemoveContainer(pb.RemoveContainerRequest(container_id=cid), timeout=T))
    step("StopPodSandbox", lambda: rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=pod), timeout=T))
    step("RemovePodSandbox", lambda: rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=pod), timeout=T))
    assert not rt.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=T).items
    print("smoke: ok")


if __name__ == "__main__":
    sys.exit(main())
