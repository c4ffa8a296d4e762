"""Delegations with the published Python SDK (`agenttrustid==0.4.0`, `client.delegations`):
authority only narrows as it passes from agent to agent (docs/delegations.md). Narrowing is
accepted and widening refused (wildcards included), a sixth hop is refused, a hop never
outlives its parent, revoking a delegation or an agent in the chain ends every delegation and
delegated session below it at once, another organization's ids answer 404, and a delegated
session decides only inside its scope and records the chain with every decision."""

from __future__ import annotations

import time

import pytest

from agenttrustid.exceptions import AgentTrustError, AuthorizationError, ValidationError

from support import assert_timestamp


def agent(client, name, caps):
    return client.agents.create(name=name, capabilities=caps)


def decisions(airlock, session_id):
    r = airlock.http("GET", f"/api/v1/sessions/{session_id}/decisions")
    assert r.status == 200, r.text
    return r.json["decisions"]


def test_a_delegation_narrows_and_its_session_decides_inside_its_scope_only(airlock, client):
    planner = agent(client, "planner", ["db.*"])
    worker = agent(client, "worker", ["db.query.read", "db.schema.read"])
    d = client.delegations.create(planner.id, worker.id, ["db.query.read"], ttl_seconds=600)
    assert d.id.startswith("dlg_")
    assert (d.from_agent_id, d.to_agent_id, d.scope) == (planner.id, worker.id, ["db.query.read"])
    assert d.restrictions == {} and d.delegation_chain == [] and d.revoked_at is None
    assert 595 <= (d.expires_at - d.created_at).total_seconds() <= 601
    assert [x.id for x in client.delegations.list()] == [d.id]

    session = client.delegations.init_session(d.id)
    assert session.source == "a2a"
    assert session.delegation_id == d.id
    # The session read back names its delegation too.
    assert client.sessions.get_session(session.session_id).delegation_id == d.id
    assert session.agent_id == worker.id and session.org_id == planner.org_id
    assert session.scope_ceiling == ["db.query.read"]
    assert_timestamp(airlock.http("GET", f"/mcp/sessions/{session.session_id}").json["created_at"])

    read = client.actions.check(
        agent_id=worker.id, action="db.query.read", tool_input_summary="SELECT * FROM orders",
        session_id=session.session_id,
    )
    assert read.allowed, read.reason
    # The worker's own `db.schema.read` is not part of the delegation: refused, naming it.
    for action in ["db.schema.read", "db.drop_table"]:
        r = client.actions.check(
            agent_id=worker.id, action=action, tool_input_summary="DROP TABLE orders",
            session_id=session.session_id,
        )
        assert not r.allowed
        assert f"delegation `{d.id}`" in r.reason and "outside its scope" in r.reason, r.reason

    chain = f"delegation chain (root first): `{d.id}` (`{planner.id}` → `{worker.id}`)"
    log = decisions(airlock, session.session_id)
    assert len(log) == 3
    assert all(chain in x["reasons"] for x in log), log
    verified = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json
    assert verified["valid"] is True, verified


def test_widening_is_refused_and_narrowing_accepted_hop_by_hop(client):
    a = agent(client, "a", ["db.*"])
    b = agent(client, "b", ["db.*", "files.*"])
    c = agent(client, "c", ["*"])
    # Beyond the delegating agent's own capabilities.
    with pytest.raises(AuthorizationError):
        client.delegations.create(a.id, b.id, ["files.read"])
    with pytest.raises(AuthorizationError):
        client.delegations.create(a.id, b.id, ["*"])
    root = client.delegations.create(a.id, b.id, ["db.*"])
    child = client.delegations.create(b.id, c.id, ["db.query.read"], parent_delegation_id=root.id)
    assert child.delegation_chain == [root.id]
    # The reverse of a narrowing: a wildcard under a name, `*` under `db.*`.
    with pytest.raises(AuthorizationError) as e:
        client.delegations.create(c.id, b.id, ["db.*"], parent_delegation_id=child.id)
    assert "never widens" in e.value.message
    with pytest.raises(AuthorizationError):
        client.delegations.create(b.id, c.id, ["*"], parent_delegation_id=root.id)
    # Malformed requests: self-delegation, an empty scope, a partial wildcard.
    for args in [(a.id, a.id, ["db.query.read"]), (a.id, b.id, []), (a.id, b.id, ["db.q*"])]:
        with pytest.raises(ValidationError):
            client.delegations.create(*args)


