"""The flows of the product through the published Python SDK (`agenttrustid==0.4.0`).

Elevation (read_only → approval → elevated for a bounded window → read_only again), denied
approvals, exact-call approvals for destructive calls, agent tokens, agent revocation, the
decision log and its hash chain (including tampering with the stored rows), isolation between
organizations, implicit sessions of the SDK's Guard, and telemetry. Raw HTTP is used only
where the SDK has no call (approval lists, decision log, documented server form).
"""

from __future__ import annotations

import sqlite3
import time
import uuid

import pytest

from agenttrustid import AgentTrustGuard
from agenttrustid.exceptions import AgentTrustError, AuthorizationError

from support import Airlock, unique

FILES = ["files.read", "files.write", "files.delete"]


def agent_and_session(airlock: Airlock, caps=FILES, server_caps=None, default_mode=None):
    """An agent, a registered server and a session of the agent on it.

    With `default_mode`, the server is registered in the documented form (raw HTTP), since the
    SDK's `register_server` cannot set a mode.
    """
    client = airlock.client()
    agent = client.agents.create(name=unique("agent"), capabilities=list(caps))
    server_caps = list(server_caps if server_caps is not None else caps)
    if default_mode is None:
        server_id = client.mcp.register_server(
            name=unique("server"), url="http://127.0.0.1:9/mcp", capabilities=server_caps
        ).id
    else:
        r = airlock.http(
            "POST",
            "/mcp/servers",
            body={
                "name": unique("server"),
                "url": "http://127.0.0.1:9/mcp",
                "capabilities": server_caps,
                "default_mode": default_mode,
            },
        )
        assert r.status == 201, r.text
        server_id = r.json["id"]
    session = client.sessions.init_session(agent_id=agent.id, server_id=server_id)
    return client, agent, server_id, session


def checker(client, agent, session):
    """`check(tool, effect, summary="")`: the SDK's check in this agent's session."""

    def check(tool: str, effect: str, summary: str = ""):
        return client.actions.check(
            agent_id=agent.id,
            session_id=session.session_id,
            tool_name=tool,
            tool_input_summary=summary,
            action_effect=effect,
        )

    return check


def raw_check(airlock: Airlock, agent, session, action_name: str, **fields) -> dict:
    """A check over plain HTTP, for the answer's fields the SDK drops (effect, risk_tier) and the
    request fields it cannot send (`action_input`)."""
    body = {"agent_id": agent.id, "session_id": session.session_id, "action_name": action_name, **fields}
    r = airlock.http("POST", "/api/v1/agenttrust/check", body=body)
    assert r.status == 200, r.text
    return r.json


def pending_ids(airlock: Airlock, key=None) -> set:
    r = airlock.http("GET", "/mcp/approvals?status=pending", key=key or airlock.key)
    assert r.status == 200, r.text
    return {a["id"] for a in r.json["approvals"]}


# ---------------------------------------------------------------------------------------------
# Elevation


def test_elevation_flow_with_a_bounded_window(airlock_factory):
    airlock = airlock_factory("--elevation-window-secs", "2")
    client, agent, _, session = agent_and_session(airlock)
    assert session.mode == "read_only"

    check = checker(client, agent, session)

    def write():
        return check("files.write", "mutating", "path=/srv/report.txt")

    denied = write()
    assert denied.allowed is False
    assert denied.elevation_required is True
    assert denied.approval_id
    assert "read_only" in denied.reason

    approval = client.approvals.get(denied.approval_id)
    assert approval.status == "pending"
    assert approval.session_id == session.session_id
    assert approval.agent_id == agent.id
    assert approval.action_name == "files.write"
    assert approval.action_effect == "mutating"
    assert approval.expires_at > approval.created_at
    assert denied.approval_id in pending_ids(airlock)

    # Asking again while the approval is pending points to the same approval.
    again = write()
    assert again.allowed is False and again.approval_id == denied.approval_id

    answer = client.approvals.approve(denied.approval_id, decided_by="reviewer@example.com")
    assert answer["status"] == "approved"
    decided = client.approvals.get(denied.approval_id)
    assert decided.status == "approved"
    assert decided.decided_by == "reviewer@example.com"
    assert denied.approval_id not in pending_ids(airlock)
    assert client.sessions.get_session(session.session_id).mode == "elevated"

    allowed = write()
    assert allowed.allowed is True, allowed.reason
    assert allowed.elevation_required is False

    time.sleep(2.5)
    assert client.sessions.get_session(session.session_id).mode == "read_only"
    after = write()
    assert after.allowed is False, after.reason
    assert after.elevation_required is True
    assert after.approval_id and after.approval_id != denied.approval_id


