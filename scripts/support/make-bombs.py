#!/usr/bin/env python3
"""Writes the resource-exhaustion files of issue 20 (class 5) into DIR.

    make-bombs.py DIR [--sections N] [--bomb-mb M]

xref-entries.pdf        a chain of N cross-reference streams, each declaring
                        8 million entries (/Size, /Index, /W [1 0 0]) from a
                        few KB of compressed zeros (default N = 4; 12 made
                        segel 0.3 abort under a 6 GB cap)
xref-stream-bomb.pdf    an xref stream whose FlateDecode data inflates to M MB
object-stream-bomb.pdf  the catalog inside an object stream that inflates to M MB
bomb.deflate            the raw zlib data (M MB of zeros), for tests that put
                        it elsewhere (after a genuine signature, say)
"""
import argparse
import os
import zlib


def deflate_zeros(megabytes):
    compressor = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    return b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()


def xref_entries(sections):
    entries = 8_000_000
    data = zlib.compress(bytes(entries), 9)
    out = bytearray(b"%PDF-1.7\n")
    previous = None
    for number in range(1, sections + 1):
        offset = len(out)
        prev = f" /Prev {previous}" if previous is not None else ""
        out += (f"{number} 0 obj\n<< /Type /XRef /Size {entries} /Index [0 {entries}] /W [1 0 0] "
                f"/Root 1 0 R /Filter /FlateDecode /Length {len(data)}{prev} >>\nstream\n").encode()
        out += data + b"\nendstream\nendobj\n"
        previous = offset
    out += f"startxref\n{previous}\n%%EOF\n".encode()
    return bytes(out)


def xref_stream_bomb(bomb):
    out = bytearray(b"%PDF-1.7\n")
    offset = len(out)
    out += (f"1 0 obj\n<< /Type /XRef /Size 2 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode "
            f"/Length {len(bomb)} >>\nstream\n").encode()
    out += bomb + f"\nendstream\nendobj\nstartxref\n{offset}\n%%EOF\n".encode()
    return bytes(out)


def object_stream_bomb(bomb):
    out = bytearray(b"%PDF-1.7\n")
    stream_offset = len(out)
    out += (f"2 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {len(bomb)} >>\n"
            "stream\n").encode()
    out += bomb + b"\nendstream\nendobj\n"
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n0000000002 00000 n \n"
    out += f"{stream_offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--sections", type=int, default=4)
    parser.add_argument("--bomb-mb", type=int, default=320)
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    bomb = deflate_zeros(args.bomb_mb)
    files = {
        "xref-entries.pdf": xref_entries(args.sections),
        "xref-stream-bomb.pdf": xref_stream_bomb(bomb),
        "object-stream-bomb.pdf": object_stream_bomb(bomb),
        "bomb.deflate": bomb,
    }
    for name, data in files.items():
        with open(os.path.join(args.directory, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
