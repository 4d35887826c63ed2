"""Drives a CRI runtime through the everyday workflow with grpcio (the gRPC C core) and stubs
generated from Protos/cri/runtime/v1/api.proto, so our gRPC server is checked against a client
we did not write.

    /usr/bin/python3 cri_workflow.py unix:/tmp/fake-cri-xxxx/cri.sock --stubs /tmp/stubs-dir

Prints one JSON line per step ({"step": "...", "ok": true, ...}) and stops at the first failure
with {"step": "...", "ok": false, "error": "..."} and exit status 1. Expects a fresh FakeRuntime
with a delay of several seconds injected into the next ContainerStats call, whose exec'd
`sleep 30` really waits (unless the call is cancelled).
"""
import argparse
import json
import os
import queue
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(REPO, "Scripts", "lab"))

import grpc  # noqa: E402

import cri_stubs  # noqa: E402

# Generous per-call limit: a stuck server fails the step instead of hanging the test.
TIMEOUT = 10
IMAGE = "docker.io/library/busybox:1.36"


class StepFailed(Exception):
    pass


def report(step, **fields):
    print(json.dumps({"step": step, "ok": True, **fields}), flush=True)


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def expect_status(code, call):
    """Runs `call`, which must fail with gRPC status `code`; returns (details, seconds taken)."""
    start = time.monotonic()
    try:
        call()
    except grpc.RpcError as error:
        elapsed = time.monotonic() - start
        check(error.code() == code, f"expected {code.name}, got {error.code().name}: {error.details()}")
        return error.details(), elapsed
    raise StepFailed(f"expected {code.name}, but the call succeeded")


