"""For scripts/bench-publish: the operation lists of replay-tree.c for a published site.

    python3 replay-lists.py SITE HOME LIST-A LIST-B

List A makes api/hash/ (segel writes the shards on a thread of their own),
list B everything else. A file that shares its inode with a file listed
earlier in the same list becomes a hard link to it, as segel makes it; one
that shares its inode with a signed PDF in HOME/signed becomes a link to that.
"""
import os
import sys

site, home, out_a, out_b = sys.argv[1:]
external = {}
signed = os.path.join(home, "signed")
for name in os.listdir(signed):
    info = os.stat(os.path.join(signed, name))
    external[(info.st_dev, info.st_ino)] = os.path.join(signed, name)

paths = []
for folder, dirs, files in os.walk(site):
    for name in files:
        paths.append(os.path.relpath(os.path.join(folder, name), site))
paths.sort()

lists = {"A": [], "B": []}
made = {"A": set(), "B": set()}
first = {"A": {}, "B": {}}
for path in paths:
    which = "A" if path.startswith("api/hash/") else "B"
    ops = lists[which]
    parts = path.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if folder not in made[which]:
            made[which].add(folder)
            ops.append("D\t" + folder)
    info = os.lstat(os.path.join(site, path))
    key = (info.st_dev, info.st_ino)
    if key in external:
        ops.append("X\t%s\t%s" % (path, external[key]))
    elif info.st_nlink > 1 and key in first[which]:
        ops.append("L\t%s\t%s" % (path, first[which][key]))
    else:
        first[which][key] = path
        ops.append("W\t%s\t%s" % (path, os.path.join(site, path)))

for which, out in (("A", out_a), ("B", out_b)):
    with open(out, "w") as handle:
        handle.write("\n".join(lists[which]) + "\n")
counts = {kind: sum(1 for which in lists for op in lists[which] if op[0] == kind) for kind in "DWLX"}
print("replay: %(D)d folders, %(W)d files written, %(L)d links within the site, %(X)d links to signed PDFs" % counts,
      file=sys.stderr)
