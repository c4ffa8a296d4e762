#!/usr/bin/env python3
"""WAL pages a decision costs, by index layout: a model of the benchmark's mix (issue 14).

A table shaped like `decisions` (1.3 KB rows) gets decisions from 1,000 sessions of 100
agents, a few per commit, after a warm-up; the WAL's growth over the measured decisions,
divided by the page and frame size, is the frames each decision cost. The sessions table and
the approvals are left out: this compares the decisions table's own indexes.

    python3 scripts/index-cost-model.py                # every layout, 9 decisions a commit
    python3 scripts/index-cost-model.py --batch 32     # larger commits

Layouts: `text` is the schema before migration 19 (ids as text, the primary key, the time
index and the agent index); `no-agent` drops the agent index (migration 19); `short-agent`
keeps an agent index without the session and sequence columns; `int` is `text` with integer
ids and times; `clustered` is `no-agent` as a WITHOUT ROWID table.
"""

import argparse
import os
import random
import sqlite3
import tempfile
import time
import uuid

TIME = "CREATE INDEX d_time ON d(org, at, sess, seq, agent)"
AGENT = "CREATE INDEX d_agent ON d(org, agent, at, sess, seq)"
TABLE = "CREATE TABLE d (org {t}, sess {t}, seq INT, agent {t}, at {t}, body TEXT, " \
        "PRIMARY KEY (org, sess, seq)){suffix}"
LAYOUTS = {
    "text": (TABLE.format(t="TEXT", suffix=""), [TIME, AGENT], False),
    "no-agent": (TABLE.format(t="TEXT", suffix=""), [TIME], False),
    "short-agent": (TABLE.format(t="TEXT", suffix=""),
                    [TIME, "CREATE INDEX d_agent ON d(org, agent, at)"], False),
    "int": (TABLE.format(t="INT", suffix=""), [TIME, AGENT], True),
    "clustered": (TABLE.format(t="TEXT", suffix=" WITHOUT ROWID"), [TIME], False),
}


def frames_per_decision(layout: str, batch: int, warm: int, measured: int) -> float:
    table, indexes, integers = LAYOUTS[layout]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.db")
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA journal_mode=wal")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("PRAGMA synchronous=off")
        con.execute(table)
        for ddl in indexes:
            con.execute(ddl)
        rnd = random.Random(7)

        def name(prefix: str) -> str:
            return prefix + uuid.UUID(int=rnd.getrandbits(128)).hex

        org = name("org_")
        agents = [name("agt_") for _ in range(100)]
        sessions = [(name("sess_"), rnd.randrange(100)) for _ in range(1000)]
        seqs = [0] * len(sessions)
        clock = [1_780_000_000_000_000]

        def decision():
            i = rnd.randrange(len(sessions))
            seqs[i] += 1
            clock[0] += 100
            sess, agent = sessions[i]
            if integers:
                return (1, i + 1, seqs[i], agent + 1, clock[0], "x" * 1300)
            secs, micros = divmod(clock[0], 10**6)
            at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{micros:06d}Z"
            return (org, sess, seqs[i], agents[agent], at, "x" * 1300)

        def commit(count: int) -> None:
            for _ in range(count // batch):
                con.execute("BEGIN")
                con.executemany("INSERT INTO d VALUES (?, ?, ?, ?, ?, ?)",
                                [decision() for _ in range(batch)])
                con.execute("COMMIT")

        commit(warm)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        commit(measured)
        page = con.execute("PRAGMA page_size").fetchone()[0]
        frames = os.path.getsize(path + "-wal") // (page + 24)
        con.close()
        return frames / (measured // batch * batch)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=9, help="decisions a commit")
    p.add_argument("--warm", type=int, default=20_000, help="decisions before measuring")
    p.add_argument("--measured", type=int, default=6_000, help="decisions measured")
    p.add_argument("layouts", nargs="*", help=f"any of {', '.join(LAYOUTS)} (default: all)")
    args = p.parse_args()
    unknown = [x for x in args.layouts if x not in LAYOUTS]
    if unknown:
        p.error(f"unknown layout {unknown[0]!r}: choose from {', '.join(LAYOUTS)}")
    for layout in args.layouts or LAYOUTS:
        f = frames_per_decision(layout, args.batch, args.warm, args.measured)
        print(f"{layout:12s} {f:5.2f} frames a decision ({args.batch} a commit)")


if __name__ == "__main__":
    main()
