#!/usr/bin/env python3
"""The machine's own speed, for comparing benchmark runs made on different days:
how long one PBKDF2-HMAC-SHA256 at 600,000 iterations (what unlocking a key
costs) takes with Python's hashlib (OpenSSL), best of three, in seconds."""
import hashlib
import time

times = []
for _ in range(3):
    start = time.perf_counter()
    hashlib.pbkdf2_hmac("sha256", b"segel", b"bench-publish", 600000)
    times.append(time.perf_counter() - start)
print("%.3f" % min(times))