def test_reads_need_no_elevation(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock)
    r = checker(client, agent, session)("files.read", "read", "path=/srv/report.txt")
    assert r.allowed is True, r.reason
    assert r.elevation_required is False and r.approval_id is None
    assert r.guard_tier == "fast"
    assert r.check_id


def test_denied_approval_does_not_elevate(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock)

    check = checker(client, agent, session)

    def write():
        return check("files.write", "mutating", "path=/etc/motd")

    denied = write()
    assert denied.elevation_required is True and denied.approval_id
    answer = client.approvals.deny(denied.approval_id, decided_by="reviewer")
    assert answer["status"] == "denied"
    got = client.approvals.get(denied.approval_id)
    assert got.status == "denied" and got.decided_by == "reviewer"
    assert denied.approval_id not in pending_ids(airlock)
    assert client.sessions.get_session(session.session_id).mode == "read_only"

    retry = write()
    assert retry.allowed is False
    assert retry.elevation_required is True
    assert retry.approval_id != denied.approval_id, "a denied approval must not be reused"

    # A decided approval cannot be decided again.
    r = airlock.http("POST", f"/mcp/approvals/{denied.approval_id}/approve", body={})
    assert r.status == 409, r.text
    r.error_body()
    assert client.approvals.get(denied.approval_id).status == "denied"


# ---------------------------------------------------------------------------------------------
# Exact-call approvals for destructive calls


def test_exact_call_approval_lets_one_identical_call_through(airlock: Airlock):
    client, agent, _, session = agent_and_session(
        airlock, caps=["db.*"], default_mode="standard"
    )
    assert session.mode == "standard"

    check = checker(client, agent, session)

    def drop(sql: str):
        return check("db.drop_table", "destructive", sql)

    first = drop("DROP TABLE users")
    assert first.allowed is False
    assert first.approval_id
    assert first.elevation_required is False
    assert "guardian" in first.reason.lower(), first.reason
    approval = client.approvals.get(first.approval_id)
    assert approval.status == "pending"
    assert approval.action_name == "db.drop_table"
    assert approval.action_effect == "destructive"

    answer = client.approvals.approve(first.approval_id)
    assert answer["status"] == "approved"

    # Another input is not covered by the approval of this one.
    other = drop("DROP TABLE orders")
    assert other.allowed is False, other.reason
    assert other.approval_id and other.approval_id != first.approval_id

    once = drop("DROP TABLE users")
    assert once.allowed is True, once.reason
    assert once.guard_tier == "deep"
    used = airlock.http("GET", f"/mcp/approvals/{first.approval_id}").json
    assert used["status"] == "used", used
    assert used["used_at"]
    assert [a["id"] for a in airlock.http("GET", "/mcp/approvals?status=used").json["approvals"]] == [
        first.approval_id
    ]

    twice = drop("DROP TABLE users")
    assert twice.allowed is False, "an exact-call approval is used up by one call"
    assert twice.approval_id and twice.approval_id != first.approval_id

    # The session is not elevated by a call approval.
    assert client.sessions.get_session(session.session_id).mode == "standard"


