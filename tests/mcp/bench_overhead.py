"""Overhead of Airlock on an MCP tools/call: the same raw JSON-RPC client calls the same
server directly and through Airlock, in the same run, and prints p50/p99 of each.

    python tests/mcp/bench_overhead.py [--calls 2000] [--bin target/release/airlock]

Paths (the upstream is tests/mcp/db_server.py on a fresh SQLite file; the tool is
`read_query` with `SELECT 1`, a read Airlock allows, so every call goes all the way):
- stdio direct:   client → db_server.py (stdio)
- stdio wrapped:  client → airlock mcp wrap → db_server.py (the wrapper checks over HTTP)
- HTTP direct:    client → db_server.py (streamable HTTP, JSON answers)
- HTTP gateway:   client → airlock serve /mcp/{id} → db_server.py (in-process check)
- ping direct, ping gateway: a JSON-RPC `ping` on the two HTTP paths: the gateway
  authenticates, finds the session and forwards it without a decision, so the difference
  between the two added latencies is the decision's share

The client is deliberately minimal (one keep-alive connection, one pipe) so that its own
cost does not hide the overhead. Calls alternate between paths in rounds, so that drift of
the machine hits every path alike. Prints a Markdown table and the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mcp_support as ms  # noqa: E402

INIT = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
ARGS = {"sql": "SELECT 1"}


def call(i: int) -> dict:
    return {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "read_query", "arguments": ARGS}}


class Stdio:
    def __init__(self, cmd: list, env: dict) -> None:
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
        self.i = 0
        self.rpc(INIT)
        self.send(INITIALIZED)

    def send(self, msg: dict) -> None:
        self.p.stdin.write((json.dumps(msg) + "\n").encode())

    def rpc(self, msg: dict) -> dict:
        self.send(msg)
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("stdio server closed")
            out = json.loads(line)
            if out.get("id") == msg["id"]:
                return out

    def tool(self) -> dict:
        self.i += 1
        return self.rpc(call(self.i))

    def close(self) -> None:
        self.p.stdin.close()
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()


class Http:
    def __init__(self, url: str, headers: dict) -> None:
        u = url.split("://", 1)[1]
        hostport, path = u.split("/", 1)
        host, port = hostport.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.path = "/" + path
        self.headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers}
        self.i = 0
        r, h = self.post(INIT)
        sid = h.get("mcp-session-id")
        if sid:
            self.headers["Mcp-Session-Id"] = sid
        self.headers["MCP-Protocol-Version"] = r["result"]["protocolVersion"]
        self.post(INITIALIZED)

    def post(self, msg: dict):
        self.conn.request("POST", self.path, body=json.dumps(msg), headers=self.headers)
        resp = self.conn.getresponse()
        body = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        if not body:
            return None, headers
        if headers.get("content-type", "").startswith("text/event-stream"):
            data = [l[5:].strip() for l in body.decode().splitlines() if l.startswith("data:")]
            return json.loads(data[-1]), headers
        return json.loads(body), headers

    def tool(self) -> dict:
        self.i += 1
        out, _ = self.post(call(self.i))
        return out

    def close(self) -> None:
        self.conn.close()


class Ping(Http):
    """A `ping` instead of a `tools/call`: through the gateway, the same authentication,
    session and forwarding without a decision, so that the decision's share of the added
    latency can be told from the rest."""

    def tool(self) -> dict:
        self.i += 1
        out, _ = self.post({"jsonrpc": "2.0", "id": self.i, "method": "ping"})
        return out


def pct(xs: list, p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--bin", default=os.environ.get("AIRLOCK_BIN", "target/release/airlock"))
    args = ap.parse_args()
    binary = Path(args.bin).resolve()
    os.environ["AIRLOCK_BIN"] = str(binary)

    tmp = Path(tempfile.mkdtemp(prefix="airlock-bench-"))
    db = ms.make_db(tmp / "bench.db")
    airlock = ms.Airlock(url="", key="sk_live_" + os.urandom(24).hex(), data_dir=tmp / "data", bin=binary, log_dir=tmp)
    airlock.start()
    upstream = ms.HttpDbServer(db=db, log_dir=tmp, json_response=True).start()
    clients = {}
    try:
        w = ms.world(airlock, upstream.url, ["*"], ["describe_schema", "read_query", "execute_sql"])
        env = {**os.environ, **w.env, "AIRLOCK_LOG": "error"}
        server_cmd = ms.db_stdio_args(db)
        clients["stdio direct"] = Stdio(server_cmd, env)
        clients["stdio wrapped"] = Stdio([str(binary), "mcp", "wrap", "--agent", w.agent, "--server", w.server, "--", *server_cmd], env)
        clients["HTTP direct"] = Http(upstream.url, {})
        clients["HTTP gateway"] = Http(w.gateway_url, {"X-API-Key": airlock.key, "X-Agent-ID": w.agent})
        clients["ping direct"] = Ping(upstream.url, {})
        clients["ping gateway"] = Ping(w.gateway_url, {"X-API-Key": airlock.key, "X-Agent-ID": w.agent})
        for c in clients.values():
            r = c.tool()
            # A tool's answer says `isError`; a ping's is an empty result.
            assert "result" in r and r["result"].get("isError", False) is False, r
        lat = {name: [] for name in clients}
        for i in range(args.warmup + args.calls):
            for name, c in clients.items():
                t0 = time.perf_counter_ns()
                r = c.tool()
                dt = (time.perf_counter_ns() - t0) / 1e6
                if i >= args.warmup:
                    lat[name].append(dt)
                if "result" not in r:
                    raise RuntimeError(f"{name}: {r}")
        rows = []
        for name in clients:
            xs = lat[name]
            rows.append((name, statistics.median(xs), pct(xs, 99), statistics.mean(xs)))
        by = {r[0]: r for r in rows}
        print(f"calls per path: {args.calls} (after {args.warmup} warm-up), binary: {binary}")
        print()
        print("| path | p50 ms | p99 ms | mean ms | added p50 ms | added p99 ms |")
        print("|---|---|---|---|---|---|")
        for name, p50, p99, mean in rows:
            base = by[name.split(" ")[0] + " direct"]
            added = "" if base[0] == name else f"{p50 - base[1]:+.3f} | {p99 - base[2]:+.3f}"
            if not added:
                added = "– | –"
            print(f"| {name} | {p50:.3f} | {p99:.3f} | {mean:.3f} | {added} |")
        print()
        cpu = ""
        try:
            cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
        except (OSError, StopIteration):
            pass
        print(f"machine: {platform.platform()}, {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}")
    finally:
        for c in clients.values():
            c.close()
        upstream.stop()
        airlock.stop()


if __name__ == "__main__":
    main()
