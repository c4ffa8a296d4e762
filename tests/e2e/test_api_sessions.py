"""API-token sessions with the published Python SDK (`agenttrustid==0.4.0`):
`client.sessions.init_api_session(token)` bridges an agent token (`at_…`) into a session with
`source: "api"` whose ceiling is the token's scopes the agent's capabilities allow; a check in
that session is held to that ceiling. A revoked or unknown token, or a revoked agent's,
gets no session (docs/identity.md); another organization's is in crates/server/tests/identity.rs."""

from __future__ import annotations

import pytest

from agenttrustid.exceptions import AuthenticationError

from support import http


def new_agent(client, caps):
    return client.agents.create(name="api-session-agent", capabilities=caps)


def test_an_agent_token_opens_a_session_held_to_its_scopes(airlock, client):
    agent = new_agent(client, ["files:read", "files:write", "web:fetch"])
    token = client.tokens.issue(agent_id=agent.id, scopes=["files:read", "web:fetch"], use_cache=False)
    session = client.sessions.init_api_session(token.token)
    assert session.source == "api"
    assert session.agent_id == agent.id
    assert session.org_id == agent.org_id
    assert sorted(session.scope_ceiling) == ["files:read", "web:fetch"]
    assert session.mode == "read_only"
    # The session is a real one: the SDK reads it back, and checks in it are held to the ceiling.
    assert client.sessions.get_session(session.session_id).source == "api"
    allowed = client.actions.check(agent_id=agent.id, action="files:read", session_id=session.session_id)
    assert allowed.allowed, allowed.reason
    outside = client.actions.check(agent_id=agent.id, action="files:write", session_id=session.session_id)
    assert not outside.allowed and "ceiling" in outside.reason, outside.reason
    assert client.sessions.get_session(session.session_id).total_calls == 2


def test_a_token_that_is_not_good_gets_no_session(airlock, client):
    agent = new_agent(client, ["files:read"])
    with pytest.raises(AuthenticationError):
        client.sessions.init_api_session("at_" + "0" * 64)
    with pytest.raises(AuthenticationError):
        client.sessions.init_api_session("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
    r = http("POST", airlock.url + "/api/v1/agenttrust/api-sessions/init", key=airlock.key, body={})
    assert r.status == 400, r.text

    revoked = client.tokens.issue(agent_id=agent.id, scopes=["files:read"], use_cache=False)
    assert client.tokens.revoke(revoked.token)
    with pytest.raises(AuthenticationError) as e:
        client.sessions.init_api_session(revoked.token)
    assert "revoked" in e.value.message

    # A revoked agent's tokens are revoked with it: they open nothing.
    token = client.tokens.issue(agent_id=agent.id, scopes=["files:read"], use_cache=False)
    client.agents.revoke(agent.id)
    with pytest.raises(AuthenticationError):
        client.sessions.init_api_session(token.token)