def test_pending_call_approval_is_reused_until_decided(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock, caps=["db.*"], default_mode="standard")
    check = checker(client, agent, session)
    first = check("db.drop_table", "destructive", "DROP TABLE users")
    second = check("db.drop_table", "destructive", "DROP TABLE users")
    assert first.approval_id and second.approval_id == first.approval_id
    assert len(pending_ids(airlock)) == 1


def test_json_input_digest_ignores_key_order(airlock: Airlock):
    """Airlock's `action_input` (full JSON arguments) binds an approval to the arguments, not
    to their key order."""
    client, agent, _, session = agent_and_session(airlock, caps=["db.*"], default_mode="standard")

    def drop(arguments):
        return raw_check(airlock, agent, session, "db.drop_table", action_input=arguments, action_effect="destructive")

    first = drop({"table": "users", "cascade": True})
    assert first["allowed"] is False and first["approval_id"]
    client.approvals.approve(first["approval_id"])
    assert drop({"table": "orders", "cascade": True})["allowed"] is False
    assert drop({"cascade": True, "table": "users"})["allowed"] is True


def test_approved_call_outlives_a_short_approval_ttl(airlock_factory):
    airlock = airlock_factory("--approval-ttl-secs", "2")
    client, agent, _, session = agent_and_session(airlock, caps=["db.*"], default_mode="standard")
    check = checker(client, agent, session)
    first = check("db.drop_table", "destructive", "DROP TABLE users")
    answer = client.approvals.approve(first.approval_id)
    # What the approval answer says is what is stored.
    stored = airlock.http("GET", f"/mcp/approvals/{first.approval_id}").json
    assert stored["expires_at"] == answer["approval"]["expires_at"], (stored, answer)
    time.sleep(2.5)
    retry = check("db.drop_table", "destructive", "DROP TABLE users")
    assert retry.allowed is True, "an approved call may be retried after the request's own TTL: " + retry.reason


def test_approval_does_not_outrank_revocation(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock, caps=["db.*"], default_mode="standard")
    check = checker(client, agent, session)
    first = check("db.drop_table", "destructive", "DROP TABLE users")
    client.approvals.approve(first.approval_id)
    client.agents.revoke(agent.id)
    after = check("db.drop_table", "destructive", "DROP TABLE users")
    assert after.allowed is False and "revoked" in after.reason


def test_require_approval_applies_to_every_call(airlock: Airlock):
    """A tool registered with `require_approval: true` needs an approval for every call, a read
    included (the deny reason says "requires approval for every call")."""
    client = airlock.client()
    agent = client.agents.create(name=unique("agent"), capabilities=["*"])
    r = airlock.http(
        "POST",
        "/mcp/servers",
        body={
            "name": unique("server"),
            "url": "http://127.0.0.1:9/mcp",
            "tools": [{"name": "get_payroll", "require_approval": True}, {"name": "get_weather"}],
            "default_mode": "standard",
        },
    )
    assert r.status == 201, r.text
    session = client.sessions.init_session(agent_id=agent.id, server_id=r.json["id"])
    check = checker(client, agent, session)
    assert check("get_weather", "read").allowed is True
    for effect in ("mutating", "read"):
        r = check("get_payroll", effect)
        assert r.allowed is False, f"{effect} call of a require_approval tool: {r.reason}"
        assert r.approval_id and "approval" in r.reason
        client.approvals.approve(r.approval_id)
        assert check("get_payroll", effect).allowed is True


def test_call_approval_is_bound_to_the_session(airlock: Airlock):
    client, agent, server_id, session = agent_and_session(
        airlock, caps=["db.*"], default_mode="standard"
    )
    other_session = client.sessions.init_session(agent_id=agent.id, server_id=server_id)

    def drop(sid: str):
        return client.actions.check(
            agent_id=agent.id,
            session_id=sid,
            tool_name="db.drop_table",
            tool_input_summary="DROP TABLE users",
            action_effect="destructive",
        )

    first = drop(session.session_id)
    client.approvals.approve(first.approval_id)
    elsewhere = drop(other_session.session_id)
    assert elsewhere.allowed is False, "an approval of one session must not serve another"
    assert drop(session.session_id).allowed is True


