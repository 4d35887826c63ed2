"""grpcio scenarios at the edges of our gRPC server, beyond the everyday workflow.

    cri_server_edges.py concurrent  unix:/path/cri.sock --stubs DIR [--calls N] [--rounds R]
        N concurrent ExecSync calls (each `sleep 0.01`) on one channel, R times, so that about
        SETTINGS_MAX_CONCURRENT_STREAMS (1000) calls are in flight; grpcio never opens more than
        the server allows, so every call must succeed.
    cri_server_edges.py hold-events unix:/path/cri.sock --stubs DIR
        Opens GetContainerEvents, makes sure it is live (an event arrives), prints
        {"step": "events-open"} and keeps the stream open until it ends or stdin closes; then
        prints how it ended.

One JSON line per step, as cri_workflow.py; exit status 1 on failure.
"""
import argparse
import collections
import json
import os
import queue
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import grpc  # noqa: E402

import cri_workflow  # noqa: E402  (puts Scripts/lab on sys.path for cri_stubs)
import cri_stubs  # noqa: E402

TIMEOUT = 10
IMAGE = cri_workflow.IMAGE


def report(step, ok=True, **fields):
    print(json.dumps({"step": step, "ok": ok, **fields}), flush=True)


def running_container(pb, rt, im):
    im.PullImage(pb.PullImageRequest(image=pb.ImageSpec(image=IMAGE)), timeout=TIMEOUT)
    pod_config = pb.PodSandboxConfig(metadata=pb.PodSandboxMetadata(name="edges", uid="edges-uid", namespace="interop"))
    pod_id = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=pod_config), timeout=TIMEOUT).pod_sandbox_id
    config = pb.ContainerConfig(metadata=pb.ContainerMetadata(name="edges"), image=pb.ImageSpec(image=IMAGE),
                                command=["sleep", "3600"])
    container_id = rt.CreateContainer(pb.CreateContainerRequest(
        pod_sandbox_id=pod_id, config=config, sandbox_config=pod_config), timeout=TIMEOUT).container_id
    rt.StartContainer(pb.StartContainerRequest(container_id=container_id), timeout=TIMEOUT)
    return pod_id, pod_config, container_id


def concurrent(pb, pb_grpc, target, calls, rounds):
    channel = grpc.insecure_channel(target)
    rt, im = pb_grpc.RuntimeServiceStub(channel), pb_grpc.ImageServiceStub(channel)
    _, _, container_id = running_container(pb, rt, im)
    ok = True
    for round_number in range(rounds):
        futures = [rt.ExecSync.future(pb.ExecSyncRequest(container_id=container_id, cmd=["sleep", "0.01"]),
                                      timeout=60) for _ in range(calls)]
        outcomes = collections.Counter()
        for future in futures:
            try:
                future.result()
                outcomes["OK"] += 1
            except grpc.RpcError as error:
                outcomes[f"{error.code().name}: {error.details()}"] += 1
        round_ok = outcomes["OK"] == calls
        ok = ok and round_ok
        report("concurrent", ok=round_ok, round=round_number, calls=calls, outcomes=dict(outcomes))
    channel.close()
    return ok


def hold_events(pb, pb_grpc, target):
    channel = grpc.insecure_channel(target)
    rt, im = pb_grpc.RuntimeServiceStub(channel), pb_grpc.ImageServiceStub(channel)
    pod_id, pod_config, _ = running_container(pb, rt, im)
    stream = rt.GetContainerEvents(pb.GetEventsRequest())
    events = queue.Queue()
    ended = threading.Event()
    outcome = {}

    def read():
        try:
            for event in stream:
                events.put(event)
            outcome["how"] = "OK"
        except grpc.RpcError as error:
            outcome["how"] = f"{error.code().name}: {error.details()}"
        ended.set()

    def wait_for_stdin():
        sys.stdin.read()
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    # As in cri_workflow.py: nothing on the wire says when the server has subscribed the stream,
    # so new containers are made until an event arrives.
    for attempt in range(5):
        config = pb.ContainerConfig(metadata=pb.ContainerMetadata(name="events-probe", attempt=attempt),
                                    image=pb.ImageSpec(image=IMAGE), command=["sleep", "3600"])
        rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod_id, config=config, sandbox_config=pod_config), timeout=TIMEOUT)
        try:
            events.get(timeout=2)
            break
        except queue.Empty:
            continue
    else:
        report("events-open", ok=False, error="no event arrived")
        return False
    report("events-open")
    threading.Thread(target=wait_for_stdin, daemon=True).start()
    ended.wait()
    report("events-ended", stream_ended="how" in outcome, how=outcome.get("how"))
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["concurrent", "hold-events"])
    parser.add_argument("target")
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    arguments = parser.parse_args()
    try:
        pb, pb_grpc = cri_stubs.load(arguments.stubs)
        if arguments.mode == "concurrent":
            ok = concurrent(pb, pb_grpc, arguments.target, arguments.calls, arguments.rounds)
        else:
            ok = hold_events(pb, pb_grpc, arguments.target)
    except grpc.RpcError as error:
        report(arguments.mode, ok=False, error=f"{error.code().name}: {error.details()}")
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
