"""Builds and imports grpcio stubs for the CRI v1 proto (runtime.v1) with Debian's protoc.

Used only by the containerd lab scripts (readiness check, pod cleanup, smoke test); the Swift
client never depends on it. grpc_tools is not packaged by Debian, so the stubs come from
`protoc --python_out` plus `protoc --grpc_out` with /usr/bin/grpc_python_plugin.
"""
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_PROTO = os.path.join(REPO, "Protos", "cri", "runtime", "v1", "api.proto")
GRPC_PLUGIN = "/usr/bin/grpc_python_plugin"


def load(out_dir, proto=None):
    """Returns (api_pb2, api_pb2_grpc), regenerating them in out_dir when the proto is newer."""
    proto = proto or os.environ.get("CRI_LAB_PROTO") or DEFAULT_PROTO
    if not os.path.isfile(proto):
        raise SystemExit(f"cri_stubs: no CRI proto at {proto} (set CRI_LAB_PROTO)")
    os.makedirs(out_dir, exist_ok=True)
    generated = os.path.join(out_dir, "api_pb2_grpc.py")
    if not os.path.exists(generated) or os.path.getmtime(generated) < os.path.getmtime(proto):
        with open(proto, encoding="utf-8") as f:
            text = f.read()
        # Debian 12's protoc (3.21) predates the `debug_redact` field option and rejects it.
        text = re.sub(r"\s*\[\s*debug_redact\s*=\s*true\s*\]", "", text)
        with open(os.path.join(out_dir, "api.proto"), "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run(
            ["protoc", f"-I{out_dir}", f"--python_out={out_dir}", f"--grpc_out={out_dir}",
             f"--plugin=protoc-gen-grpc={GRPC_PLUGIN}", os.path.join(out_dir, "api.proto")],
            check=True)
    if out_dir not in sys.path:
        sys.path.insert(0, out_dir)
    import api_pb2  # noqa: E402  (generated above)
    import api_pb2_grpc  # noqa: E402
    return api_pb2, api_pb2_grpc