def test_mutating_calls_in_standard_sessions_pass_without_approval(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock, default_mode="standard")
    r = checker(client, agent, session)("files.write", "mutating", "path=/srv/a.txt")
    assert r.allowed is True, r.reason
    assert r.guard_tier == "spot"


# ---------------------------------------------------------------------------------------------
# Scope ceiling


def test_session_ceiling_is_server_and_agent_capabilities_intersected(airlock: Airlock):
    client, agent, _, session = agent_and_session(
        airlock, caps=["files.read", "mail.send"], server_caps=["files.*"]
    )
    assert session.scope_ceiling == ["files.read"]
    r = client.actions.check(
        agent_id=agent.id,
        session_id=session.session_id,
        tool_name="mail.send",
        action_effect="mutating",
    )
    assert r.allowed is False
    assert "scope ceiling" in r.reason
    assert r.elevation_required is False and r.approval_id is None


# ---------------------------------------------------------------------------------------------
# Tokens


def test_token_issue_introspect_revoke(client):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read", "files.write"])
    token = client.tokens.issue(agent_id=agent.id, scopes=["files.read"], use_cache=False)
    assert token.token.startswith("at_")
    assert token.agent_id == agent.id
    assert token.scopes == ["files.read"]
    assert token.expires_at is not None and token.expires_at > token.issued_at
    assert 250 <= token.ttl_seconds <= 300

    ok = client.tokens.introspect(token.token, required_scopes=["files.read"])
    assert ok.active is True
    assert ok.agent_id == agent.id
    assert ok.scopes == ["files.read"]
    assert ok.expires_at is not None
    assert ok.org_id == agent.org_id

    lacking = client.tokens.introspect(token.token, required_scopes=["files.write"])
    assert lacking.active is False, "a scope the token does not hold"

    assert client.tokens.revoke(token.token) is True
    gone = client.tokens.introspect(token.token)
    assert gone.active is False
    assert "revoked" in (gone.reasoning or "")


def test_token_expires(client):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read"])
    token = client.tokens.issue(agent_id=agent.id, scopes=["files.read"], ttl_seconds=2, use_cache=False)
    assert client.tokens.introspect(token.token).active is True
    time.sleep(2.3)
    expired = client.tokens.introspect(token.token)
    assert expired.active is False and "expired" in (expired.reasoning or "")


def test_introspecting_garbage_is_inactive(client):
    r = client.tokens.introspect("at_" + "0" * 64)
    assert r.active is False


def test_token_scopes_are_bounded_by_the_agent(client):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read"])
    with pytest.raises(AuthorizationError):
        client.tokens.issue(agent_id=agent.id, scopes=["files.write"], use_cache=False)


# ---------------------------------------------------------------------------------------------
# Agent revocation


def test_revoked_agent_gets_nothing(airlock: Airlock):
    client, agent, server_id, session = agent_and_session(airlock)
    token = client.tokens.issue(agent_id=agent.id, scopes=["files.read"], use_cache=False)
    before = client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.read", action_effect="read"
    )
    assert before.allowed is True

    assert client.agents.revoke(agent.id, reason="compromised") is True
    assert client.agents.get(agent.id).status.value == "revoked"

    after = client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.read", action_effect="read"
    )
    assert after.allowed is False
    assert "revoked" in after.reason
    implicit = client.actions.check(agent_id=agent.id, tool_name="files.read", action_effect="read")
    assert implicit.allowed is False
    assert client.tokens.introspect(token.token).active is False
    with pytest.raises(AuthorizationError):
        client.tokens.issue(agent_id=agent.id, scopes=["files.read"], use_cache=False)
    with pytest.raises(AuthorizationError):
        client.sessions.init_session(agent_id=agent.id, server_id=server_id)


