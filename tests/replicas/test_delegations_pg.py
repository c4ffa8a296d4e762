"""Delegations across two replicas on PostgreSQL (docs/delegations.md): a delegation revoked on
replica A ends, at once, the delegated session that replica B is deciding for — B reads the
chain from the database at every decision, and keeps none of it in memory. The same holds for
the hop below it, and for an agent revoked on A."""

from __future__ import annotations

from replicas import check, new_agent


def delegate(server, from_agent, to_agent, scope, parent=None):
    body = {"from_agent_id": from_agent, "to_agent_id": to_agent, "scope": scope}
    if parent:
        body["parent_delegation_id"] = parent
    r = server.http("POST", "/api/v1/delegations", body=body)
    assert r.status == 201, r.text
    return r.json["delegation"]["id"]


def open_session(server, delegation_id):
    r = server.http("POST", f"/api/v1/delegations/{delegation_id}/session")
    assert r.status == 201, r.text
    assert r.json["source"] == "a2a" and r.json["delegation_id"] == delegation_id, r.text
    return r.json["session_id"]


def decide(server, agent_id, session_id):
    r = check(server, agent_id, session_id, "db.query.read", "read", "SELECT 1")
    assert r.status == 200, r.text
    return r.json


def test_revocation_on_one_replica_ends_the_delegated_session_on_the_other(replicas):
    a, b = replicas(2)
    planner, worker, helper = (new_agent(a) for _ in range(3))
    root = delegate(a, planner, worker, ["db.*"])
    child = delegate(b, worker, helper, ["db.query.read"], parent=root)
    session = open_session(a, child)
    # Replica B decides in the session replica A opened.
    for _ in range(3):
        assert decide(b, helper, session)["allowed"] is True
    r = a.http("DELETE", f"/api/v1/delegations/{root}")
    assert r.status == 200, r.text
    # The very next decision on B is refused, naming the revoked hop; and on A too.
    for server in (b, a):
        denied = decide(server, helper, session)
        assert denied["allowed"] is False, denied
        assert f"delegation `{root}` was revoked" in denied["reason"], denied
    got = b.http("GET", f"/api/v1/delegations/{child}").json
    assert got["revoked_at"] is not None, got
    assert b.http("POST", f"/api/v1/delegations/{child}/session").status == 403


def test_an_agent_revoked_on_one_replica_ends_the_chain_on_the_other(replicas):
    a, b = replicas(2)
    planner, worker = new_agent(a), new_agent(a)
    d = delegate(a, planner, worker, ["db.query.read"])
    session = open_session(b, d)
    assert decide(b, worker, session)["allowed"] is True
    r = a.http("POST", f"/api/v1/agents/{planner}/revoke", body={"reason": "test"})
    assert r.status == 200, r.text
    denied = decide(b, worker, session)
    assert denied["allowed"] is False and d in denied["reason"], denied
