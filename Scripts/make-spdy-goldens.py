#!/usr/bin/env python3
"""Writes Tests/CRIStreamingTests/Fixtures/spdy-goldens.json: zlib streams and SPDY/3.1 frames made with
Python's zlib (the C zlib Go's peers interoperate with), not with our own deflater, for the inflater and frame
decoder tests.

    Scripts/make-spdy-goldens.py           rewrite the fixture
    Scripts/make-spdy-goldens.py --check   regenerate in memory; fail if the committed fixture differs

Every input is generated here from a fixed seed, so the fixture only changes when this script (or the zlib
library's output) does. Outputs are recorded as length + SHA-1 so large plaintexts stay out of the file.
"""
import hashlib
import json
import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "Tests/CRIStreamingTests/Fixtures/spdy-goldens.json")
DICTIONARY_SOURCE = os.path.join(ROOT, "Sources/CRIStreaming/SPDY/SPDYDictionary.swift")


def spdy_dictionary():
    """The SPDY/3 dictionary as our Swift source spells it, checked against its published length and Adler-32."""
    import re
    text = open(DICTIONARY_SOURCE).read()
    start = text.index("bytes: [UInt8] = [") + len("bytes: [UInt8] = [")
    body = text[start : text.index("\n    ]", start)]
    data = bytes(int(h, 16) for h in re.findall(r"0x([0-9a-fA-F]{2})", re.sub(r"//[^\n]*", "", body)))
    assert len(data) == 1423 and zlib.adler32(data) == 0xE3C6A7C2, "SPDYDictionary.swift is not the SPDY/3 dictionary"
    return data