# ---------------------------------------------------------------------------------------------
# Decision log and hash chain


def run_mixed_checks(client, agent, session):
    """Five checks with different outcomes; returns the SDK's results in order."""
    calls = [
        ("files.read", "path=/a", "read"),
        ("files.write", "path=/b", "mutating"),
        ("mail.send", "to=x@example.com", "mutating"),
        ("files.read", "path=/c", "read"),
        ("files.delete", "path=/d", "destructive"),
    ]
    check = checker(client, agent, session)
    return calls, [check(tool, effect, summary) for tool, summary, effect in calls]


def test_decision_log_lists_every_check_oldest_first(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock)
    calls, results = run_mixed_checks(client, agent, session)
    assert [r.allowed for r in results] == [True, False, False, True, False]

    r = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/decisions")
    assert r.status == 200, r.text
    log = r.json
    decisions = log["decisions"]
    assert len(decisions) == len(calls)
    assert [d["seq"] for d in decisions] == [1, 2, 3, 4, 5]
    assert [d["check_id"] for d in decisions] == [x.check_id for x in results]
    assert [d["action_name"] for d in decisions] == [c[0] for c in calls]
    assert [d["allowed"] for d in decisions] == [x.allowed for x in results]
    assert [d["reason"] for d in decisions] == [x.reason for x in results]
    assert [d["effect"] for d in decisions] == ["read", "mutating", "mutating", "read", "destructive"]
    assert decisions[-1]["hash"] == log["head"]
    assert log["total_calls"] == 5
    times = [d["decided_at"] for d in decisions]
    assert times == sorted(times)

    state = client.sessions.get_session(session.session_id)
    assert (state.total_calls, state.read_calls, state.write_calls, state.denied_calls) == (5, 2, 3, 3)

    v = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json
    assert v["valid"] is True, v
    assert v["entries"] == v["calls"] == state.total_calls == 5
    assert v["head"] == log["head"]


def test_decision_log_pages(client, airlock: Airlock):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read"])
    sid = str(uuid.uuid4())
    for _ in range(5):
        client.actions.check(agent_id=agent.id, session_id=sid, tool_name="files.read", action_effect="read")
    page = airlock.http("GET", f"/api/v1/sessions/{sid}/decisions?after=2&limit=2").json["decisions"]
    assert [d["seq"] for d in page] == [3, 4]


def test_decision_log_of_an_implicit_session(client, airlock: Airlock):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read"])
    sid = str(uuid.uuid4())
    for _ in range(3):
        assert client.actions.check(
            agent_id=agent.id, session_id=sid, tool_name="files.read", action_effect="read"
        ).allowed
    v = airlock.http("GET", f"/api/v1/sessions/{sid}/verify").json
    assert v == {**v, "valid": True, "entries": 3, "calls": 3}


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE decisions SET allowed = 1 - allowed WHERE session_id = ? AND seq = 2",
        "UPDATE decisions SET reason = 'nothing to see here' WHERE session_id = ? AND seq = 3",
        "UPDATE decisions SET action_name = 'files.read' WHERE session_id = ? AND seq = 5",
        "DELETE FROM decisions WHERE session_id = ? AND seq = 5",
    ],
    ids=["allowed", "reason", "action_name", "deleted-row"],
)
def test_tampering_with_the_log_is_detected(airlock: Airlock, tamper: str):
    client, agent, _, session = agent_and_session(airlock)
    run_mixed_checks(client, agent, session)
    sid = session.session_id
    assert airlock.http("GET", f"/api/v1/sessions/{sid}/verify").json["valid"] is True

    airlock.stop()
    with sqlite3.connect(airlock.db_path) as db:
        changed = db.execute(tamper, (sid,)).rowcount
    db.close()
    assert changed == 1
    airlock.start()

    r = airlock.http("GET", f"/api/v1/sessions/{sid}/verify")
    assert r.status == 200, r.text
    assert r.json["valid"] is False, r.json


