#!/usr/bin/env python3
"""An independent checker of a segel site's issuance log, written for the tests
from the texts of c2sp.org/tlog-tiles, c2sp.org/tlog-checkpoint,
c2sp.org/signed-note and RFC 6962 / RFC 9162 (not from segel's code):

    tlog-check.py SITE VKEY

Reads SITE/log/checkpoint and verifies its Ed25519 signature with VKEY
(<name>+<key ID hex>+<base64(0x01 || public key)>); reads every entry bundle
and hash tile the checkpoint's tree size requires, checks each tile against the
hashes recomputed from the entries, and recomputes the root hash; then checks
the inclusion proof (and its checkpoint's signature) in every record under
SITE/api/verify/. Prints one JSON object; exits 0 only if everything holds.
"""
import base64
import glob
import hashlib
import json
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(entry):
    return sha256(b"\x00" + entry)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def mth(hashes):
    """RFC 6962 2.1: the Merkle Tree Hash over already-hashed leaves."""
    n = len(hashes)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def parse_vkey(text):
    name, key_id, blob = text.strip().split("+", 2)
    raw = base64.b64decode(blob)
    if raw[0] != 1 or len(raw) != 33:
        raise ValueError("not an Ed25519 verifier key")
    expected = sha256(name.encode() + b"\n" + raw)[:4]
    if expected.hex() != key_id:
        raise ValueError("the verifier key's ID does not match its key")
    return name, expected, Ed25519PublicKey.from_public_bytes(raw[1:])


def verify_note(note, vkey):
    """c2sp.org/signed-note: returns (origin, size, root) of a checkpoint signed by vkey."""
    name, key_id, public = vkey
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    found = False
    for line in signatures.split("\n"):
        if not line:
            continue
        dash, signer, blob = line.split(" ")
        if dash != "\u2014":
            raise ValueError("malformed signature line")
        raw = base64.b64decode(blob)
        if signer == name and raw[:4] == key_id:
            public.verify(raw[4:], body.encode())
            found = True
    if not found:
        raise ValueError("no signature by the log key")
    lines = body.split("\n")
    return lines[0], int(lines[1]), base64.b64decode(lines[2])


def index_path(n):
    """tlog-tiles: zero-padded three-digit elements, all but the last prefixed with x."""
    groups = []
    while True:
        groups.append("%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def read(site, path):
    with open(os.path.join(site, "log", path), "rb") as f:
        return f.read()


def verify_inclusion(leaf, index, size, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def main():
    site, vkey_text = sys.argv[1], sys.argv[2]
    result = {"ok": False}
    try:
        vkey = parse_vkey(vkey_text)
        origin, size, root = verify_note(read(site, "checkpoint").decode(), vkey)
        result.update(origin=origin, size=size)
        # Entry bundles: 256 entries each, the last one partial.
        leaves = []
        for n in range((size + 255) // 256):
            width = min(256, size - n * 256)
            path = "tile/entries/" + index_path(n) + ("" if width == 256 else ".p/%d" % width)
            data = read(site, path)
            entries = []
            offset = 0
            while offset < len(data):
                length = int.from_bytes(data[offset:offset + 2], "big")
                entries.append(data[offset + 2:offset + 2 + length])
                offset += 2 + length
            if len(entries) != width:
                raise ValueError("%s holds %d entries, not %d" % (path, len(entries), width))
            leaves += [leaf_hash(e) for e in entries]
        # Hash tiles: level l holds the hashes of full tiles of level l-1 (level 0: leaf hashes).
        level_hashes = leaves
        level = 0
        tiles = 0
        while level_hashes:
            for n in range((len(level_hashes) + 255) // 256):
                chunk = level_hashes[n * 256:(n + 1) * 256]
                path = "tile/%d/%s%s" % (level, index_path(n), "" if len(chunk) == 256 else ".p/%d" % len(chunk))
                if read(site, path) != b"".join(chunk):
                    raise ValueError("%s does not hold the hashes of the entries" % path)
                tiles += 1
            level_hashes = [mth(level_hashes[i:i + 256]) for i in range(0, len(level_hashes) - 255, 256)]
            level += 1
        if mth(leaves) != root:
            raise ValueError("the root hash recomputed from the entries is not the checkpoint's")
        result.update(entries=len(leaves), tiles=tiles)
        # Every record's inclusion proof, to its own checkpoint.
        proofs = 0
        for path in glob.glob(os.path.join(site, "api", "verify", "**", "*.json"), recursive=True):
            record = json.load(open(path))
            log = record.get("log")
            if not log:
                continue
            p_origin, p_size, p_root = verify_note(log["checkpoint"], vkey)
            entry = log["entry"].encode()
            if p_origin != origin or p_size != log["tree_size"] or p_size > size:
                raise ValueError("%s: its checkpoint is not of this log" % path)
            if ("token %s\n" % record["token"]) not in log["entry"]:
                raise ValueError("%s: the entry names another document" % path)
            if not isinstance(log["index"], int) or not 0 <= log["index"] < p_size:
                raise ValueError("%s: the entry index is outside its tree" % path)
            if leaves[log["index"]] != leaf_hash(entry):
                raise ValueError("%s: the entry is not the log's entry %d" % (path, log["index"]))
            proof = [base64.b64decode(h) for h in log["inclusion"]]
            if not verify_inclusion(leaf_hash(entry), log["index"], p_size, proof, p_root):
                raise ValueError("%s: the inclusion proof does not lead to its checkpoint" % path)
            if mth(leaves[:p_size]) != p_root:
                raise ValueError("%s: its checkpoint's tree is not a prefix of the current one" % path)
            proofs += 1
        result.update(proofs=proofs, ok=True)
    except (ValueError, OSError, KeyError, IndexError, TypeError, InvalidSignature) as error:
        result["error"] = "%s: %s" % (type(error).__name__, error)
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