def test_a_chain_has_at_most_five_hops(client):
    agents = [agent(client, f"hop{i}", ["db.*"]) for i in range(7)]
    parent = None
    for i in range(5):
        d = client.delegations.create(
            agents[i].id, agents[i + 1].id, ["db.query.read"], parent_delegation_id=parent
        )
        parent = d.id
    assert len(d.delegation_chain) == 4
    with pytest.raises(ValidationError) as e:
        client.delegations.create(
            agents[5].id, agents[6].id, ["db.query.read"], parent_delegation_id=parent
        )
    assert "at most 5 hops" in e.value.message


def test_expiry_ends_the_delegated_session(client):
    a = agent(client, "a", ["db.*"])
    b = agent(client, "b", ["db.*"])
    c = agent(client, "c", ["db.*"])
    root = client.delegations.create(a.id, b.id, ["db.*"], ttl_seconds=2)
    # The SDK's default hour is clamped to the parent's expiry.
    child = client.delegations.create(b.id, c.id, ["db.query.read"], parent_delegation_id=root.id)
    assert child.expires_at == root.expires_at
    session = client.delegations.init_session(child.id)
    ok = client.actions.check(agent_id=c.id, action="db.query.read", session_id=session.session_id,
                              tool_input_summary="SELECT 1")
    assert ok.allowed, ok.reason
    time.sleep(2.2)
    late = client.actions.check(agent_id=c.id, action="db.query.read", session_id=session.session_id,
                                tool_input_summary="SELECT 1")
    assert not late.allowed and "expired" in late.reason, late.reason
    with pytest.raises(AuthorizationError):
        client.delegations.init_session(child.id)


def test_revocation_cascades_to_child_delegations_and_sessions(client):
    a = agent(client, "a", ["db.*"])
    b = agent(client, "b", ["db.*"])
    c = agent(client, "c", ["db.*"])
    root = client.delegations.create(a.id, b.id, ["db.*"])
    child = client.delegations.create(b.id, c.id, ["db.query.read"], parent_delegation_id=root.id)
    session = client.delegations.init_session(child.id)
    check = lambda: client.actions.check(agent_id=c.id, action="db.query.read",
                                         session_id=session.session_id, tool_input_summary="SELECT 1")
    assert check().allowed
    client.delegations.revoke(root.id)
    denied = check()
    assert not denied.allowed and f"delegation `{root.id}` was revoked" in denied.reason, denied.reason
    listed = {x.id: x for x in client.delegations.list()}
    assert listed[root.id].revoked_at is not None and listed[child.id].revoked_at is not None
    with pytest.raises(AuthorizationError):
        client.delegations.init_session(child.id)


def test_revoking_an_agent_in_the_chain_ends_it(client):
    a = agent(client, "a", ["db.*"])
    b = agent(client, "b", ["db.*"])
    c = agent(client, "c", ["db.*"])
    root = client.delegations.create(a.id, b.id, ["db.*"])
    child = client.delegations.create(b.id, c.id, ["db.query.read"], parent_delegation_id=root.id)
    session = client.delegations.init_session(child.id)
    client.agents.revoke(b.id)
    r = client.actions.check(agent_id=c.id, action="db.query.read", session_id=session.session_id,
                             tool_input_summary="SELECT 1")
    assert not r.allowed and root.id in r.reason, r.reason


def test_another_organizations_ids_answer_404(airlock, client):
    a = agent(client, "a", ["db.*"])
    b = agent(client, "b", ["db.*"])
    d = client.delegations.create(a.id, b.id, ["db.query.read"])
    other = airlock.client(airlock.new_org_key("other-org"))
    assert other.delegations.list() == []
    for call in [lambda: other.delegations.revoke(d.id), lambda: other.delegations.init_session(d.id)]:
        with pytest.raises(AgentTrustError) as e:
            call()
        assert e.value.code == "NOT_FOUND"
    with pytest.raises(AgentTrustError) as e:
        other.delegations.create(a.id, b.id, ["db.query.read"])
    assert e.value.code == "NOT_FOUND"
    assert client.delegations.list()[0].revoked_at is None
