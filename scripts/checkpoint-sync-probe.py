#!/usr/bin/env python3
"""How a database file's sync delays another file's flushes on this disk (issue 14,
docs/benchmarks.md, fifty-ninth pass). A measuring tool, not a test.

A thread writes 32,960 bytes (a lone check's WAL frames) to `b.wal` and calls `fdatasync`,
over and over; every second the main thread dirties PAGES random 4 KiB pages of a 200 MB
`a.db` and syncs it, either whole (`fsync`) or `paced` (each 128 KiB chunk that holds a dirty
page handed to the disk with `sync_file_range` and waited for, then a pause as long as the
chunk took, at most 2 ms; then `fsync`). Prints the flushes' latency and the database syncs'.

    python3 scripts/checkpoint-sync-probe.py whole 12
    python3 scripts/checkpoint-sync-probe.py paced 12

Files go to PROBE_DIR (default: a new directory under the current one, on the disk to
measure); about 264 MB.
"""
import ctypes
import os
import random
import sys
import threading
import time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.sync_file_range.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
MODE = sys.argv[1]; SECS = float(sys.argv[2]); PAGES = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
d = os.environ.get("PROBE_DIR", "sync-probe")
os.makedirs(d, exist_ok=True)
A = os.open(d + "/a.db", os.O_RDWR | os.O_CREAT); B = os.open(d + "/b.wal", os.O_RDWR | os.O_CREAT)
if os.fstat(A).st_size < 200 << 20:
    blk = b"\1" * (1 << 20)
    for i in range(200): os.pwrite(A, blk, i << 20)
    for i in range(64): os.pwrite(B, blk, i << 20)
    os.fsync(A); os.fsync(B)
lat = []; stop = False
def wal():
    off = 0; buf = b"\2" * 32960
    while not stop:
        os.pwrite(B, buf, off); off = (off + 32960) % (60 << 20)
        t = time.perf_counter(); os.fdatasync(B); lat.append(time.perf_counter() - t)
        time.sleep(0.0002)
th = threading.Thread(target=wal); th.start()
CH = 128 * 1024
end = time.time() + SECS; page = b"\3" * 4096; big = []
while time.time() < end:
    time.sleep(1.0)
    offs = sorted(random.randrange(0, (200 << 20) // 4096) * 4096 for _ in range(PAGES))
    for o in offs: os.pwrite(A, page, o)
    t = time.perf_counter()
    if MODE == "paced":
        chunks = sorted(set(o // CH for o in offs))
        for c in chunks:
            s = time.perf_counter()
            libc.sync_file_range(A, c * CH, CH, 7)
            took = time.perf_counter() - s
            if took >= 40e-6: time.sleep(min(took, 0.002))
    os.fsync(A)
    big.append(time.perf_counter() - t)
stop = True; th.join()
lat.sort(); n = len(lat)
print(MODE, "syncs", n, "p50 %.3f p99 %.3f p99.9 %.3f max %.1f ms; >2ms %d; db sync %s ms" % (lat[n//2]*1e3, lat[int(n*.99)]*1e3, lat[int(n*.999)]*1e3, lat[-1]*1e3, sum(x > 0.002 for x in lat), [round(x*1e3) for x in big]))
