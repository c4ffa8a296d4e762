"""Two replicas on one PostgreSQL database behave as one.

- 1,000 concurrent checks on one session, spread over both replicas: exact counters, a chain
  that verifies, every answered decision in the log.
- What one replica changes holds on the very next request to the other: agent, token and API
  key revocations, elevation and exact-call approvals, a server's removal.
- `serve` refuses a database it has no schema for (or a newer one); `migrate` is safe to run
  from two places at once.
"""

from __future__ import annotations

import secrets

from replicas import (
    airlock_cmd,
    assert_session_intact,
    check,
    create_database,
    drop_database,
    new_agent,
    pg_base_url,
    psql,
    run_concurrently,
)
from support import http, unique

CHECKS = 1000


def test_concurrent_checks_on_one_session_over_two_replicas(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    # An implicit session: the first checks also race to create it.
    session = "sess-hot-" + secrets.token_hex(4)

    def one(i: int):
        server = (a, b)[i % 2]
        write = i % 4 == 0
        r = check(
            server,
            agent,
            session,
            "db.update" if write else "db.query",
            "mutating" if write else "read",
            "UPDATE t SET x = 1 WHERE id = 7" if write else "SELECT 1",
        )
        assert r.status == 200, r.text
        return r.json

    answers = run_concurrently(CHECKS, 64, one)
    assert len({x["check_id"] for x in answers}) == CHECKS
    denied = sum(1 for x in answers if not x["allowed"])
    assert denied == CHECKS // 4, "writes in a read_only session are denied, reads allowed"
    for server in (a, b):
        verdict = assert_session_intact(server, session, [x["check_id"] for x in answers], exact=CHECKS)
        assert verdict["entries"] == CHECKS
        s = server.http("GET", f"/api/v1/sessions/{session}").json
        assert (s["total_calls"], s["denied_calls"]) == (CHECKS, CHECKS // 4), s
        assert s["read_calls"] + s["write_calls"] == CHECKS, s


def test_agent_revocation_holds_on_the_other_replica(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    first = check(b, agent, "s1", "db.query", "read").json
    assert first["allowed"] is True, (first["reason"], first.get("reasons"))
    r = a.http("POST", f"/api/v1/agents/{agent}/revoke", body={"reason": "compromised"})
    assert r.status == 200, r.text
    after = check(b, agent, "s1", "db.query", "read").json
    assert after["allowed"] is False and "revoked" in after["reason"], after
    assert b.http("GET", f"/api/v1/agents/{agent}").json["status"] == "revoked"


def test_token_revocation_holds_on_the_other_replica(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    r = a.http("POST", "/api/v1/agent-tokens/issue", body={"agent_id": agent, "scopes": ["db.query"]})
    assert r.status == 201, r.text
    token = r.json["token"]
    assert b.http("POST", "/api/v1/agent-tokens/introspect", body={"token": token}).json["active"] is True
    r = b.http("POST", "/api/v1/agent-tokens/revoke", body={"token": token, "reason": "leaked"})
    assert r.status == 200 and r.json["revoked"] is True, r.text
    assert a.http("POST", "/api/v1/agent-tokens/introspect", body={"token": token}).json["active"] is False


def test_api_key_revocation_holds_on_every_replica(replicas, bin_path):
    a, b = replicas(2)
    url = replicas.url
    key = airlock_cmd(bin_path, "keys", "create", "--org", "default", "--name", "ops", "--database", url).stdout.strip()
    assert key.startswith("sk_live_")
    agent = new_agent(a)
    body = {"agent_id": agent, "action_name": "db.query", "action_input_summary": "SELECT 1"}
    for server in (a, b):
        assert http("GET", server.url + "/api/v1/agents", key=key).status == 200
        # The check reads the key with the session (one statement on PostgreSQL).
        body["session_id"] = unique("s-key")
        r = http("POST", server.url + "/api/v1/agenttrust/check", key=key, body=body)
        assert r.status == 200 and r.json["allowed"] is True, r.text
    listed = airlock_cmd(bin_path, "keys", "list", "--database", url).stdout
    assert key[:14] in listed
    airlock_cmd(bin_path, "keys", "revoke", key[:14], "--database", url)
    for server in (a, b):
        r = http("GET", server.url + "/api/v1/agents", key=key)
        assert r.status == 401 and "revoked" in r.json["message"], r.text
        session = unique("s-revoked")
        body["session_id"] = session
        r = http("POST", server.url + "/api/v1/agenttrust/check", key=key, body=body)
        assert r.status == 401 and "revoked" in r.json["message"], r.text
        # Refused before anything was recorded: no session, no decision.
        assert psql(url, f"SELECT count(*) FROM sessions WHERE id = '{session}'") == "0"
        assert psql(url, f"SELECT count(*) FROM decisions WHERE session_id = '{session}'") == "0"


def test_elevation_approved_on_one_replica_holds_on_the_other(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    denied = check(a, agent, "s-elev", "db.update", "mutating", "UPDATE t SET a = 1 WHERE id = 7").json
    assert denied["allowed"] is False and denied["elevation_required"] is True, denied
    r = b.http("POST", f"/mcp/approvals/{denied['approval_id']}/approve", body={"decided_by": "ops"})
    assert r.status == 200 and r.json["status"] == "approved", r.text
    after = check(a, agent, "s-elev", "db.update", "mutating", "UPDATE t SET a = 1 WHERE id = 7").json
    assert after["allowed"] is True, (after["reason"], after.get("reasons"))
    assert a.http("GET", "/api/v1/sessions/s-elev").json["elevated_until"] is not None


def standard_session(server, agent: str) -> str:
    """A session in `standard` mode (writes need no elevation) on a registered server."""
    r = server.http(
        "POST",
        "/mcp/servers",
        body={
            "name": unique("srv"),
            "url": "http://127.0.0.1:9/mcp",
            "capabilities": ["db.*"],
            "default_mode": "standard",
        },
    )
    assert r.status == 201, r.text
    r = server.http("POST", "/mcp/sessions/init", body={"agent_id": agent, "server_id": r.json["id"]})
    assert r.status == 201, r.text
    return r.json["session_id"]


def test_exact_call_approval_is_used_once_across_replicas(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    session = standard_session(b, agent)
    sql = "DROP TABLE accounts"
    first = check(a, agent, session, "db.drop_table", "destructive", sql).json
    assert first["allowed"] is False and first.get("approval_id"), first
    assert first["elevation_required"] is False, first
    r = b.http("POST", f"/mcp/approvals/{first['approval_id']}/approve", body={})
    assert r.status == 200, r.text
    retry = check(a, agent, session, "db.drop_table", "destructive", sql).json
    assert retry["allowed"] is True, (retry["reason"], retry.get("reasons"))
    again = check(b, agent, session, "db.drop_table", "destructive", sql).json
    assert again["allowed"] is False, "an exact-call approval is used up by one call"
    assert a.http("GET", f"/mcp/approvals/{first['approval_id']}").json["status"] == "used"


def test_server_removal_holds_on_the_other_replica(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    r = a.http(
        "POST",
        "/mcp/servers",
        body={"name": unique("srv"), "url": "http://127.0.0.1:9/mcp", "capabilities": ["db.*"]},
    )
    assert r.status == 201, r.text
    server_id = r.json["id"]
    r = b.http("POST", "/mcp/sessions/init", body={"agent_id": agent, "server_id": server_id})
    assert r.status == 201, r.text
    session = r.json["session_id"]
    assert check(a, agent, session, "db.query", "read").json["allowed"] is True
    assert b.http("DELETE", f"/mcp/servers/{server_id}").status == 200
    after = check(a, agent, session, "db.query", "read").json
    assert after["allowed"] is False and "no longer registered" in after["reason"], after


def test_serve_refuses_an_unknown_schema(bin_path, tmp_path):
    base = pg_base_url()
    if base is None:
        import pytest

        pytest.skip("set AIRLOCK_TEST_DATABASE_URL")
    name, url = create_database(base)
    try:
        serve = ["serve", "--database", url, "--addr", "127.0.0.1:0", "--data-dir", str(tmp_path)]
        cp = airlock_cmd(bin_path, *serve, check=False)
        assert cp.returncode != 0 and "airlock migrate" in cp.stderr, cp.stderr
        # Two migrations at once: each version is applied once.
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outs = list(pool.map(lambda _: airlock_cmd(bin_path, "migrate", "--database", url).stdout, range(2)))
        # Every version from 1 up, once, whichever of the two applied them.
        import re

        applied = [m for o in outs for m in re.findall(r"applied migrations \[([0-9, ]+)\]", o)]
        assert len(applied) == 1, outs
        versions = [int(v) for v in applied[0].split(",")]
        assert versions == list(range(1, len(versions) + 1)) and len(versions) >= 8, outs
        assert any("up to date" in o for o in outs), outs
        assert psql(url, "SELECT count(*) FROM schema_migrations") == str(len(versions))
        psql(url, "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')")
        cp = airlock_cmd(bin_path, *serve, check=False)
        assert cp.returncode != 0 and "newer than this airlock" in cp.stderr, cp.stderr
        cp = airlock_cmd(bin_path, "migrate", "--database", url, check=False)
        assert cp.returncode != 0 and "newer than this airlock" in cp.stderr, cp.stderr
    finally:
        drop_database(base, name)
