#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/Corpus/<target>/ (a few valid inputs per target, framed the way each
fuzz target reads its input). Run from anywhere: python3 Fuzz/make-corpus.py"""
import os, re, struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "Corpus")

# Type indices as CRIv1Schema.allMessageTypes lists them (the fuzz targets pick the type by this index).
services = open(os.path.join(ROOT, "Sources/CRIv1/Services.swift")).read()
listing = services[services.index("static let allMessageTypes"):]
listing = listing[:listing.index("\n    ]")]
TYPES = re.findall(r"(\w+)\.self", listing)
INDEX = {name: i for i, name in enumerate(TYPES)}


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def ld(field, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def vi(field, value):
    return varint(field << 3) + varint(value)


# protobuf: the checked-in binary fixtures plus a few hand-made messages.
fixtures = os.path.join(ROOT, "Tests/CRIv1Tests/Fixtures")
for file in sorted(os.listdir(fixtures)):
    if file.endswith(".binpb"):
        name = file[: -len(".binpb")]
        if name in INDEX:
            write("fuzz-protobuf", name, bytes([INDEX[name]]) + open(os.path.join(fixtures, file), "rb").read())
write("fuzz-protobuf", "VersionRequest", bytes([INDEX["VersionRequest"]]) + ld(1, "v1"))
write("fuzz-protobuf", "VersionResponse",
      bytes([INDEX["VersionResponse"]]) + ld(1, "0.1.0") + ld(2, "containerd") + ld(3, "v2.0.0") + ld(4, "v1"))
write("fuzz-protobuf", "Int64Value-negative", bytes([INDEX["Int64Value"]]) + vi(1, (1 << 64) - 5))
write("fuzz-protobuf", "PodSandboxMetadata-unknown",
      bytes([INDEX["PodSandboxMetadata"]]) + ld(1, "nginx") + ld(2, "uid") + ld(3, "default") + vi(4, 1)
      + vi(99, 7) + bytes([0x9D, 0x06]) + b"\x01\x02\x03\x04")

# JSON: type index, flags byte (bit 0 rejects unknown keys), JSON text.
def js(name, flags, text):
    write("fuzz-json", f"{name}-{flags}", bytes([INDEX[name], flags]) + text.encode())
js("VersionRequest", 0, '{"version":"v1"}')
js("VersionResponse", 1, '{"version":"0.1.0","runtimeName":"containerd","runtime_version":"v2","runtimeApiVersion":"v1"}')
js("PodSandboxMetadata", 0, '{"name":"nginx","uid":"abc","namespace":"default","attempt":1,"extra":[1,{"a":null}]}')
js("Int64Value", 0, '{"value":"-9223372036854775808"}')
js("PortMapping", 0, '{"protocol":"UDP","containerPort":53,"hostPort":5353,"hostIp":"127.0.0.1"}')
js("Mount", 0, '{"containerPath":"/data","hostPath":"/var/data","readonly":true,"propagation":2,'
   '"uidMappings":[{"hostId":1000,"containerId":0,"length":65536}]}')
js("PodSandboxConfig", 0, '{"metadata":{"name":"p","uid":"u","namespace":"n"},"hostname":"h","logDirectory":"/l",'
   '"labels":{"app":"x","a\\u00e9":"\\ud83d\\ude00"},"annotations":{},"portMappings":[],"linux":{"cgroupParent":"/k"}}')
js("ContainerFilter", 1, '{"id":"c1","state":{"state":"CONTAINER_RUNNING"},"labelSelector":{"k":"v"}}')
js("ExecSyncResponse", 0, '{"stdout":"aGVsbG8=","stderr":"","exitCode":0}')
js("LinuxContainerResources", 0, '{"cpuPeriod":"100000","cpuQuota":50000,"memoryLimitInBytes":1e6,'
   '"hugepageLimits":[{"pageSize":"2MB","limit":"0"}],"unified":{"memory.high":"max"}}')

# CRI log lines.
write("fuzz-logline", "full", "2016-10-06T00:17:09.669794202Z stdout F log content 1\n")
write("fuzz-logline", "partial", "2016-10-06T00:17:10.113242941Z stderr P partial ")
write("fuzz-logline", "offset", "2024-02-29T23:59:59.999999999+05:30 stdout F \xe2\x9c\x93 done")
write("fuzz-logline", "empty", "2016-10-06T00:17:09Z stderr F ")

# HPACK: blocks each prefixed by a one-byte length (RFC 7541 C.3 and C.4, C.5/C.6-style literals).
c3 = [bytes.fromhex("828684410f7777772e6578616d706c652e636f6d"),
      bytes.fromhex("828684be58086e6f2d6361636865"),
      bytes.fromhex("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565")]
c4 = [bytes.fromhex("828684418cf1e3c2e5f23a6ba0ab90f4ff"),
      bytes.fromhex("828684be5886a8eb10649cbf"),
      bytes.fromhex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")]
frame = lambda blocks: b"".join(bytes([len(b)]) + b for b in blocks)
write("fuzz-hpack", "rfc7541-c3", frame(c3))
write("fuzz-hpack", "rfc7541-c4-huffman", frame(c4))
write("fuzz-hpack", "table-size-update", frame([bytes.fromhex("3fe11f") + c3[0], bytes.fromhex("20") + c3[0]]))
write("fuzz-hpack", "grpc-response",
      frame([bytes.fromhex("88") + b"\x0f\x10\x10application/grpc", b"\x00\x0bgrpc-status\x010\x00\x0cgrpc-message\x02ok"]))

# HTTP/2 frames: first byte = preface flag (bit 7) + chunk size (bits 0-6).
def h2(ftype, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload
preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
settings = h2(4, 0, 0, struct.pack(">HI", 1, 4096) + struct.pack(">HI", 4, 65535) + struct.pack(">HI", 5, 16384))
grpc_message = b"\x00\x00\x00\x00\x04" + ld(1, "v1")[:4]
request = (h2(1, 4, 1, c3[0]) + h2(0, 1, 1, grpc_message))
write("fuzz-http2-frames", "server-side", bytes([0x80]) + preface + settings + h2(4, 1, 0, b"") + request)
write("fuzz-http2-frames", "server-side-bytewise", bytes([0x81]) + preface + settings + request)
write("fuzz-http2-frames", "client-side",
      bytes([0x07]) + settings + h2(8, 0, 0, struct.pack(">I", 1 << 20)) + h2(6, 0, 0, b"12345678")
      + h2(1, 0, 1, c4[0][:5]) + h2(9, 4, 1, c4[0][5:]) + h2(0, 8, 1, b"\x03abc\x00\x00\x00")
      + h2(3, 0, 1, struct.pack(">I", 8)) + h2(7, 0, 0, struct.pack(">II", 1, 0) + b"bye"))
write("fuzz-http2-frames", "priority-padded-headers",
      bytes([0x00]) + h2(1, 0x2C, 3, b"\x02" + struct.pack(">IB", 0x80000001, 15) + c3[1] + b"\x00\x00")
      + h2(2, 0, 3, struct.pack(">IB", 1, 200)) + h2(5, 4, 3, struct.pack(">I", 2) + c3[2]))

# gRPC client: first byte = chunk size; then what a server sends on a connection whose stream 1 is a unary call.
response_headers = b"\x88" + b"\x0f\x10\x10application/grpc"          # :status 200, content-type
trailers_ok = b"\x00\x0bgrpc-status\x010"
server_settings = h2(4, 0, 0, struct.pack(">HI", 3, 100) + struct.pack(">HI", 4, 1 << 20))
answer = b"\x00\x00\x00\x00\x04" + ld(1, "v1")[:4]
write("fuzz-grpc-client", "unary-ok",
      bytes([0x00]) + server_settings + h2(4, 1, 0, b"") + h2(1, 4, 1, response_headers)
      + h2(0, 0, 1, answer) + h2(1, 5, 1, trailers_ok))
write("fuzz-grpc-client", "unary-ok-split-continuation-bytewise",
      bytes([0x01]) + server_settings + h2(1, 0, 1, response_headers[:3]) + h2(9, 4, 1, response_headers[3:])
      + h2(0, 8, 1, b"\x02" + answer + b"\x00\x00") + h2(8, 0, 1, struct.pack(">I", 100))
      + h2(6, 0, 0, b"pingpong") + h2(1, 5, 1, trailers_ok))
write("fuzz-grpc-client", "trailers-only-not-found",
      bytes([0x05]) + server_settings
      + h2(1, 5, 1, response_headers + b"\x00\x0bgrpc-status\x015\x00\x0cgrpc-message\x0dno%20such%20pod"))
write("fuzz-grpc-client", "goaway-and-reset",
      bytes([0x00]) + server_settings + h2(7, 0, 0, struct.pack(">II", 1, 0) + b"draining")
      + h2(1, 4, 1, response_headers) + h2(3, 0, 1, struct.pack(">I", 8)))

# gRPC deframer: DATA payloads each prefixed by a one-byte length.
msg = lambda body: b"\x00" + struct.pack(">I", len(body)) + body
write("fuzz-grpc-deframer", "one-message", frame([msg(ld(1, "v1"))]))
write("fuzz-grpc-deframer", "two-in-one", frame([msg(b"abc") + msg(b"")]))
write("fuzz-grpc-deframer", "split", frame([msg(b"hello world")[:3], msg(b"hello world")[3:9], msg(b"hello world")[9:]]))

# WebSocket: first byte = server side (bit 7) + chunk size; then frames.
def ws(opcode, payload, fin=True, mask=None):
    head = bytes([(0x80 if fin else 0) | opcode])
    m = 0x80 if mask else 0
    n = len(payload)
    if n < 126:
        head += bytes([m | n])
    elif n < 65536:
        head += bytes([m | 126]) + struct.pack(">H", n)
    else:
        head += bytes([m | 127]) + struct.pack(">Q", n)
    if mask:
        head += mask
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + payload
k = b"\x37\xfa\x21\x3d"
write("fuzz-websocket", "client-reads", bytes([0x00]) + ws(2, b"\x01hello") + ws(9, b"p") + ws(1, b"h\xc3\xa9", fin=False)
      + ws(0, b"llo") + ws(8, struct.pack(">H", 1000) + b"done"))
write("fuzz-websocket", "server-reads", bytes([0x83]) + ws(2, b"\x00ls -l\n", mask=k) + ws(10, b"", mask=k)
      + ws(2, bytes(300), mask=k) + ws(8, b"", mask=k))
write("fuzz-websocket", "bytewise-long", bytes([0x01]) + ws(2, bytes(range(256)) * 2) + ws(8, struct.pack(">H", 1011)))

# Streaming HTTP heads and URLs.
write("fuzz-streaming-http", "switching-protocols",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n")
write("fuzz-streaming-http", "request",
      "GET /exec/abc123 HTTP/1.1\r\nHost: 127.0.0.1:10010\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
write("fuzz-streaming-http", "url", "http://127.0.0.1:10010/exec/Zm9vYmFy?x=1")
write("fuzz-streaming-http", "url-relative", "/attach/token")
write("fuzz-streaming-http", "url-ipv6", "https://[::1]:443/portforward/abc")

# Endpoints.
for name, text in [("unix", "unix:///run/containerd/containerd.sock"), ("bare-path", "/var/run/crio/crio.sock"),
                   ("tcp", "tcp://127.0.0.1:1234"), ("tcp6", "tcp://[::1]:1234"),
                   ("npipe", "npipe:////./pipe/containerd-containerd"), ("relative", "unix://relative.sock")]:
    write("fuzz-endpoint", name, text)

# SPDY/3.1 frames and zlib streams: from the goldens Scripts/make-spdy-goldens.py writes with Python's zlib.
import json
goldens = json.load(open(os.path.join(ROOT, "Tests/CRIStreamingTests/Fixtures/spdy-goldens.json")))
wire = b"".join(bytes.fromhex(stream["wire"]) for stream in goldens["spdyStreams"])
write("fuzz-spdy-frames", "mixed-frames-whole", bytes([0]) + wire[:3000])
write("fuzz-spdy-frames", "mixed-frames-by-7", bytes([7]) + wire[:3000])
write("fuzz-spdy-frames", "mixed-frames-bytewise", bytes([1]) + wire[:600])
write("fuzz-spdy-frames", "ping-goaway", bytes([3]) + struct.pack(">HHII", 0x8003, 6, 4, 7)
      + struct.pack(">HHIII", 0x8003, 7, 8, 5, 0))
for name in ("spdy-header-blocks", "short-level6", "short-fixed", "runs", "level0", "empty"):
    stream = next(s for s in goldens["zlibStreams"] if s["name"] == name)
    data = b"".join(bytes.fromhex(chunk) for chunk in stream["chunks"])[:4000]
    write("fuzz-inflate", name, bytes([(0x80 if stream["dictionary"] else 0) | (len(name) % 13)]) + data)
