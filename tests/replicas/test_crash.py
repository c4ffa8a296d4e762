"""Crash safety: under steady load, `kill -9` the server (SQLite) or one of two replicas
(PostgreSQL), restart it, and check that

- every decision a client was answered (HTTP 200) is in the log,
- every session's chain verifies and its counters equal its entries,
- no approval or revocation that was acknowledged before the kill is lost.
"""

from __future__ import annotations

import time

from replicas import Load, assert_session_intact, check, new_agent
from support import Airlock

SESSIONS = 4
CLIENTS = 8


def acknowledged_changes(server: Airlock) -> dict:
    """An agent revocation, a token revocation and an elevation approval, each acknowledged."""
    victim = new_agent(server)
    r = server.http("POST", "/api/v1/agent-tokens/issue", body={"agent_id": victim, "scopes": ["db.query"]})
    assert r.status == 201, r.text
    token = r.json["token"]
    r = server.http("POST", "/api/v1/agent-tokens/revoke", body={"token": token})
    assert r.status == 200 and r.json["revoked"] is True, r.text
    r = server.http("POST", f"/api/v1/agents/{victim}/revoke", body={"reason": "crash test"})
    assert r.status == 200, r.text
    elevated = new_agent(server)
    denied = check(server, elevated, "s-elevated", "db.update", "mutating", "UPDATE t SET a = 1 WHERE id = 7").json
    assert denied["elevation_required"] is True, denied
    r = server.http("POST", f"/mcp/approvals/{denied['approval_id']}/approve", body={"decided_by": "ops"})
    assert r.status == 200 and r.json["status"] == "approved", r.text
    return {"revoked": victim, "token": token, "elevated": elevated, "approval": denied["approval_id"]}


def assert_changes_kept(server: Airlock, changes: dict) -> None:
    assert server.http("GET", f"/api/v1/agents/{changes['revoked']}").json["status"] == "revoked"
    after = check(server, changes["revoked"], "s-victim", "db.query", "read").json
    assert after["allowed"] is False and "revoked" in after["reason"], after
    r = server.http("POST", "/api/v1/agent-tokens/introspect", body={"token": changes["token"]})
    assert r.json["active"] is False, r.text
    a = server.http("GET", f"/mcp/approvals/{changes['approval']}").json
    assert a["status"] == "approved", a
    write = check(server, changes["elevated"], "s-elevated", "db.update", "mutating", "UPDATE t SET a = 1 WHERE id = 7").json
    assert write["allowed"] is True, write["reason"]


def verify_all(server: Airlock, load: Load, sessions: list) -> int:
    answered = load.answered
    total = 0
    for s in sessions:
        got = answered.by_session.get(s, [])
        verdict = assert_session_intact(server, s, got)
        assert verdict["entries"] >= len(got)
        total += len(got)
    return total


def test_kill_9_sqlite_server_under_load(airlock_factory):
    server = airlock_factory()
    agent = new_agent(server)
    sessions = [f"crash-{i}" for i in range(SESSIONS)]
    load = Load([server], agent, sessions, clients=CLIENTS).start()
    load.wait_for(300)
    changes = acknowledged_changes(server)
    for _ in range(2):
        load.wait_for(load.answered.count() + 300)
        server._kill()  # SIGKILL, mid-load
        time.sleep(0.2)
        server.start()
    load.wait_for(load.answered.count() + 100)
    load.stop()
    assert verify_all(server, load, sessions) == load.answered.count()
    assert_changes_kept(server, changes)


def test_kill_9_one_of_two_replicas_under_load(replicas):
    a, b = replicas(2)
    agent = new_agent(a)
    sessions = [f"crash-{i}" for i in range(SESSIONS)]
    load = Load([a, b], agent, sessions, clients=CLIENTS).start()
    load.wait_for(300)
    changes = acknowledged_changes(a)
    # Kill one replica, the other goes on; restart it; then the same with the other one.
    for victim in (a, b):
        load.wait_for(load.answered.count() + 300)
        victim._kill()  # SIGKILL, mid-load
        load.wait_for(load.answered.count() + 200)
        victim.start()
    load.wait_for(load.answered.count() + 200)
    load.stop()
    for server in (a, b):
        verify_all(server, load, sessions)
        assert_changes_kept(server, changes)
