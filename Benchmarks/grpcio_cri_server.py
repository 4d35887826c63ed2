"""A grpcio (gRPC C core) CRI runtime for Scripts/bench.sh: a third server, next to our FakeCRIServer
and containerd, that both clients call in the same run.

    /usr/bin/python3 grpcio_cri_server.py ENDPOINT [--list FILE]    (ENDPOINT: unix:///path or tcp://127.0.0.1:PORT)

Serves runtime.v1.RuntimeService/Version (a fixed VersionResponse) and ListContainers (the bytes of
FILE, a serialized ListContainersResponse such as `cri-bench --mode fixture` writes; empty without
it) with raw-bytes generic handlers, as the interop
tests' grpc_peer.py does: no protoc stubs, and the server does the same work for either client.
Prints {"serving": ENDPOINT} once listening and serves until killed or stdin ends (when it is a pipe).
"""
import argparse
import json
import os
import stat
import sys
import threading
from concurrent import futures

import grpc

MIB = 1 << 20


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def string_field(number, text):
    data = text.encode("utf-8")
    return varint(number << 3 | 2) + varint(len(data)) + data


# VersionResponse: version = 1, runtime_name = 2, runtime_version = 3, runtime_api_version = 4.
VERSION = (string_field(1, "0.1.0") + string_field(2, "grpcio-bench") + string_field(3, grpc.__version__)
           + string_field(4, "v1"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("--list", help="a serialized ListContainersResponse to answer ListContainers with")
    args = parser.parse_args()
    listing = b""
    if args.list:
        with open(args.list, "rb") as f:
            listing = f.read()

    def unary(answer):
        return grpc.unary_unary_rpc_method_handler(
            lambda request, context: answer, request_deserializer=None, response_serializer=None)

    handler = grpc.method_handlers_generic_handler(
        "runtime.v1.RuntimeService", {"Version": unary(VERSION), "ListContainers": unary(listing)})
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=[("grpc.max_receive_message_length", 16 * MIB), ("grpc.max_send_message_length", 16 * MIB)])
    server.add_generic_rpc_handlers((handler,))
    endpoint = args.endpoint
    tcp = endpoint.startswith("tcp://")
    port = server.add_insecure_port(endpoint[len("tcp://"):] if tcp else endpoint)
    if port == 0:
        sys.exit(f"grpcio_cri_server: cannot listen on {endpoint}")
    server.start()
    if tcp:  # with port 0, the one it got
        endpoint = f"tcp://{endpoint[len('tcp://'):].rsplit(':', 1)[0]}:{port}"
    print(json.dumps({"serving": endpoint}), flush=True)

    mode = os.fstat(0).st_mode
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        sys.stdin.buffer.read()
    else:
        threading.Event().wait()
    server.stop(0)


if __name__ == "__main__":
    main()
