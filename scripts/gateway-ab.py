#!/usr/bin/env python3
"""The MCP gateway's `tools/call`, two builds side by side (issue 14, docs/benchmarks.md,
nineteenth pass): the same raw JSON-RPC client calls the same upstream (tests/mcp/db_server.py)
directly and through each build's gateway, calls alternated in rounds so that the machine's
drift hits all three alike; prints p50/p99 and the added p50 of each build.

    tests/.venv/bin/python scripts/gateway-ab.py BEFORE_BIN AFTER_BIN [--calls 1000] [--postgres]
    tests/.venv/bin/python scripts/gateway-ab.py BIN BIN --calls 300 --postgres --count-messages
    tests/.venv/bin/python scripts/gateway-ab.py BIN BIN --calls 300 --postgres --count-messages --tools-list

With --postgres each build runs on a fresh database of its own on 127.0.0.1:5432 (migrated by
that build). With --count-messages (PostgreSQL, one build: give it twice) the database logs
every statement (`log_statement = all`) and the script prints the statements PostgreSQL
received per gateway `tools/call`, by kind, from the server log
(/var/log/postgresql/postgresql-15-main.log, readable by this user).
"""

import argparse
import collections
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "mcp"))
import mcp_support as ms  # noqa: E402
from bench_overhead import Http, pct  # noqa: E402

PG_LOG = "/var/log/postgresql/postgresql-15-main.log"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def start(name: str, binary: Path, tmp: Path, postgres: bool, log_all: bool) -> ms.Airlock:
    d = tmp / name
    d.mkdir()
    saved = dict(os.environ)
    os.environ["AIRLOCK_LOG"] = "error"
    db = f"gateway_ab_{name}"
    if postgres:
        psql(f"DROP DATABASE IF EXISTS {db}")
        psql(f"CREATE DATABASE {db}")
        if log_all:
            psql(f"ALTER DATABASE {db} SET log_statement = 'all'")
        url = f"postgres://postgres@127.0.0.1:5432/{db}"
        subprocess.run([str(binary), "migrate", "--database", url], check=True, capture_output=True)
        os.environ.update(
            AIRLOCK_DATABASE_URL=url,
            AIRLOCK_AUDIT_KEY_DIR=str(d / "keys"),
            AIRLOCK_CHECKPOINT_DIR=str(d / "checkpoints"),
        )
    try:
        a = ms.Airlock(url="", key="sk_live_" + os.urandom(24).hex(), data_dir=d / "data", bin=binary, log_dir=d)
        return a.start()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def tool_list(client: Http) -> dict:
    client.i += 1
    out, _ = client.post({"jsonrpc": "2.0", "id": client.i, "method": "tools/list"})
    return out


def count_messages(client: Http, calls: int, db: str, send) -> None:
    start = os.path.getsize(PG_LOG)
    for _ in range(calls):
        send(client)
    time.sleep(0.5)
    with open(PG_LOG, "rb") as f:
        f.seek(start)
        text = f.read().decode("utf-8", "replace")
    counts = collections.Counter()
    for line in text.splitlines():
        m = re.search(r"LOG:  (?:execute [^:]*|statement): (.*)", line)
        if m and f"@{db} " in line:
            counts[m.group(1)[:70]] += 1
    for sql, n in counts.most_common():
        print(f"{n / calls:6.3f}  {sql}")
    print(f"{sum(counts.values()) / calls:6.3f}  all, per gateway message ({calls} messages)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--count-messages", action="store_true")
    ap.add_argument("--tools-list", action="store_true", help="with --count-messages: send tools/list, not tools/call")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gateway-ab-"))
    upstream = ms.HttpDbServer(db=ms.make_db(tmp / "upstream.db"), log_dir=tmp, json_response=True).start()
    builds = [("before", args.before.resolve())]
    if not args.count_messages:
        builds.append(("after", args.after.resolve()))
    airlocks, clients = [], {"direct": Http(upstream.url, {})}
    try:
        for name, binary in builds:
            a = start(name, binary, tmp, args.postgres, args.count_messages)
            airlocks.append(a)
            w = ms.world(a, upstream.url, ["*"], ["describe_schema", "read_query", "execute_sql"])
            clients[name] = Http(w.gateway_url, {"X-API-Key": a.key, "X-Agent-ID": w.agent})
        if args.count_messages:
            send = tool_list if args.tools_list else Http.tool
            for _ in range(20):
                send(clients["before"])
            count_messages(clients["before"], args.calls, "gateway_ab_before", send)
            return
        lat = {name: [] for name in clients}
        for i in range(args.warmup + args.calls):
            for name, c in clients.items():
                t0 = time.perf_counter_ns()
                r = c.tool()
                dt = (time.perf_counter_ns() - t0) / 1e6
                if "result" not in r:
                    raise RuntimeError(f"{name}: {r}")
                if i >= args.warmup:
                    lat[name].append(dt)
        base = statistics.median(lat["direct"])
        for name, xs in lat.items():
            p50 = statistics.median(xs)
            print(f"{name:7s} p50 {p50:.3f} ms  p99 {pct(xs, 99):.3f} ms  added p50 {p50 - base:+.3f} ms")
    finally:
        upstream.stop()
        for a in airlocks:
            a.stop()


if __name__ == "__main__":
    main()