def test_untouched_log_survives_a_restart(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock)
    run_mixed_checks(client, agent, session)
    airlock.restart()
    client = airlock.client()
    v = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json
    assert v["valid"] is True and v["entries"] == 5
    # The chain goes on after the restart.
    client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.read", action_effect="read"
    )
    v = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json
    assert v["valid"] is True and v["entries"] == v["calls"] == 6


# ---------------------------------------------------------------------------------------------
# Organizations


def test_organizations_are_isolated(airlock: Airlock):
    a_client, agent, server_id, session = agent_and_session(airlock)
    denied = a_client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.write", action_effect="mutating"
    )
    approval_id = denied.approval_id
    assert approval_id
    token = a_client.tokens.issue(agent_id=agent.id, scopes=["files.read"], use_cache=False)

    other_key = airlock.new_org_key("other")
    b_client = airlock.client(other_key)
    b = lambda method, path, **kw: airlock.http(method, path, key=other_key, **kw)  # noqa: E731

    # The other organization sees none of it.
    for method, path in [
        ("GET", f"/api/v1/agents/{agent.id}"),
        ("POST", f"/api/v1/agents/{agent.id}/revoke"),
        ("GET", f"/mcp/servers/{server_id}"),
        ("DELETE", f"/mcp/servers/{server_id}"),
        ("GET", f"/mcp/sessions/{session.session_id}"),
        ("GET", f"/api/v1/sessions/{session.session_id}"),
        ("GET", f"/api/v1/sessions/{session.session_id}/decisions"),
        ("GET", f"/api/v1/sessions/{session.session_id}/verify"),
        ("GET", f"/mcp/approvals/{approval_id}"),
        ("POST", f"/mcp/approvals/{approval_id}/approve"),
        ("POST", f"/mcp/approvals/{approval_id}/deny"),
    ]:
        r = b(method, path)
        assert r.status == 404, f"{method} {path} with another org's key: {r.status} {r.text}"
        r.error_body()

    assert b_client.agents.list() == []
    assert b_client.mcp.list_servers() == []
    assert b("GET", "/mcp/approvals").json["approvals"] == []
    assert b("GET", "/mcp/approvals?status=pending").json["approvals"] == []
    r = b("POST", "/mcp/sessions/init", body={"agent_id": agent.id, "server_id": server_id})
    assert r.status == 404, r.text
    r = b("POST", "/api/v1/agent-tokens/issue", body={"agent_id": agent.id, "scopes": ["files.read"]})
    assert r.status == 404, r.text
    r = b("POST", "/api/v1/telemetry/report", body={"agent_id": agent.id, "session_id": "", "events": []})
    assert r.status == 404, r.text
    assert b_client.tokens.introspect(token.token).active is False
    b("POST", "/api/v1/agent-tokens/revoke", body={"token": token.token})

    # A check naming another organization's agent is denied, even with its session id.
    for sid in ("", session.session_id):
        r = b_client.actions.check(agent_id=agent.id, session_id=sid, tool_name="files.read", action_effect="read")
        assert r.allowed is False, r.reason

    # Nothing of the first organization changed.
    assert a_client.agents.get(agent.id).status.value == "active"
    assert [s.id for s in a_client.mcp.list_servers()] == [server_id]
    assert a_client.approvals.get(approval_id).status == "pending"
    assert a_client.tokens.introspect(token.token).active is True
    state = a_client.sessions.get_session(session.session_id)
    assert state.total_calls == 1
    assert airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json["valid"] is True

    # The other organization's own objects work as usual and stay its own.
    b_agent = b_client.agents.create(name=unique("b-agent"), capabilities=["files.read"])
    assert b_agent.org_id != agent.org_id
    assert [a.id for a in b_client.agents.list()] == [b_agent.id]
    assert b_agent.id not in [a.id for a in a_client.agents.list()]
    r = a_client.actions.check(agent_id=b_agent.id, tool_name="files.read", action_effect="read")
    assert r.allowed is False


