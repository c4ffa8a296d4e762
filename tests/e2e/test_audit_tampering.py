"""The audit trail against someone who can write the database but not the server's files
(issue 13, docs/audit.md).

Real traffic goes through the real binary; once a checkpoint has been written the server is
stopped, and each tampering is done with `sqlite3` on its OWN copy of the data directory
(keys and checkpoints copied too). `airlock audit verify` must fail naming the session, and
the verify route of a server started on the tampered copy must too where the session still
exists; the untouched copy verifies clean. Receipts of real answers verify with
`airlock audit verify-receipt` and with the public-key route; a changed byte fails.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from support import http

SESSION = "audit-s1"
OTHER = "audit-s2"


def run(bin_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_path), *args], capture_output=True, text=True, timeout=60, input=stdin
    )


def verify(bin_path: Path, data_dir: Path) -> subprocess.CompletedProcess:
    return run(bin_path, "audit", "verify", "--data-dir", str(data_dir), "--json")


def check(server, session: str, action: str, text: str) -> dict:
    r = server.http(
        "POST",
        "/api/v1/actions/check",
        body={
            "agent_id": "agent-audit",
            "session_id": session,
            "action_name": action,
            "action_input": {"query": text},
        },
    )
    assert r.status == 200, r.text
    return r.json


@pytest.fixture(scope="module")
def recorded(bin_path: Path, tmp_path_factory):
    """A data directory with two sessions' decisions and a checkpoint covering them, its
    server stopped; also the check answers and the public-key route's answer."""
    from support import Airlock, new_bootstrap_key

    base = tmp_path_factory.mktemp("audit")
    server = Airlock(
        url="",
        key=new_bootstrap_key(),
        data_dir=base / "data",
        bin=bin_path,
        args=["--checkpoint-interval-secs", "1"],
        log_dir=base,
    ).start()
    answers = []
    for i in range(5):
        answers.append(check(server, SESSION, "db.query", f"SELECT {i} FROM t"))
    answers.append(check(server, SESSION, "db.query", "DROP TABLE users"))
    for i in range(3):
        answers.append(check(server, OTHER, "files.read", f"/tmp/f{i}"))
    public = server.http("GET", "/api/v1/audit/public-key", key=None)
    assert public.status == 200, public.text
    # A periodic checkpoint covers the traffic (and the stop writes a last one).
    ckdir = base / "data" / "checkpoints"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        lines = [l for f in ckdir.glob("*.jsonl") for l in f.read_text().splitlines()]
        if any(
            s["session_id"] == SESSION and s["count"] == 6
            for l in lines
            for s in json.loads(l)["sessions"]
        ):
            break
        time.sleep(0.2)
    else:
        pytest.fail("no checkpoint covered the traffic:\n" + server.logs())
    url = server.url
    # The route answers while the server runs.
    v = server.http("GET", f"/api/v1/sessions/{SESSION}/verify")
    assert v.status == 200 and v.json["valid"] is True, v.text
    assert v.json["checkpoints_checked"] >= 1
    assert server.stop() == 0
    return {"dir": base / "data", "answers": answers, "public": public.json, "key": server.key, "url": url, "bin": bin_path}


