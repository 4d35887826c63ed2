// The python3-grpcio (gRPC C core) peer for the interop tests, kept as a Swift string so the test
// target has no unhandled resource files; the tests write it into their temporary directory.
// Run by hand: extract it, then `python3 grpc_peer.py server /tmp/x.sock`.

/// The source of `grpc_peer.py`.
let grpcPeerScript = #"""
#!/usr/bin/python3
"""gRPC C-core (python3-grpcio) peer for the CRIGRPC interop tests.

Raw-bytes generic handlers, so no protoc stubs are needed.

  grpc_peer.py server SOCKET_PATH   serve /interop.Test/* on unix:SOCKET_PATH; prints READY
  grpc_peer.py client SOCKET_PATH   call the Swift server's /test.Echo/* methods; prints one
                                    JSON line per case, then DONE
"""
import json
import sys
import threading
import time
from concurrent import futures

import grpc

MIB = 1 << 20
LIMITS = [
    ("grpc.max_receive_message_length", 16 * MIB),
    ("grpc.max_send_message_length", 64 * MIB),
]


def stream_message(index):
    return bytes([index % 256]) * (index * 100)


def echo(request, context):
    metadata = dict(context.invocation_metadata())
    if "x-text" in metadata:
        context.send_initial_metadata((("echo-text", metadata["x-text"]),))
        context.set_trailing_metadata((("echo-bin", metadata.get("x-data-bin", b"")),))
    return request


def stream(request, context):
    for index in range(request[0] if request else 0):
        yield stream_message(index)


def hang(request, context):
    deadline = time.monotonic() + 30
    while context.is_active() and time.monotonic() < deadline:
        time.sleep(0.01)
    return b""


def fail(request, context):
    context.abort(grpc.StatusCode.NOT_FOUND, request.decode("utf-8"))


def abort(request, context):
    yield b"\x01"
    yield b"\x02"
    context.abort(grpc.StatusCode.ABORTED, "stopped mid-stream")


def serve(path):
    def unary(function):
        return grpc.unary_unary_rpc_method_handler(function, request_deserializer=None, response_serializer=None)

    def streaming(function):
        return grpc.unary_stream_rpc_method_handler(function, request_deserializer=None, response_serializer=None)

    handler = grpc.method_handlers_generic_handler(
        "interop.Test",
        {
            "Echo": unary(echo),
            "Stream": streaming(stream),
            "Hang": unary(hang),
            "Fail": unary(fail),
            "Abort": streaming(abort),
        },
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64), options=LIMITS, maximum_concurrent_rpcs=None)
    server.add_generic_rpc_handlers((handler,))
    server.add_insecure_port("unix:" + path)
    server.start()
    print("READY", flush=True)
    # Exit when the test closes our stdin (or kills us).
    sys.stdin.read()
    server.stop(0)


def run_client(path):
    channel = grpc.insecure_channel("unix:" + path, options=LIMITS)
    grpc.channel_ready_future(channel).result(timeout=10)

    def unary(name):
        return channel.unary_unary("/test.Echo/" + name, request_serializer=None, response_deserializer=None)

    def streaming(name):
        return channel.unary_stream("/test.Echo/" + name, request_serializer=None, response_deserializer=None)

    results = {}

    def case(name):
        def wrap(function):
            try:
                function()
                results[name] = "ok"
            except Exception as error:  # noqa: BLE001 - report everything
                results[name] = "FAIL: %r" % (error,)
            print(json.dumps({"case": name, "result": results[name]}), flush=True)
            return function

        return wrap

    @case("unary")
    def _():
        assert unary("Unary")(b"hello", timeout=10) == b"hello"
        assert unary("Unary")(b"", timeout=10) == b""

    @case("streaming")
    def _():
        messages = list(streaming("Stream")(bytes([30]), timeout=10))
        assert len(messages) == 30, len(messages)
        assert [len(m) for m in messages] == [i * 100 for i in range(30)]

    @case("big")
    def _():
        payload = bytes(range(256)) * (15 * MIB // 256)
        assert unary("Unary")(payload, timeout=30) == payload

    @case("overlimit")
    def _():
        # The Swift server's receive limit is 16 MiB: limit + 1 is refused.
        try:
            unary("Unary")(b"\0" * (16 * MIB + 1), timeout=30)
            raise AssertionError("no error")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, error

    @case("concurrent")
    def _():
        calls = [unary("Unary").future(str(i).encode(), timeout=30) for i in range(1000)]
        for i, call in enumerate(calls):
            assert call.result() == str(i).encode()

    @case("deadline")
    def _():
        start = time.monotonic()
        try:
            unary("Hang")(b"", timeout=0.2)
            raise AssertionError("no error")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.DEADLINE_EXCEEDED, error
        assert time.monotonic() - start < 2

    @case("error")
    def _():
        message = "nicht gefunden: 100% kaputt — ü 日本 %41"
        try:
            unary("Fail")(message.encode("utf-8"), timeout=10)
            raise AssertionError("no error")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.NOT_FOUND, error
            assert error.details() == message, error.details()

    @case("metadata")
    def _():
        response, call = unary("Metadata").with_call(
            b"", timeout=10, metadata=(("x-text", "hello world"), ("x-data-bin", b"\x00\x01\x02\xfa\xff"))
        )
        initial = dict(call.initial_metadata())
        trailing = dict(call.trailing_metadata())
        assert initial.get("echo-text") == "hello world", initial
        assert trailing.get("echo-bin") == b"\x00\x01\x02\xfa\xff", trailing

    @case("abort")
    def _():
        received = []
        try:
            for message in streaming("Abort")(b"", timeout=10):
                received.append(message)
            raise AssertionError("no error")
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.ABORTED, error
            assert error.details() == "stopped mid-stream", error.details()
        assert received == [b"\x01", b"\x02"], received

    print("DONE", flush=True)
    channel.close()


if __name__ == "__main__":
    mode, socket_path = sys.argv[1], sys.argv[2]
    if mode == "server":
        serve(socket_path)
    else:
        run_client(socket_path)
"""#