def test_agent_org_id_is_the_callers(client):
    agent = client.agents.create(name=unique("agent"), capabilities=[])
    again = client.agents.create(name=unique("agent"), capabilities=[], org_id=agent.org_id)
    assert again.org_id == agent.org_id
    with pytest.raises(AuthorizationError):
        client.agents.create(name=unique("agent"), org_id="org_someone_else")


# ---------------------------------------------------------------------------------------------
# Implicit sessions (the SDK's Guard and framework wrappers never call session init)


def test_guard_with_a_random_session_id(airlock: Airlock, client):
    agent = client.agents.create(
        name=unique("agent"), capabilities=["files.read", "files.delete"]
    )
    guard = AgentTrustGuard(client, agent_id=agent.id)
    try:
        assert guard.check("files.read", input_summary="path=/srv/a.txt", action_effect="read") is True
        with pytest.raises(AgentTrustError) as err:
            guard.check("files.delete", input_summary="rm -rf /srv", action_effect="destructive")
        assert err.value.code in ("ACTION_DENIED", "ELEVATION_REQUIRED")
        if err.value.code == "ELEVATION_REQUIRED":
            assert err.value.details.get("approval_id")
        with pytest.raises(AgentTrustError) as err:
            guard.check("shell.exec", input_summary="ls", action_effect="read")
        assert err.value.code == "ACTION_DENIED"
        guard.report("files.read", success=True, duration_ms=12)
    finally:
        guard.close()

    state = client.sessions.get_session(guard.session_id)
    assert state.agent_id == agent.id
    assert sorted(state.scope_ceiling) == ["files.delete", "files.read"]
    assert state.total_calls == 3 and state.denied_calls == 2
    v = airlock.http("GET", f"/api/v1/sessions/{guard.session_id}/verify").json
    assert v["valid"] is True and v["entries"] == 3


def test_capabilities_match_any_separator_and_case(client):
    agent = client.agents.create(name=unique("agent"), capabilities=["Files.Read", "db.*"])
    for action in ("files.read", "files:read", "FILES/READ", "files_read", "db.query.read"):
        r = client.actions.check(agent_id=agent.id, tool_name=action, action_effect="read")
        assert r.allowed is True, (action, r.reason)
    for action in ("files.read.all", "files", "dbx.query", "mail.read"):
        r = client.actions.check(agent_id=agent.id, tool_name=action, action_effect="read")
        assert r.allowed is False, (action, r.reason)


def test_check_without_a_session_id(client):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read"])
    r = client.actions.check(agent_id=agent.id, tool_name="files.read", action_effect="read")
    assert r.allowed is True, r.reason


def test_session_of_another_agent_is_refused(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock)
    intruder = client.agents.create(name=unique("agent"), capabilities=list(FILES))
    before = client.sessions.get_session(session.session_id)
    # Refused before anything is decided: the session is neither taken nor changed.
    with pytest.raises(AuthorizationError, match="another agent"):
        client.actions.check(
            agent_id=intruder.id, session_id=session.session_id, tool_name="files.read", action_effect="read"
        )
    after = client.sessions.get_session(session.session_id)
    assert after.agent_id == agent.id
    assert after.total_calls == before.total_calls and after.denied_calls == before.denied_calls


def test_unknown_agent_is_denied(client):
    r = client.actions.check(agent_id="agt_" + uuid.uuid4().hex, tool_name="files.read", action_effect="read")
    assert r.allowed is False


# ---------------------------------------------------------------------------------------------
# Behaviour