def copy_of(recorded, tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(recorded["dir"], dst)
    return dst


def sql(data_dir: Path, *statements: tuple) -> None:
    db = sqlite3.connect(data_dir / "airlock.db")
    with db:
        for stmt, params in statements:
            db.execute(stmt, params)
    db.close()


def legacy_hash(prev: str, row: dict) -> str:
    """The old unkeyed link: SHA-256(prev || JSON of eleven fields, in this order)."""
    import hashlib

    entry = {
        "seq": row["seq"],
        "check_id": row["check_id"],
        "session_id": row["session_id"],
        "agent_id": row["agent_id"],
        "action_name": row["action_name"],
        "effect": row["effect"],
        "allowed": bool(row["allowed"]),
        "reason": row["reason"],
        "guard_tier": row["guard_tier"],
        "input_digest": row["input_digest"],
        "decided_at": row["decided_at"],
    }
    text = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(prev.encode() + text.encode()).hexdigest()


GENESIS = "0" * 64


def rows(data_dir: Path, session: str) -> list[dict]:
    db = sqlite3.connect(data_dir / "airlock.db")
    db.row_factory = sqlite3.Row
    out = [dict(r) for r in db.execute("SELECT * FROM decisions WHERE session_id = ? ORDER BY seq", (session,))]
    db.close()
    return out


def truncate(d: Path) -> None:
    kept = rows(d, SESSION)[:3]
    sql(
        d,
        ("DELETE FROM decisions WHERE session_id = ? AND seq > 3", (SESSION,)),
        ("UPDATE sessions SET head = ?, total_calls = 3 WHERE id = ?", (kept[-1]["hash"], SESSION)),
    )


def wipe(d: Path) -> None:
    sql(
        d,
        ("DELETE FROM decisions WHERE session_id = ?", (SESSION,)),
        ("UPDATE sessions SET head = ?, total_calls = 0, read_calls = 0, write_calls = 0, denied_calls = 0 WHERE id = ?", (GENESIS, SESSION)),
    )


def drop_session(d: Path) -> None:
    sql(d, ("DELETE FROM sessions WHERE id = ?", (SESSION,)))


def edit(column: str, value):
    def f(d: Path) -> None:
        sql(d, (f"UPDATE decisions SET {column} = ? WHERE session_id = ? AND seq = 6", (value, SESSION)))

    return f


def rechain_unkeyed(d: Path) -> None:
    """Rewrite decision 6 to allowed with an innocent summary and recompute the old chain."""
    db = sqlite3.connect(d / "airlock.db")
    db.row_factory = sqlite3.Row
    with db:
        db.execute(
            "UPDATE decisions SET allowed = 1, input_summary = 'SELECT 1', key_id = '' WHERE session_id = ?",
            (SESSION,),
        )
        head = GENESIS
        for r in db.execute("SELECT * FROM decisions WHERE session_id = ? ORDER BY seq", (SESSION,)).fetchall():
            head = legacy_hash(head, dict(r))
            db.execute("UPDATE decisions SET hash = ? WHERE session_id = ? AND seq = ?", (head, SESSION, r["seq"]))
        db.execute("UPDATE sessions SET head = ? WHERE id = ?", (head, SESSION))
    db.close()


def reorder(d: Path) -> None:
    sql(
        d,
        ("UPDATE decisions SET seq = -1 WHERE session_id = ? AND seq = 2", (SESSION,)),
        ("UPDATE decisions SET seq = 2 WHERE session_id = ? AND seq = 3", (SESSION,)),
        ("UPDATE decisions SET seq = 3 WHERE session_id = ? AND seq = -1", (SESSION,)),
    )


TAMPERINGS = {
    "truncate_tail": (truncate, True),
    "wipe_to_genesis": (wipe, True),
    "delete_session_row": (drop_session, False),
    "edit_input_summary": (edit("input_summary", "SELECT 1"), True),
    "edit_reasons": (edit("reasons", "[]"), True),
    "edit_risk": (edit("risk", "low"), True),
    "edit_approval_id": (edit("approval_id", "apr_forged"), True),
    "edit_source": (edit("source", "hook"), True),
    "rechain_unkeyed": (rechain_unkeyed, True),
    "reorder": (reorder, True),
}


def test_the_untouched_copy_verifies_clean(recorded, tmp_path):
    d = copy_of(recorded, tmp_path)
    cp = verify(recorded["bin"], d)
    assert cp.returncode == 0, cp.stdout + cp.stderr
    report = json.loads(cp.stdout)
    assert report["valid"] is True and report["failures"] == []
    assert report["sessions"] >= 2 and report["entries"] >= 9
    assert report["checkpoints"] >= 2, "a full one at start and at least one more"


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_each_tampering_is_detected(recorded, tmp_path, airlock_factory, name):
    tamper, session_exists = TAMPERINGS[name]
    d = copy_of(recorded, tmp_path)
    tamper(d)
    cp = verify(recorded["bin"], d)
    assert cp.returncode != 0, f"{name} not detected:\n{cp.stdout}{cp.stderr}"
    report = json.loads(cp.stdout)
    assert [f["session_id"] for f in report["failures"]] == [SESSION], report
    assert report["failures"][0]["first_bad_seq"] is not None
    # Plain output names the session too.
    plain = run(recorded["bin"], "audit", "verify", "--data-dir", str(d))
    assert plain.returncode != 0 and SESSION in plain.stdout, plain.stdout
    if session_exists:
        server = airlock_factory(data_dir=d, key=recorded["key"])
        v = server.http("GET", f"/api/v1/sessions/{SESSION}/verify")
        assert v.status == 200, v.text
        assert v.json["valid"] is False, f"{name}: the route says valid: {v.text}"
        assert v.json["error"]
        other = server.http("GET", f"/api/v1/sessions/{OTHER}/verify")
        assert other.json["valid"] is True, other.text
        server.stop()


def test_receipts_verify_and_a_changed_byte_fails(recorded, tmp_path):
    bin_path = recorded["bin"]
    keys = recorded["public"]["keys"]
    assert len(keys) == 1 and keys[0]["current"] and keys[0]["algorithm"] == "Ed25519"
    public = keys[0]["public_key"]
    for answer in recorded["answers"]:
        receipt = answer["receipt"]
        assert receipt["check_id"] == answer["check_id"]
        assert receipt["allowed"] == answer["allowed"]
        assert receipt["key_id"] == keys[0]["key_id"]
    answer = recorded["answers"][5]
    f = tmp_path / "answer.json"
    f.write_text(json.dumps(answer))
    ok = run(bin_path, "audit", "verify-receipt", "--receipt", str(f), "--public-key", public)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "valid receipt" in ok.stdout
    # From standard input, the receipt alone.
    ok = run(bin_path, "audit", "verify-receipt", "--receipt", "-", "--public-key", public, stdin=json.dumps(answer["receipt"]))
    assert ok.returncode == 0, ok.stdout
    # The receipt's seq and head are those of the chain.
    row = rows(recorded["dir"], SESSION)[5]
    assert (answer["receipt"]["seq"], answer["receipt"]["chain_head"]) == (row["seq"], row["hash"])
    # A changed byte fails: the verdict, a digit of the digest, the signature.
    r = dict(answer["receipt"])
    for field, value in [
        ("allowed", not r["allowed"]),
        ("input_digest", ("0" if r["input_digest"][0] != "0" else "1") + r["input_digest"][1:]),
        ("signature", ("A" if r["signature"][0] != "A" else "B") + r["signature"][1:]),
    ]:
        bad = dict(r, **{field: value})
        cp = run(bin_path, "audit", "verify-receipt", "--receipt", "-", "--public-key", public, stdin=json.dumps(bad))
        assert cp.returncode != 0 and "INVALID" in cp.stdout, (field, cp.stdout)


def test_receipts_verify_with_the_public_key_route(airlock_factory, bin_path, tmp_path):
    server = airlock_factory()
    answer = check(server, "rcpt", "db.query", "SELECT 1")
    f = tmp_path / "r.json"
    f.write_text(json.dumps(answer))
    ok = run(bin_path, "audit", "verify-receipt", "--receipt", str(f), "--url", server.url)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    answer["receipt"]["session_id"] = "rcpu"
    f.write_text(json.dumps(answer))
    bad = run(bin_path, "audit", "verify-receipt", "--receipt", str(f), "--url", server.url)
    assert bad.returncode != 0 and "INVALID" in bad.stdout, bad.stdout
    # The public keys need no API key.
    assert http("GET", server.url + "/api/v1/audit/public-key").status == 200
    # `airlock audit verify` works beside the running server (SQLite WAL readers).
    cp = verify(bin_path, server.data_dir)
    assert cp.returncode == 0, cp.stdout + cp.stderr
    assert json.loads(cp.stdout)["entries"] == 1


def test_rotation_keeps_old_entries_verifiable(airlock_factory, bin_path):
    server = airlock_factory()
    check(server, "rot", "db.query", "SELECT 1")
    server.stop()
    out = run(bin_path, "audit", "rotate-key", "--data-dir", str(server.data_dir))
    assert out.returncode == 0, out.stderr
    server.start()
    check(server, "rot", "db.query", "SELECT 2")
    keys = server.http("GET", "/api/v1/audit/public-key", key=None).json["keys"]
    assert len(keys) == 2 and sum(k["current"] for k in keys) == 1
    v = server.http("GET", "/api/v1/sessions/rot/verify").json
    assert v["valid"] is True and v["entries"] == 2, v
    server.stop()
    cp = verify(bin_path, server.data_dir)
    assert cp.returncode == 0, cp.stdout
