#!/usr/bin/env python3
"""Which tables and indexes a check's commits write (issue 14, docs/benchmarks.md).

Run while `airlock serve` (SQLite) is under load, for instance during airlock-bench's closed
phase:

    python3 scripts/wal-pages.py PID DATA_DIR

It stops the server (SIGSTOP) for the moment it takes to copy the database and its WAL, lets
it run for --gap seconds, copies again, and reads the WAL frames written in between: each
frame is one 4 KiB page of one B-tree, named with SQLite's dbstat table on the second copy.
Prints frames per check (checks: decisions added between the copies) by B-tree, and the
distinct pages among them (what a checkpoint of that span writes to the database file, and
the sync after it carries; run with a longer --gap, within one WAL cycle). If the WAL
was restarted between the copies (a checkpoint reached its end), it says so; run it again.
A measuring tool for a test machine: it pauses the server it measures.
"""

import argparse
import collections
import os
import shutil
import signal
import sqlite3
import struct
import sys
import tempfile
import time

FRAME_HEADER = 24
WAL_HEADER = 32


def copy(pid: int, data_dir: str, to: str) -> None:
    os.kill(pid, signal.SIGSTOP)
    try:
        for suffix in ("", "-wal"):
            shutil.copyfile(os.path.join(data_dir, "airlock.db" + suffix),
                            os.path.join(to, "airlock.db" + suffix))
    finally:
        os.kill(pid, signal.SIGCONT)


def frames(wal: bytes) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The WAL's salts and its valid frames: (page number, database size if a commit)."""
    _, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">8I", wal[:WAL_HEADER])
    out, offset = [], WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(wal):
        page, size, s1, s2 = struct.unpack(">4I", wal[offset:offset + 16])
        if (s1, s2) != (salt1, salt2):
            break
        out.append((page, size))
        offset += FRAME_HEADER + page_size
    return (salt1, salt2), out


def read(directory: str):
    db = os.path.join(directory, "airlock.db")
    with open(db + "-wal", "rb") as f:
        salts, written = frames(f.read())
    # Opening the copy reads its WAL; dbstat names each page's B-tree.
    con = sqlite3.connect(db)
    names = dict(con.execute("SELECT pageno, name FROM dbstat"))
    decisions = con.execute("SELECT count(*) FROM decisions").fetchone()[0]
    con.close()
    return salts, written, names, decisions


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pid", type=int, help="the airlock serve process")
    p.add_argument("data_dir", help="its --data-dir")
    p.add_argument("--gap", type=float, default=0.3, help="seconds between the copies")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        first, second = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        os.mkdir(first)
        os.mkdir(second)
        try:
            copy(args.pid, args.data_dir, first)
            time.sleep(args.gap)
            copy(args.pid, args.data_dir, second)
        except ProcessLookupError:
            print(f"no process {args.pid}: is the server still running?", file=sys.stderr)
            return 1
        salts_a, frames_a, _, decisions_a = read(first)
        salts_b, frames_b, names, decisions_b = read(second)
    if salts_a != salts_b or len(frames_b) < len(frames_a):
        print("the WAL was restarted between the copies: run again", file=sys.stderr)
        return 1
    new = frames_b[len(frames_a):]
    checks = decisions_b - decisions_a
    if checks <= 0:
        print("no decisions were added between the copies", file=sys.stderr)
        return 1
    commits = sum(1 for _, size in new if size)
    print(f"checks {checks}  frames {len(new)}  commits {commits}  "
          f"frames a check {len(new) / checks:.2f}  checks a commit {checks / max(commits, 1):.1f}")
    by_tree = collections.Counter(names.get(page, "(page not in the copy)") for page, _ in new)
    # Distinct pages: what a checkpoint of these frames writes to the database file (each
    # page once, however many frames it has), and so what the sync after it carries.
    distinct = collections.Counter(
        names.get(page, "(page not in the copy)") for page in {page for page, _ in new})
    print(f"distinct pages {sum(distinct.values())} "
          f"({sum(distinct.values()) * 4 / 1024:.1f} MiB of 4 KiB pages, "
          f"{sum(distinct.values()) / checks:.3f} a check)")
    for name, count in by_tree.most_common():
        print(f"{count / checks:8.3f} a check  {count / max(commits, 1):7.2f} a commit  "
              f"{distinct[name]:7d} distinct ({distinct[name] / checks:.3f} a check)  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