class Workflow:
    def __init__(self, target, pb, pb_grpc):
        self.pb = pb
        self.target = target
        self.channel = grpc.insecure_channel(target)
        self.runtime = pb_grpc.RuntimeServiceStub(self.channel)
        self.images = pb_grpc.ImageServiceStub(self.channel)
        self.pb_grpc = pb_grpc
        self.step = "connect"

    def run(self):
        pb, rt, im = self.pb, self.runtime, self.images

        self.step = "Version"
        version = rt.Version(pb.VersionRequest(version="v1"), timeout=TIMEOUT)
        check(version.runtime_api_version == "v1", f"runtime_api_version {version.runtime_api_version!r}")
        check(version.runtime_name != "", "empty runtime_name")
        report("Version", runtime_name=version.runtime_name, runtime_version=version.runtime_version)

        self.step = "Status"
        status = rt.Status(pb.StatusRequest(verbose=False), timeout=TIMEOUT).status
        conditions = {c.type: c.status for c in status.conditions}
        check(conditions.get("RuntimeReady") is True, f"conditions {conditions}")
        check(conditions.get("NetworkReady") is True, f"conditions {conditions}")
        report("Status", conditions=conditions)

        self.step = "RunPodSandbox"
        pod_config = pb.PodSandboxConfig(
            metadata=pb.PodSandboxMetadata(name="grpcio-pod", uid="grpcio-uid-1", namespace="interop", attempt=1),
            hostname="grpcio-pod", labels={"app": "interop"}, linux=pb.LinuxPodSandboxConfig())
        pod_id = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=pod_config), timeout=TIMEOUT).pod_sandbox_id
        check(len(pod_id) == 64, f"pod ID {pod_id!r}")
        report("RunPodSandbox", pod_id=pod_id)

        self.step = "PullImage"
        image_ref = im.PullImage(pb.PullImageRequest(image=pb.ImageSpec(image=IMAGE)), timeout=TIMEOUT).image_ref
        check(image_ref.startswith("sha256:"), f"image_ref {image_ref!r}")
        report("PullImage", image_ref=image_ref)

        self.step = "ImageStatus"
        image = im.ImageStatus(pb.ImageStatusRequest(image=pb.ImageSpec(image=IMAGE)), timeout=TIMEOUT).image
        check(image.id == image_ref, f"image id {image.id!r}, pulled {image_ref!r}")
        check(IMAGE in image.repo_tags, f"repo_tags {list(image.repo_tags)}")
        check(image.size > 0, f"size {image.size}")
        report("ImageStatus", repo_tags=list(image.repo_tags), size=image.size)

        self.step = "CreateContainer"
        container_config = pb.ContainerConfig(
            metadata=pb.ContainerMetadata(name="grpcio-app", attempt=0),
            image=pb.ImageSpec(image=IMAGE), command=["sh", "-c", "echo started; sleep 3600"],
            envs=[pb.KeyValue(key="GREETING", value=b"hello")], labels={"tier": "backend"})
        container_id = rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod_id, config=container_config, sandbox_config=pod_config), timeout=TIMEOUT).container_id
        check(len(container_id) == 64, f"container ID {container_id!r}")
        report("CreateContainer", container_id=container_id)

        self.step = "StartContainer"
        rt.StartContainer(pb.StartContainerRequest(container_id=container_id), timeout=TIMEOUT)
        report("StartContainer", container_id=container_id)

        self.step = "ExecSync"
        result = rt.ExecSync(pb.ExecSyncRequest(
            container_id=container_id, cmd=["sh", "-c", "echo hello from grpcio; echo oops >&2; exit 3"],
            timeout=5), timeout=TIMEOUT)
        check(result.stdout == b"hello from grpcio\n", f"stdout {result.stdout!r}")
        check(result.stderr == b"oops\n", f"stderr {result.stderr!r}")
        check(result.exit_code == 3, f"exit_code {result.exit_code}")
        report("ExecSync", stdout=result.stdout.decode(), exit_code=result.exit_code)

        self.step = "Exec"
        url = rt.Exec(pb.ExecRequest(
            container_id=container_id, cmd=["sh"], stdin=True, stdout=True, tty=True), timeout=TIMEOUT).url
        check(url != "" and url.startswith("http://127.0.0.1"), f"url {url!r}")
        report("Exec", url=url)

        self.step = "ListContainers"
        containers = rt.ListContainers(pb.ListContainersRequest(), timeout=TIMEOUT).containers
        check([c.id for c in containers] == [container_id], f"containers {[c.id for c in containers]}")
        check(containers[0].state == pb.CONTAINER_RUNNING,
              f"state {pb.ContainerState.Name(containers[0].state)}")
        check(containers[0].pod_sandbox_id == pod_id, f"pod_sandbox_id {containers[0].pod_sandbox_id!r}")
        report("ListContainers", ids=[c.id for c in containers], state=pb.ContainerState.Name(containers[0].state))

        self.step = "ListPodSandbox"
        pods = rt.ListPodSandbox(pb.ListPodSandboxRequest(
            filter=pb.PodSandboxFilter(label_selector={"app": "interop"})), timeout=TIMEOUT).items
        check([p.id for p in pods] == [pod_id], f"pods {[p.id for p in pods]}")
        check(pods[0].state == pb.SANDBOX_READY, f"state {pb.PodSandboxState.Name(pods[0].state)}")
        check(pods[0].metadata.name == "grpcio-pod", f"metadata {pods[0].metadata}")
        report("ListPodSandbox", ids=[p.id for p in pods])

        self.step = "ContainerStatus"
        cstatus = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=container_id), timeout=TIMEOUT).status
        check(cstatus.id == container_id, f"id {cstatus.id!r}")
        check(cstatus.state == pb.CONTAINER_RUNNING, f"state {pb.ContainerState.Name(cstatus.state)}")
        check(cstatus.metadata.name == "grpcio-app", f"metadata {cstatus.metadata}")
        check(cstatus.image_ref == image_ref, f"image_ref {cstatus.image_ref!r}")
        check(cstatus.started_at > 0, f"started_at {cstatus.started_at}")
        report("ContainerStatus", state=pb.ContainerState.Name(cstatus.state))

        self.step = "ContainerStatus unknown ID"
        details, _ = expect_status(grpc.StatusCode.NOT_FOUND, lambda: rt.ContainerStatus(
            pb.ContainerStatusRequest(container_id="0" * 64), timeout=TIMEOUT))
        report("ContainerStatus unknown ID", code="NOT_FOUND", details=details)

        self.step = "ContainerStats deadline"
        details, elapsed = expect_status(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: rt.ContainerStats(
            pb.ContainerStatsRequest(container_id=container_id), timeout=0.1))
        check(elapsed < 2, f"the 100 ms deadline took {elapsed:.2f} s")
        report("ContainerStats deadline", code="DEADLINE_EXCEEDED", seconds=round(elapsed, 3))

        # The runtime's command handler sleeps for the full 30 s unless the server cancels it
        # when grpcio's grpc-timeout passes or grpcio resets the stream; the Swift side checks.
        self.step = "ExecSync deadline"
        details, elapsed = expect_status(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: rt.ExecSync(
            pb.ExecSyncRequest(container_id=container_id, cmd=["sleep", "30"]), timeout=0.1))
        check(elapsed < 2, f"the 100 ms deadline took {elapsed:.2f} s")
        report("ExecSync deadline", code="DEADLINE_EXCEEDED", seconds=round(elapsed, 3))

        self.step = "StreamContainers"
        responses = list(rt.StreamContainers(pb.StreamContainersRequest(), timeout=TIMEOUT))
        streamed = [c.id for r in responses for c in r.containers]
        check(streamed == [container_id], f"streamed {streamed} in {len(responses)} messages")
        report("StreamContainers", messages=len(responses), ids=streamed)

        self.step = "GetContainerEvents"
        self.container_events(pod_id, pod_config)

        self.step = "StopContainer"
        rt.StopContainer(pb.StopContainerRequest(container_id=container_id, timeout=10), timeout=TIMEOUT)
        cstatus = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=container_id), timeout=TIMEOUT).status
        check(cstatus.state == pb.CONTAINER_EXITED, f"state {pb.ContainerState.Name(cstatus.state)}")
        report("StopContainer", state=pb.ContainerState.Name(cstatus.state), exit_code=cstatus.exit_code)

        self.step = "RemoveContainer"
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=container_id), timeout=TIMEOUT)
        left = rt.ListContainers(pb.ListContainersRequest(), timeout=TIMEOUT).containers
        check(len(left) == 0, f"containers left {[c.id for c in left]}")
        report("RemoveContainer")

        self.step = "StopPodSandbox"
        rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=pod_id), timeout=TIMEOUT)
        report("StopPodSandbox")

        self.step = "RemovePodSandbox"
        rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=pod_id), timeout=TIMEOUT)
        pods = rt.ListPodSandbox(pb.ListPodSandboxRequest(), timeout=TIMEOUT).items
        check(len(pods) == 0, f"pods left {[p.id for p in pods]}")
        report("RemovePodSandbox")

        self.step = "ListImages"
        images = im.ListImages(pb.ListImagesRequest(), timeout=TIMEOUT).images
        check([i.id for i in images] == [image_ref], f"images {[i.id for i in images]}")
        report("ListImages", ids=[i.id for i in images])

        self.step = "RemoveImage"
        im.RemoveImage(pb.RemoveImageRequest(image=pb.ImageSpec(image=image_ref)), timeout=TIMEOUT)
        images = im.ListImages(pb.ListImagesRequest(), timeout=TIMEOUT).images
        check(len(images) == 0, f"images left {[i.id for i in images]}")
        report("RemoveImage")

        self.channel.close()
        report("done")

    def container_events(self, pod_id, pod_config):
        """Opens GetContainerEvents on a second connection, starts a container through the first
        until an event arrives, reads it and cancels the stream.

        The server subscribes the stream to the runtime only after it has read the request, and
        nothing on the wire says when that happened; an event emitted before then is (rightly)
        not delivered. So the trigger is repeated, each time with a fresh container, until one
        arrives; the first attempt almost always suffices.
        """
        pb, rt = self.pb, self.runtime
        # A local subchannel pool: grpcio would otherwise share the first channel's connection.
        events_channel = grpc.insecure_channel(self.target, options=[("grpc.use_local_subchannel_pool", 1)])
        grpc.channel_ready_future(events_channel).result(timeout=TIMEOUT)
        stream = self.pb_grpc.RuntimeServiceStub(events_channel).GetContainerEvents(
            pb.GetEventsRequest(), timeout=60)
        received = queue.Queue()

        def read():
            try:
                for event in stream:
                    received.put(event)
            except grpc.RpcError as error:
                received.put(error)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        event = None
        probes = []
        for attempt in range(5):
            config = pb.ContainerConfig(
                metadata=pb.ContainerMetadata(name="events-probe", attempt=attempt),
                image=pb.ImageSpec(image=IMAGE), command=["sleep", "3600"])
            probe = rt.CreateContainer(pb.CreateContainerRequest(
                pod_sandbox_id=pod_id, config=config, sandbox_config=pod_config), timeout=TIMEOUT).container_id
            probes.append(probe)
            rt.StartContainer(pb.StartContainerRequest(container_id=probe), timeout=TIMEOUT)
            try:
                event = received.get(timeout=2)
                break
            except queue.Empty:
                continue
        check(event is not None, f"no event after starting {len(probes)} containers")
        check(not isinstance(event, grpc.RpcError),
              f"the event stream failed: {getattr(event, 'code', lambda: '?')()}: {getattr(event, 'details', lambda: '')()}")
        check(event.container_id in probes, f"event for {event.container_id!r}, probes {probes}")
        check(event.created_at > 0, f"created_at {event.created_at}")
        check(event.pod_sandbox_status.id == pod_id, f"pod_sandbox_status.id {event.pod_sandbox_status.id!r}")
        check(len(event.containers_statuses) == 1, f"{len(event.containers_statuses)} container statuses")
        stream.cancel()
        reader.join(timeout=TIMEOUT)
        check(not reader.is_alive(), "the event stream did not end after cancel()")
        check(stream.code() == grpc.StatusCode.CANCELLED, f"stream ended with {stream.code()}")
        events_channel.close()
        for probe in probes:
            rt.StopContainer(pb.StopContainerRequest(container_id=probe, timeout=0), timeout=TIMEOUT)
            rt.RemoveContainer(pb.RemoveContainerRequest(container_id=probe), timeout=TIMEOUT)
        report("GetContainerEvents", attempts=len(probes),
               event_type=pb.ContainerEventType.Name(event.container_event_type), container_id=event.container_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="grpcio target, e.g. unix:/tmp/fake-cri-xxxx/cri.sock")
    parser.add_argument("--stubs", required=True, help="directory for the generated stubs")
    arguments = parser.parse_args()
    step = "stubs"
    try:
        pb, pb_grpc = cri_stubs.load(arguments.stubs)
        report("stubs", directory=arguments.stubs, grpcio=grpc.__version__)
        workflow = Workflow(arguments.target, pb, pb_grpc)
        try:
            workflow.run()
        finally:
            step = workflow.step
    except grpc.RpcError as error:
        print(json.dumps({"step": step, "ok": False,
                          "error": f"{error.code().name}: {error.details()}"}), flush=True)
        return 1
    except (StepFailed, Exception, SystemExit) as error:
        print(json.dumps({"step": step, "ok": False, "error": f"{type(error).__name__}: {error}"}), flush=True)
        if not isinstance(error, StepFailed):
            traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