class Lcg:
    """A fixed pseudo-random sequence (Python's `random` could change between versions)."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) % bound


WORDS = ("container pod sandbox image runtime exec attach stdin stdout stderr tty resize port forward stream "
         "kubelet containerd crictl namespace cgroup mount volume network annotation label status ready running "
         "exited created unknown the a of to and in is for on with").split()


def text(size, seed):
    rng = Lcg(seed)
    out = bytearray()
    while len(out) < size:
        out += WORDS[rng.next(len(WORDS))].encode()
        out += b" " if rng.next(9) else b".\n"
        if rng.next(50) == 0:
            out += bytes(rng.next(256) for _ in range(rng.next(40)))
    return bytes(out[:size])


def skewed(size, seed):
    """Symbol i appears about twice as often as symbol i+1: dynamic codes up to 15 bits long."""
    rng = Lcg(seed)
    out = bytearray()
    for _ in range(size):
        symbol = 0
        while symbol < 40 and rng.next(2):
            symbol += 1
        out.append((symbol * 37) % 256)
    return bytes(out)


def digest(data):
    return {"count": len(data), "sha1": hashlib.sha1(data).hexdigest()}


def whole_stream(name, data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY, zdict=None, wbits=15, mem=8):
    args = {} if zdict is None else {"zdict": zdict}
    compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, mem, strategy, **args)
    stream = compressor.compress(data) + compressor.flush(zlib.Z_FINISH)
    return {"name": name, "dictionary": zdict is not None, "finished": True,
            "chunks": [stream.hex()], "outputs": [digest(data)]}


def flushed_stream(name, pieces, level=6, zdict=None):
    """One stream, each piece compressed and sync-flushed on its own, never finished: the SPDY header shape."""
    args = {} if zdict is None else {"zdict": zdict}
    compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY, **args)
    chunks = [(compressor.compress(piece) + compressor.flush(zlib.Z_SYNC_FLUSH)).hex() for piece in pieces]
    return {"name": name, "dictionary": zdict is not None, "finished": False,
            "chunks": chunks, "outputs": [digest(piece) for piece in pieces]}


def zlib_vectors(dictionary):
    sample = text(6000, 1)
    big = text(70_000, 2)
    vectors = [whole_stream("level%d" % level, sample, level=level) for level in (0, 1, 6, 9)]
    vectors += [whole_stream("dictionary-level%d" % level, sample, level=level, zdict=dictionary) for level in (1, 6, 9)]
    vectors.append(whole_stream("fixed", sample, strategy=zlib.Z_FIXED))
    vectors.append(whole_stream("huffman-only", sample, strategy=zlib.Z_HUFFMAN_ONLY))
    vectors.append(whole_stream("rle", sample, strategy=zlib.Z_RLE))
    vectors.append(whole_stream("empty", b""))
    # Short ones, for the tests that inflate once per split point.
    vectors.append(whole_stream("short-level6", text(1200, 8)))
    vectors.append(whole_stream("short-dictionary-level9", text(1200, 9), level=9, zdict=dictionary))
    vectors.append(whole_stream("short-fixed", text(600, 10), strategy=zlib.Z_FIXED))
    vectors.append(whole_stream("runs", b"a" * 1000 + b"ab" * 700 + b"abc" * 300, level=9))
    vectors.append(whole_stream("skewed-long-codes", skewed(20_000, 3), strategy=zlib.Z_HUFFMAN_ONLY))
    vectors.append(whole_stream("big-level0", big, level=0))
    vectors.append(whole_stream("big-level6", big, level=6))
    vectors.append(whole_stream("small-window", sample, wbits=9, mem=1))
    # Header blocks as a SPDY peer sends them: the dictionary, one sync-flushed chunk per block.
    blocks = [header_block(headers) for headers in SAMPLE_HEADERS]
    vectors.append(flushed_stream("spdy-header-blocks", blocks, zdict=dictionary))
    vectors.append(flushed_stream("flushed-text", [text(3000, seed) for seed in range(10, 16)], level=9))
    vectors.append(flushed_stream("flushed-level0", [sample[:2000], sample[2000:4000], b""], level=0))
    return vectors


SAMPLE_HEADERS = [
    [("streamtype", "error"), ("port", "8080"), ("requestid", "0")],
    [("streamtype", "stdin"), ("port", "8080"), ("requestid", "0")],
    [("streamtype", "stdout")],
    [(":status", "200 OK"), ("x-stream-protocol-version", "v4.channel.k8s.io")],
    [("multi", "one\x00two\x00three"), ("empty", ""), ("content-type", "text/plain")],
]


def header_block(headers):
    out = struct.pack(">I", len(headers))
    for name, value in headers:
        for field in (name.encode(), value.encode()):
            out += struct.pack(">I", len(field)) + field
    return out


class FrameWriter:
    """SPDY/3 frames laid out by hand (draft-mbelshe-httpbis-spdy-00 § 2.2, 2.6), header blocks with zlib."""

    def __init__(self, dictionary):
        self.compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, 15, 8,
                                           zlib.Z_DEFAULT_STRATEGY, zdict=dictionary)
        self.wire = b""
        self.frames = []

    def control(self, kind, flags, payload):
        self.wire += struct.pack(">HHI", 0x8000 | 3, kind, flags << 24 | len(payload)) + payload

    def block(self, headers):
        return self.compressor.compress(header_block(headers)) + self.compressor.flush(zlib.Z_SYNC_FLUSH)

    def syn_stream(self, stream_id, associated, priority, fin, unidirectional, headers):
        flags = (1 if fin else 0) | (2 if unidirectional else 0)
        self.control(1, flags, struct.pack(">IIBB", stream_id, associated, priority << 5, 0) + self.block(headers))
        self.frames.append({"type": "synStream", "streamID": stream_id, "associatedTo": associated,
                            "priority": priority, "fin": fin, "unidirectional": unidirectional,
                            "headers": headers})

    def syn_reply(self, stream_id, fin, headers, kind=2, name="synReply"):
        self.control(kind, 1 if fin else 0, struct.pack(">I", stream_id) + self.block(headers))
        self.frames.append({"type": name, "streamID": stream_id, "fin": fin, "headers": headers})

    def headers(self, stream_id, fin, headers):
        self.syn_reply(stream_id, fin, headers, kind=8, name="headers")

    def rst_stream(self, stream_id, status):
        self.control(3, 0, struct.pack(">II", stream_id, status))
        self.frames.append({"type": "rstStream", "streamID": stream_id, "status": status})

    def settings(self, clear, entries):
        payload = struct.pack(">I", len(entries))
        for flags, ident, value in entries:
            payload += struct.pack(">II", flags << 24 | ident, value)
        self.control(4, 1 if clear else 0, payload)
        self.frames.append({"type": "settings", "clearPrevious": clear,
                            "settings": [{"id": i, "flags": f, "value": v} for f, i, v in entries]})

    def ping(self, ident):
        self.control(6, 0, struct.pack(">I", ident))
        self.frames.append({"type": "ping", "id": ident})

    def go_away(self, last, status):
        self.control(7, 0, struct.pack(">II", last, status))
        self.frames.append({"type": "goAway", "lastGoodStreamID": last, "status": status})

    def window_update(self, stream_id, delta):
        self.control(9, 0, struct.pack(">II", stream_id, delta))
        self.frames.append({"type": "windowUpdate", "streamID": stream_id, "delta": delta})

    def data(self, stream_id, fin, payload):
        self.wire += struct.pack(">II", stream_id, (1 if fin else 0) << 24 | len(payload)) + payload
        self.frames.append({"type": "data", "streamID": stream_id, "fin": fin, "payload": payload.hex()})

    def unknown(self, kind, payload):
        """A control frame type the draft does not define (or SPDY/2's NOOP): the decoder skips it."""
        self.control(kind, 0, payload)


def frame_vectors(dictionary):
    writer = FrameWriter(dictionary)
    writer.settings(False, [(0, 4, 100), (0, 7, 65536)])
    writer.syn_stream(1, 0, 0, False, False, SAMPLE_HEADERS[0])
    writer.syn_stream(3, 0, 2, False, False, SAMPLE_HEADERS[1])
    writer.syn_stream(5, 0, 7, True, True, SAMPLE_HEADERS[2])
    writer.syn_reply(2, False, SAMPLE_HEADERS[3])
    writer.unknown(5, b"")
    writer.headers(3, True, SAMPLE_HEADERS[4])
    writer.data(3, False, b"hello\n")
    writer.data(3, True, b"")
    writer.unknown(0x0A, b"credential slot!")
    writer.unknown(0x1234, bytes(range(200)))
    writer.window_update(0, 0x7FFF0000)
    writer.window_update(3, 65536)
    writer.ping(1)
    writer.ping(0xFFFFFFFE)
    writer.rst_stream(5, 5)
    writer.settings(True, [(1, 7, 0x7FFFFFFF)])
    writer.go_away(7, 0)
    # Larger frames, continuing the same header stream: a data frame and a header block of several kilobytes.
    large = FrameWriter(dictionary)
    large.compressor = writer.compressor
    large.data(1, False, text(5000, 4))
    large.syn_reply(7, True, [("big", text(3000, 5).decode("latin-1").encode("ascii", "replace").decode())])
    large.headers(7, False, SAMPLE_HEADERS[0])
    return [{"name": "mixed-frames", "wire": writer.wire.hex(), "frames": writer.frames},
            {"name": "large-frames", "wire": large.wire.hex(), "frames": large.frames}]


def bombs(dictionary):
    """Header bombs: a few hundred bytes that inflate to 1 MiB."""
    zeros = bytes(1 << 20)
    spdy = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=dictionary)
    block = spdy.compress(zeros) + spdy.flush(zlib.Z_SYNC_FLUSH)
    return {"spdyBlock": block.hex(), "plain": zlib.compress(zeros, 9).hex()}


def render():
    dictionary = spdy_dictionary()
    document = {
        "generator": "Scripts/make-spdy-goldens.py",
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
        "dictionaryAdler32": "%08x" % zlib.adler32(dictionary),
        "zlibStreams": zlib_vectors(dictionary),
        "spdyStreams": frame_vectors(dictionary),
        "bombs": bombs(dictionary),
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main():
    rendered = render()
    if sys.argv[1:] == ["--check"]:
        current = open(FIXTURE).read() if os.path.exists(FIXTURE) else ""
        if current != rendered:
            print("make-spdy-goldens: %s is stale; run Scripts/make-spdy-goldens.py" % FIXTURE, file=sys.stderr)
            sys.exit(1)
        return
    if sys.argv[1:]:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(FIXTURE, "w") as handle:
        handle.write(rendered)


if __name__ == "__main__":
    main()
