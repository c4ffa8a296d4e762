"""Measures the Approvals page with 100,000 decisions in the log (the issue's bound: < 200 ms).

Run: `AIRLOCK_BIN=target/release/airlock python3 tests/console/measure_approvals.py`. It starts
a fresh `airlock serve`, makes 30 pending approvals (SQL scripts, one of 64 KiB) and 2,000 decided
ones through the published SDK and SQL copies, fills the decision log to 100,000 rows, signs in
to the console and prints the median and worst time of `GET /console/approvals`.
"""

from __future__ import annotations

import http.client
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

from support import Airlock, airlock_bin, new_bootstrap_key, unique  # noqa: E402


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="airlock-measure-"))
    server = Airlock(url="", key=new_bootstrap_key(), data_dir=base / "data", bin=airlock_bin(), log_dir=base)
    server.start()
    try:
        client = server.client()
        agent = client.agents.create(name=unique("agent"), capabilities=["db.*"])
        r = server.http(
            "POST",
            "/mcp/servers",
            body={"name": unique("server"), "url": "http://127.0.0.1:9/mcp", "capabilities": ["db.*"], "default_mode": "standard"},
        )
        session = client.sessions.init_session(agent_id=agent.id, server_id=r.json["id"])
        big = "".join(f"INSERT INTO events VALUES ({i}, 'row of text');\n" for i in range(1800)) + "DROP TABLE events;"
        for i in range(30):
            sql = big if i == 0 else f"SELECT * FROM t{i};\nDROP TABLE t{i};"
            res = client.actions.check(
                agent_id=agent.id, session_id=session.session_id, tool_name="db.execute_sql",
                tool_input_summary=sql, action_effect="destructive",
            )
            assert res.approval_id, res.reason
        db = sqlite3.connect(server.data_dir / "airlock.db", timeout=30)
        cols = [c[1] for c in db.execute("PRAGMA table_info(decisions)")]
        n = db.execute("SELECT count(*) FROM decisions").fetchone()[0]
        src = ", ".join(
            "CAST(rowid_ AS TEXT) || '-' || check_id" if c == "check_id" else ("seq + rowid_ * 1000" if c == "seq" else c)
            for c in cols
        )
        db.execute(
            f"INSERT INTO decisions ({', '.join(cols)}) "
            f"WITH RECURSIVE k(rowid_) AS (SELECT 1 UNION ALL SELECT rowid_ + 1 FROM k WHERE rowid_ < {100_000 // max(n, 1) + 1}) "
            f"SELECT {src} FROM decisions, k"
        )
        acols = [c[1] for c in db.execute("PRAGMA table_info(approvals)")]
        asrc = ", ".join(
            {"id": "id || '_' || n_", "status": "CASE n_ % 3 WHEN 0 THEN 'approved' WHEN 1 THEN 'denied' ELSE 'used' END",
             "decided_at": "created_at", "decided_by": "'measure'"}.get(c, c)
            for c in acols
        )
        db.execute(
            f"INSERT INTO approvals ({', '.join(acols)}) "
            f"WITH RECURSIVE k(n_) AS (SELECT 1 UNION ALL SELECT n_ + 1 FROM k WHERE n_ < 70) "
            f"SELECT {asrc} FROM approvals, k"
        )
        db.commit()
        decisions = db.execute("SELECT count(*) FROM decisions").fetchone()[0]
        approvals = db.execute("SELECT status, count(*) FROM approvals GROUP BY status").fetchall()
        db.close()

        url = urllib.parse.urlparse(server.url)
        conn = http.client.HTTPConnection(url.hostname, url.port)
        conn.request("POST", "/console/sign-in", body=urllib.parse.urlencode({"api_key": server.key}),
                     headers={"Content-Type": "application/x-www-form-urlencoded", "Host": url.netloc})
        resp = conn.getresponse()
        resp.read()
        cookie = resp.getheader("Set-Cookie").split(";")[0]
        times, size = [], 0
        for _ in range(30):
            t = time.perf_counter()
            conn.request("GET", "/console/approvals", headers={"Cookie": cookie})
            resp = conn.getresponse()
            body = resp.read()
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status == 200, resp.status
            size = len(body)
        print(f"decisions: {decisions}; approvals: {approvals}; page: {size} bytes")
        print(f"GET /console/approvals: median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