def test_probing_raises_the_risk_tier(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock, caps=["files.read"], default_mode="standard")
    for _ in range(5):
        r = client.actions.check(
            agent_id=agent.id, session_id=session.session_id, tool_name="secrets.read", action_effect="read"
        )
        assert r.allowed is False
    r = raw_check(airlock, agent, session, "files.read", action_effect="read")
    assert r["effect"] == "read"
    assert r["risk_tier"] == "mutating", r
    assert "probing" in r["reason"], r["reason"]


def test_a_burst_of_writes_raises_the_risk_tier(airlock: Airlock):
    client, agent, _, session = agent_and_session(airlock, default_mode="standard")
    check = checker(client, agent, session)
    for i in range(5):
        r = check("files.write", "mutating", f"path=/srv/{i}")
        assert r.allowed is True, r.reason
    sixth = check("files.write", "mutating", "path=/srv/6")
    assert sixth.allowed is False, "the sixth write of a burst goes to the guardian path"
    assert "burst of writes" in sixth.reason, sixth.reason
    assert sixth.approval_id


def test_elevation_of_one_session_does_not_elevate_another(airlock: Airlock):
    client, agent, server_id, session = agent_and_session(airlock)
    other = client.sessions.init_session(agent_id=agent.id, server_id=server_id)
    denied = client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.write", action_effect="mutating"
    )
    client.approvals.approve(denied.approval_id)
    assert client.sessions.get_session(session.session_id).mode == "elevated"
    assert client.sessions.get_session(other.session_id).mode == "read_only"
    r = client.actions.check(
        agent_id=agent.id, session_id=other.session_id, tool_name="files.write", action_effect="mutating"
    )
    assert r.allowed is False and r.elevation_required is True
    assert r.approval_id != denied.approval_id


def test_concurrent_checks_on_one_session_keep_the_chain(airlock: Airlock):
    from concurrent.futures import ThreadPoolExecutor

    client, agent, _, session = agent_and_session(airlock)
    threads, per_thread = 4, 25

    def worker(n: int) -> list:
        c = airlock.client()  # one SDK client per thread
        out = []
        for i in range(per_thread):
            tool, effect = ("files.read", "read") if i % 3 else ("files.write", "mutating")
            out.append(
                c.actions.check(
                    agent_id=agent.id,
                    session_id=session.session_id,
                    tool_name=tool,
                    tool_input_summary=f"{n}-{i}",
                    action_effect=effect,
                )
            )
        return out

    with ThreadPoolExecutor(threads) as pool:
        results = [r for batch in pool.map(worker, range(threads)) for r in batch]
    total = threads * per_thread
    assert len({r.check_id for r in results}) == total
    state = client.sessions.get_session(session.session_id)
    assert state.total_calls == total
    assert state.denied_calls == sum(1 for r in results if not r.allowed)
    # Concurrent denials in one read_only session share one pending elevation approval.
    assert len({r.approval_id for r in results if r.approval_id}) == 1
    log = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/decisions").json["decisions"]
    assert [d["seq"] for d in log] == list(range(1, total + 1))
    assert {d["check_id"] for d in log} == {r.check_id for r in results}
    v = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json
    assert v["valid"] is True and v["entries"] == v["calls"] == total


# ---------------------------------------------------------------------------------------------
# Telemetry


def test_telemetry_report(client):
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read"])
    answer = client.telemetry.report(
        agent_id=agent.id,
        session_id=str(uuid.uuid4()),
        events=[
            {"event_type": "tool_start", "tool_name": "files.read", "timestamp": "2026-01-01T00:00:00Z"},
            {
                "event_type": "tool_end",
                "tool_name": "files.read",
                "duration_ms": 12,
                "success": True,
                "timestamp": "2026-01-01T00:00:00.012000+00:00",
            },
            {"event_type": "tool_error", "tool_name": "files.read", "success": False, "error_type": "IOError"},
        ],
    )
    assert answer == {"accepted": True, "events_processed": 3}
    assert client.telemetry.report(agent_id=agent.id, session_id="", events=[]) == {
        "accepted": True,
        "events_processed": 0,
    }
