"""The keyed chain, checkpoints and `airlock audit verify` on PostgreSQL, with two replicas
sharing one audit key folder (docs/audit.md)."""

from __future__ import annotations

import json
import time

from replicas import airlock_cmd, psql
from support import http

SESSION = "pg-audit"


def check(server, i: int) -> dict:
    r = http(
        "POST",
        server.url + "/api/v1/actions/check",
        key=server.key,
        body={"agent_id": "pg-agent", "session_id": SESSION, "action_name": "db.query", "action_input": {"q": f"SELECT {i}"}},
    )
    assert r.status == 200, r.text
    return r.json


def verify(bin_path, url: str, audit) -> tuple[int, dict]:
    cp = airlock_cmd(
        bin_path,
        "audit", "verify", "--database", url,
        "--key-dir", str(audit / "keys"),
        "--checkpoints", str(audit / "checkpoints"),
        "--json",
        check=False,
    )
    return cp.returncode, json.loads(cp.stdout)


def test_keyed_chain_and_checkpoints_verify_on_postgres(replicas, bin_path):
    a, b = replicas(2)
    for i in range(6):
        check(a if i % 2 == 0 else b, i)
    # Both replicas' checkpoints (one file each) cover the session after a second.
    time.sleep(2.5)
    v = http("GET", f"{a.url}/api/v1/sessions/{SESSION}/verify", key=a.key).json
    assert v["valid"] is True and v["entries"] == 6 and v["legacy_entries"] == 0, v
    assert v["checkpoints_checked"] >= 1, v
    a.stop()
    b.stop()
    audit = replicas.audit_dir
    assert len(list((audit / "checkpoints").glob("*.jsonl"))) == 2
    code, report = verify(bin_path, replicas.url, audit)
    assert code == 0, report
    assert report["entries"] >= 6
    # Keyed rows carry the key id; one key shared by both replicas.
    keys = psql(replicas.url, f"SELECT DISTINCT key_id FROM decisions WHERE session_id = '{SESSION}'")
    assert len(keys.splitlines()) == 1 and keys.strip()
    # An edited column the old hash did not cover is found.
    psql(replicas.url, f"UPDATE decisions SET input_summary = 'x' WHERE session_id = '{SESSION}' AND seq = 4")
    code, report = verify(bin_path, replicas.url, audit)
    assert code != 0
    assert [f["session_id"] for f in report["failures"]] == [SESSION]
    assert report["failures"][0]["first_bad_seq"] == 4
    # A truncated tail with its counters reset is found through the checkpoints.
    head = psql(replicas.url, f"SELECT hash FROM decisions WHERE session_id = '{SESSION}' AND seq = 2")
    psql(replicas.url, f"DELETE FROM decisions WHERE session_id = '{SESSION}' AND seq > 2")
    psql(replicas.url, f"UPDATE sessions SET head = '{head}', total_calls = 2 WHERE id = '{SESSION}'")
    code, report = verify(bin_path, replicas.url, audit)
    assert code != 0 and report["failures"][0]["first_bad_seq"] == 3, report
