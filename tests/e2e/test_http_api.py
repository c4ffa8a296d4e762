"""Every HTTP route of `airlock serve`, its status codes and its error bodies.

Errors are always JSON `{"error": code, "message": text}` (the Rust and Java SDKs read only
`message`). Bad input is refused with a 4xx and changes nothing. Response shapes are the ones
the published SDK parses: RFC 3339 UTC timestamps with `Z` and at most 6 fractional digits,
agent status `active|suspended|revoked`, wrapped lists (`{"agents": [...]}`).
"""

from __future__ import annotations

import json
import uuid

import pytest

from agenttrustid.exceptions import (
    AgentTrustError,
    AuthenticationError,
    AuthorizationError,
    ValidationError,
)

from support import Airlock, assert_timestamp, http, unique

AGENT_STATUSES = {"active", "suspended", "revoked"}


@pytest.fixture
def world(airlock: Airlock):
    """One of everything: an agent, a server, a session with a pending approval, a token."""
    client = airlock.client()
    agent = client.agents.create(name=unique("agent"), capabilities=["files.read", "files.write"])
    server = client.mcp.register_server(
        name=unique("server"), url="http://127.0.0.1:9/mcp", capabilities=["files.*"]
    )
    session = client.sessions.init_session(agent_id=agent.id, server_id=server.id)
    denied = client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.write", action_effect="mutating"
    )
    assert denied.approval_id
    token = client.tokens.issue(agent_id=agent.id, scopes=["files.read"], use_cache=False)
    return {
        "agent": agent.id,
        "server": server.id,
        "session": session.session_id,
        "approval": denied.approval_id,
        "token": token.token,
    }


def routes(w: dict) -> list:
    """(method, path, body) of every authenticated route, with valid ids and bodies."""
    a, s, sess, apr, tok = w["agent"], w["server"], w["session"], w["approval"], w["token"]
    check = {"agent_id": a, "session_id": sess, "action_name": "files.read", "action_effect": "read"}
    return [
        ("POST", "/api/v1/agents", {"name": "x", "capabilities": []}),
        ("GET", "/api/v1/agents", None),
        ("GET", f"/api/v1/agents/{a}", None),
        ("POST", f"/api/v1/agents/{a}/revoke", {"reason": "test"}),
        ("POST", "/mcp/servers", {"name": "x", "url": "http://127.0.0.1:9"}),
        ("GET", "/mcp/servers", None),
        ("GET", f"/mcp/servers/{s}", None),
        ("DELETE", f"/mcp/servers/{s}", None),
        ("POST", "/mcp/sessions/init", {"agent_id": a, "server_id": s}),
        ("GET", f"/mcp/sessions/{sess}", None),
        ("GET", f"/api/v1/sessions/{sess}", None),
        ("POST", "/api/v1/agenttrust/check", check),
        ("POST", "/api/v1/actions/check", check),
        ("GET", "/mcp/approvals?status=pending", None),
        ("GET", f"/mcp/approvals/{apr}", None),
        ("POST", f"/mcp/approvals/{apr}/approve", {"decided_by": "x"}),
        ("POST", f"/mcp/approvals/{apr}/deny", {"decided_by": "x"}),
        ("POST", "/api/v1/agent-tokens/issue", {"agent_id": a, "scopes": ["files.read"], "ttl": 60}),
        ("POST", "/api/v1/agent-tokens/introspect", {"token": tok}),
        ("POST", "/api/v1/agent-tokens/verify", {"token": tok}),
        ("POST", "/api/v1/agent-tokens/revoke", {"token": tok}),
        ("POST", "/api/v1/telemetry/report", {"agent_id": a, "session_id": sess, "events": []}),
        ("GET", f"/api/v1/sessions/{sess}/decisions", None),
        ("GET", f"/api/v1/sessions/{sess}/verify", None),
    ]


def snapshot(airlock: Airlock, w: dict) -> dict:
    """What the bad requests below must leave unchanged."""
    get = lambda path: airlock.http("GET", path).json  # noqa: E731
    session = get(f"/mcp/sessions/{w['session']}")
    return {
        "agents": get("/api/v1/agents"),
        "servers": get("/mcp/servers"),
        "approvals": get("/mcp/approvals"),
        "session_calls": session["total_calls"],
        "session_head": session["head"],
        "decisions": get(f"/api/v1/sessions/{w['session']}/decisions")["decisions"],
        "token_active": airlock.http(
            "POST", "/api/v1/agent-tokens/introspect", body={"token": w["token"]}
        ).json["active"],
    }


# ---------------------------------------------------------------------------------------------
# Health and unknown routes


def test_health_needs_no_key(airlock: Airlock):
    r = airlock.http("GET", "/health", key=None)
    assert r.status == 200
    assert r.json["status"] == "healthy"
    assert airlock.client().health()["status"] == "healthy"


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/nope"),
        ("GET", "/api/v1/nope"),
        ("POST", "/api/v1/agents/x/y/z"),
        ("GET", "/api/v2/agents"),
        ("GET", "/mcp/approvals/x/y"),
    ],
)
def test_unknown_routes_are_404_with_a_json_body(airlock: Airlock, method, path):
    for key in (airlock.key, None):
        r = airlock.http(method, path, key=key, body={} if method == "POST" else None)
        assert r.status == 404, (method, path, r.status, r.text)
        r.error_body()


def test_wrong_method_is_405_with_a_json_body(airlock: Airlock):
    for method, path in [("PUT", "/api/v1/agents"), ("DELETE", "/api/v1/agents"), ("GET", "/api/v1/agenttrust/check")]:
        r = airlock.http(method, path)
        assert r.status == 405, (method, path, r.status, r.text)
        r.error_body()


# ---------------------------------------------------------------------------------------------
# 401


def test_every_route_needs_a_key(airlock: Airlock, world):
    before = snapshot(airlock, world)
    for method, path, body in routes(world):
        for key in (None, "", "sk_live_" + "0" * 64, "not-a-key"):
            r = airlock.http(method, path, key=key, body=body)
            assert r.status == 401, f"{method} {path} key={key!r}: {r.status} {r.text}"
            r.error_body()
    assert snapshot(airlock, world) == before


def test_authentication_comes_before_body_validation(airlock: Airlock):
    r = airlock.http("POST", "/api/v1/agents", key=None, raw=b"{not json")
    assert r.status == 401, r.text
    r.error_body()


def test_bearer_org_key_is_accepted(airlock: Airlock):
    r = airlock.http("GET", "/api/v1/agents", key=None, headers={"Authorization": f"Bearer {airlock.key}"})
    assert r.status == 200, r.text
    assert r.json == {"agents": []}
    r = airlock.http("GET", "/api/v1/agents", key=None, headers={"Authorization": "Bearer sk_live_" + "1" * 64})
    assert r.status == 401
    r.error_body()


def test_agent_token_is_not_an_org_key(airlock: Airlock, world):
    r = airlock.http("GET", "/api/v1/agents", key=None, headers={"Authorization": f"Bearer {world['token']}"})
    assert r.status == 401, r.text
    r = airlock.http("GET", "/api/v1/agents", key=world["token"])
    assert r.status == 401, r.text


def test_sdk_maps_401_to_authentication_error(airlock: Airlock):
    with pytest.raises(AuthenticationError):
        airlock.client("sk_live_" + "2" * 64).agents.list()


def test_revoked_key_is_refused_on_the_next_request(airlock: Airlock):
    key = airlock.new_org_key("default")
    assert airlock.http("GET", "/api/v1/agents", key=key).status == 200
    created = airlock.http("POST", "/api/v1/agents", key=key, body={"name": "by-second-key"})
    assert created.status == 201
    listing = airlock.cli("keys", "list").stdout
    assert key[:14] in listing

    airlock.cli("keys", "revoke", key[:14])
    r = airlock.http("GET", "/api/v1/agents", key=key)
    assert r.status == 401, r.text
    assert "revoked" in r.error_body()["message"]
    r = airlock.http("POST", "/api/v1/agents", key=key, body={"name": "after-revoke"})
    assert r.status == 401
    # The other key of the organization still works, and sees what the revoked key made.
    names = [a["name"] for a in airlock.http("GET", "/api/v1/agents").json["agents"]]
    assert names == ["by-second-key"]
    assert [line for line in airlock.cli("keys", "list").stdout.splitlines() if key[:14] in line][0].endswith(
        "revoked"
    )


def test_revoked_bootstrap_key_stays_revoked_after_a_restart(airlock: Airlock):
    listing = airlock.cli("keys", "list").stdout
    assert airlock.key[:14] in listing
    airlock.cli("keys", "revoke", airlock.key[:14])
    assert airlock.http("GET", "/api/v1/agents").status == 401
    airlock.restart()  # same AIRLOCK_BOOTSTRAP_API_KEY in the environment
    r = airlock.http("GET", "/api/v1/agents")
    assert r.status == 401, "a revoked bootstrap key must not come back on restart"


def test_revoking_an_unknown_key_fails(airlock: Airlock):
    cp = airlock.cli("keys", "revoke", "sk_live_ffffff", check=False)
    assert cp.returncode != 0
    assert airlock.http("GET", "/api/v1/agents").status == 200


# ---------------------------------------------------------------------------------------------
# 400


POST_ROUTES_WITH_BODIES = [
    "/api/v1/agents",
    "/api/v1/agents/{agent}/revoke",
    "/mcp/servers",
    "/mcp/sessions/init",
    "/api/v1/agenttrust/check",
    "/api/v1/actions/check",
    "/mcp/approvals/{approval}/approve",
    "/mcp/approvals/{approval}/deny",
    "/api/v1/agent-tokens/issue",
    "/api/v1/agent-tokens/introspect",
    "/api/v1/agent-tokens/revoke",
    "/api/v1/telemetry/report",
]


@pytest.mark.parametrize("raw", [b"{not json", b'{"name": ', b"\xff\xfe", b"[1, 2", b"{}}"])
def test_malformed_json_is_400_and_changes_nothing(airlock: Airlock, world, raw):
    before = snapshot(airlock, world)
    for template in POST_ROUTES_WITH_BODIES:
        path = template.format(**world)
        r = airlock.http("POST", path, raw=raw)
        assert r.status == 400, f"POST {path} {raw!r}: {r.status} {r.text}"
        r.error_body()
    assert snapshot(airlock, world) == before


def bad_bodies(w: dict) -> list:
    """(path, body, why) of well-formed JSON that must be refused with 400."""
    a, s, sess = w["agent"], w["server"], w["session"]
    return [
        # wrong types
        ("/api/v1/agents", [], "a list, not an object"),
        ("/api/v1/agents", {"name": 5}, "name is a number"),
        ("/api/v1/agents", {"name": "x", "capabilities": "files.read"}, "capabilities is a string"),
        ("/api/v1/agents", {"name": "x", "capabilities": [1]}, "capability is a number"),
        ("/api/v1/agents", {"name": "x", "metadata": []}, "metadata is a list"),
        ("/api/v1/agents", {"name": "x", "capabilities": ["db*"]}, "malformed capability"),
        ("/api/v1/agents", {"name": "x", "capabilities": [""]}, "empty capability"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "capabilities": "files.*"}, "capabilities is a string"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "tools": {}}, "tools is an object"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "tools": [{"name": 5}]}, "tool name is a number"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "tools": [{"name": "t", "require_approval": "yes"}]}, "require_approval is a string"),
        ("/mcp/sessions/init", {"agent_id": 5, "server_id": s}, "agent_id is a number"),
        ("/api/v1/agenttrust/check", {"agent_id": 123, "action_name": "files.read"}, "agent_id is a number"),
        ("/api/v1/agenttrust/check", {"agent_id": a, "action_name": ["files.read"]}, "action_name is a list"),
        ("/api/v1/agenttrust/check", {"agent_id": a, "action_name": "files.read", "session_id": 7}, "session_id is a number"),
        ("/api/v1/agent-tokens/issue", {"agent_id": a, "scopes": ["files.read"], "ttl": "300"}, "ttl is a string"),
        ("/api/v1/agent-tokens/issue", {"agent_id": a, "scopes": "files.read"}, "scopes is a string"),
        ("/api/v1/agent-tokens/introspect", {"token": 5}, "token is a number"),
        ("/api/v1/telemetry/report", {"agent_id": a, "events": {}}, "events is an object"),
        ("/api/v1/telemetry/report", {"agent_id": a, "events": [{"event_type": "tool_end", "success": "yes"}]}, "success is a string"),
        # missing required fields
        ("/api/v1/agents", {}, "no name"),
        ("/api/v1/agents", {"name": "   "}, "blank name"),
        ("/mcp/servers", {"name": "x"}, "no url"),
        ("/mcp/servers", {"url": "http://h"}, "no name"),
        ("/mcp/sessions/init", {}, "nothing"),
        ("/mcp/sessions/init", {"agent_id": a}, "no server_id"),
        ("/mcp/sessions/init", {"server_id": s}, "no agent_id"),
        ("/api/v1/agenttrust/check", {"action_name": "files.read"}, "no agent_id"),
        ("/api/v1/agenttrust/check", {"agent_id": a, "session_id": sess}, "no action_name"),
        ("/api/v1/actions/check", {}, "nothing"),
        ("/api/v1/agent-tokens/issue", {"scopes": ["files.read"]}, "no agent_id"),
        ("/api/v1/agent-tokens/introspect", {}, "no token"),
        ("/api/v1/agent-tokens/revoke", {}, "no token"),
        ("/api/v1/telemetry/report", {"events": []}, "no agent_id"),
        ("/api/v1/telemetry/report", {"agent_id": a, "events": [{"tool_name": "t"}]}, "event without event_type"),
        ("/api/v1/telemetry/report", {"agent_id": a, "events": [{"event_type": "tool_end"}] * 1001}, "over 1000 events"),
        ("/api/v1/agents", {"name": "a\u0000b"}, "control character in name"),
        ("/api/v1/agents", {"name": "n" * 300}, "name over 256 bytes"),
        ("/api/v1/agents", {"name": "x", "capabilities": ["c"] * 600}, "over 512 capabilities"),
        # bad values
        ("/api/v1/agenttrust/check", {"agent_id": a, "session_id": sess, "action_name": "files.read", "action_effect": "write"}, "unknown effect"),
        ("/api/v1/actions/check", {"agent_id": a, "session_id": sess, "action_name": "files.read", "action_effect": "delete"}, "unknown effect"),
        ("/api/v1/agenttrust/check", {"agent_id": a, "session_id": "has space", "action_name": "files.read"}, "session id with a space"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "default_mode": "banana"}, "unknown default_mode"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "default_mode": "elevated"}, "elevated is not a base mode"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "tools": [{"name": "t", "effect_override": "write"}]}, "unknown effect_override"),
        ("/mcp/servers", {"name": "x", "url": "http://h", "tools": [{"name": "t"}, {"name": "t"}]}, "tool listed twice"),
        ("/mcp/servers", {"name": "x", "url": "ftp://h"}, "not an http url"),
        ("/mcp/servers", {"name": "x", "url": "not a url"}, "not a url"),
        ("/api/v1/agent-tokens/issue", {"agent_id": a, "scopes": ["files.read"], "ttl": 0}, "ttl 0"),
        ("/api/v1/agent-tokens/issue", {"agent_id": a, "scopes": ["files.read"], "ttl": 10**9}, "ttl too long"),
    ]


def test_bad_input_is_400_and_changes_nothing(airlock: Airlock, world):
    before = snapshot(airlock, world)
    failures = []
    for path, body, why in bad_bodies(world):
        r = airlock.http("POST", path, body=body)
        if r.status != 400:
            failures.append(f"POST {path} ({why}) {json.dumps(body)}: expected 400, got {r.status} {r.text}")
            continue
        r.error_body()
    assert not failures, "\n".join(failures)
    assert snapshot(airlock, world) == before


def test_unknown_approval_status_filter_is_400(airlock: Airlock):
    r = airlock.http("GET", "/mcp/approvals?status=bogus")
    assert r.status == 400, r.text
    r.error_body()


def test_sdk_maps_400_to_validation_error(client):
    with pytest.raises(ValidationError) as err:
        client.agents.create(name="")
    assert err.value.details.get("error")
    with pytest.raises(ValidationError):
        client.actions.check(agent_id="agt_x", tool_name="files.read", action_effect="write")
    assert client.agents.list() == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/agents", "/mcp/servers", "/api/v1/agenttrust/check", "/api/v1/telemetry/report"],
)
def test_oversize_body_is_refused(airlock: Airlock, world, path):
    before = snapshot(airlock, world)
    body = {
        "name": "big",
        "url": "http://h",
        "agent_id": world["agent"],
        "session_id": world["session"],
        "action_name": "files.read",
        "action_input_summary": "x" * (1024 * 1024 + 10),
        "metadata": {"blob": "x" * (1024 * 1024 + 10)},
        "events": [],
    }
    r = airlock.http("POST", path, body=body)
    assert 400 <= r.status < 500, (r.status, r.text[:200])
    r.error_body()
    assert snapshot(airlock, world) == before


# ---------------------------------------------------------------------------------------------
# 403


def test_agent_in_another_org_is_403(airlock: Airlock):
    r = airlock.http("POST", "/api/v1/agents", body={"name": "x", "org_id": "org_not_mine"})
    assert r.status == 403, r.text
    r.error_body()
    assert airlock.http("GET", "/api/v1/agents").json["agents"] == []
    with pytest.raises(AuthorizationError):
        airlock.client().agents.create(name="x", org_id="org_not_mine")


def test_token_beyond_the_agents_capabilities_is_403(airlock: Airlock, world):
    for scopes in (["files.delete"], ["files.read", "admin.*"], ["*"]):
        r = airlock.http("POST", "/api/v1/agent-tokens/issue", body={"agent_id": world["agent"], "scopes": scopes})
        assert r.status == 403, (scopes, r.text)
        r.error_body()


def test_revoked_agent_session_and_token_are_403(airlock: Airlock, world):
    r = airlock.http("POST", f"/api/v1/agents/{world['agent']}/revoke", body={"reason": "gone"})
    assert r.status == 200, r.text
    assert r.json["agent"]["status"] == "revoked"
    assert_timestamp(r.json["agent"]["revoked_at"], "revoked_at")
    r = airlock.http("POST", "/mcp/sessions/init", body={"agent_id": world["agent"], "server_id": world["server"]})
    assert r.status == 403, r.text
    r.error_body()
    r = airlock.http("POST", "/api/v1/agent-tokens/issue", body={"agent_id": world["agent"], "scopes": ["files.read"]})
    assert r.status == 403, r.text
    r.error_body()


# ---------------------------------------------------------------------------------------------
# 404 and 409


def test_unknown_ids_are_404(airlock: Airlock, world):
    before = snapshot(airlock, world)
    x = "nope_" + uuid.uuid4().hex
    cases = [
        ("GET", f"/api/v1/agents/{x}", None),
        ("POST", f"/api/v1/agents/{x}/revoke", None),
        ("GET", f"/mcp/servers/{x}", None),
        ("DELETE", f"/mcp/servers/{x}", None),
        ("GET", f"/mcp/sessions/{x}", None),
        ("GET", f"/api/v1/sessions/{x}", None),
        ("GET", f"/api/v1/sessions/{x}/decisions", None),
        ("GET", f"/api/v1/sessions/{x}/verify", None),
        ("GET", f"/mcp/approvals/{x}", None),
        ("POST", f"/mcp/approvals/{x}/approve", {"decided_by": "x"}),
        ("POST", f"/mcp/approvals/{x}/deny", None),
        ("POST", "/mcp/sessions/init", {"agent_id": x, "server_id": world["server"]}),
        ("POST", "/mcp/sessions/init", {"agent_id": world["agent"], "server_id": x}),
        ("POST", "/api/v1/agent-tokens/issue", {"agent_id": x, "scopes": []}),
        ("POST", "/api/v1/telemetry/report", {"agent_id": x, "session_id": "", "events": []}),
    ]
    for method, path, body in cases:
        r = airlock.http(method, path, body=body)
        assert r.status == 404, f"{method} {path}: {r.status} {r.text}"
        r.error_body()
    assert snapshot(airlock, world) == before


def test_sdk_maps_404_to_not_found(client):
    with pytest.raises(AgentTrustError) as err:
        client.agents.get("agt_missing")
    assert err.value.code == "NOT_FOUND"
    with pytest.raises(AgentTrustError) as err:
        client.approvals.get("apr_missing")
    assert err.value.code == "NOT_FOUND"


def test_deciding_twice_is_409(airlock: Airlock, world):
    assert airlock.http("POST", f"/mcp/approvals/{world['approval']}/approve", body={}).status == 200
    for verb in ("approve", "deny"):
        r = airlock.http("POST", f"/mcp/approvals/{world['approval']}/{verb}", body={})
        assert r.status == 409, r.text
        r.error_body()
    assert airlock.http("GET", f"/mcp/approvals/{world['approval']}").json["status"] == "approved"


def test_deleted_server_is_gone(airlock: Airlock, world):
    client = airlock.client()
    client.mcp.remove_server(world["server"])
    assert client.mcp.list_servers() == []
    assert airlock.http("GET", f"/mcp/servers/{world['server']}").status == 404
    assert airlock.http("DELETE", f"/mcp/servers/{world['server']}").status == 404
    r = airlock.http("POST", "/mcp/sessions/init", body={"agent_id": world["agent"], "server_id": world["server"]})
    assert r.status == 404
    # A session of a removed server no longer lets calls through.
    r = client.actions.check(
        agent_id=world["agent"], session_id=world["session"], tool_name="files.read", action_effect="read"
    )
    assert r.allowed is False, r.reason


# ---------------------------------------------------------------------------------------------
# Response shapes the SDK parses


def test_agent_shapes(airlock: Airlock):
    r = airlock.http(
        "POST",
        "/api/v1/agents",
        body={"name": "shape", "framework": "langchain", "capabilities": ["files:read"], "metadata": {"team": "x"}},
    )
    assert r.status == 201, r.text
    a = r.json
    for k in ("id", "name", "org_id", "framework", "public_key", "status", "capabilities", "metadata", "created_at"):
        assert k in a, k
    assert a["status"] in AGENT_STATUSES and a["status"] == "active"
    assert a["framework"] == "langchain" and a["capabilities"] == ["files:read"] and a["metadata"] == {"team": "x"}
    assert_timestamp(a["created_at"], "agent.created_at")
    listed = airlock.http("GET", "/api/v1/agents").json
    assert list(listed) == ["agents"] and [x["id"] for x in listed["agents"]] == [a["id"]]
    got = airlock.http("GET", f"/api/v1/agents/{a['id']}").json
    assert got["id"] == a["id"] and got["status"] in AGENT_STATUSES
    # Defaults when the SDK's optional fields are absent.
    r = airlock.http("POST", "/api/v1/agents", body={"name": "bare"})
    assert r.status == 201
    assert r.json["framework"] == "custom" and r.json["capabilities"] == [] and r.json["metadata"] == {}
    # The SDK parses all of them.
    for agent in airlock.client().agents.list():
        assert agent.created_at is not None and agent.status.value in AGENT_STATUSES


# The registration form of the product's MCP documentation (the SDK sends `capabilities`).
DOCUMENTED_SERVER = {
    "name": "documented",
    "url": "https://mcp.example.com/db",
    "description": "database tools",
    "tools": [
        {"name": "list_tables"},
        {"name": "run_migration", "effect_override": "destructive"},
        {"name": "send_report", "require_approval": True},
    ],
    "default_mode": "standard",
}


def test_server_shapes_sdk_and_documented_forms(airlock: Airlock):
    r = airlock.http("POST", "/mcp/servers", body={"name": "sdk", "url": "http://127.0.0.1:9", "capabilities": ["db.*"]})
    assert r.status == 201, r.text
    s = r.json
    for k in ("id", "org_id", "name", "url", "capabilities", "tools", "default_mode", "status", "created_at"):
        assert k in s, k
    assert s["capabilities"] == ["db.*"] and s["default_mode"] == "read_only" and s["status"] == "active"
    assert_timestamp(s["created_at"], "server.created_at")

    r = airlock.http("POST", "/mcp/servers", body=DOCUMENTED_SERVER)
    assert r.status == 201, r.text
    d = r.json
    assert d["default_mode"] == "standard" and d["status"] == "active"
    assert [t["name"] for t in d["tools"]] == ["list_tables", "run_migration", "send_report"]
    assert d["tools"][1]["effect_override"] == "destructive"
    assert d["tools"][2]["require_approval"] is True
    assert sorted(d["capabilities"]) == ["list_tables", "run_migration", "send_report"]
    assert airlock.http("GET", f"/mcp/servers/{d['id']}").json["tools"] == d["tools"]
    listed = airlock.http("GET", "/mcp/servers").json
    assert list(listed) == ["servers"] and {x["id"] for x in listed["servers"]} == {s["id"], d["id"]}
    sdk = {x.id: x for x in airlock.client().mcp.list_servers()}
    assert sdk[d["id"]].created_at is not None


def test_documented_tool_settings_drive_decisions(airlock: Airlock):
    client = airlock.client()
    agent = client.agents.create(name="ops", capabilities=["*"])
    r = airlock.http("POST", "/mcp/servers", body=DOCUMENTED_SERVER)
    session = client.sessions.init_session(agent_id=agent.id, server_id=r.json["id"])
    assert sorted(session.scope_ceiling) == ["list_tables", "run_migration", "send_report"]
    check = lambda tool, effect: client.actions.check(  # noqa: E731
        agent_id=agent.id, session_id=session.session_id, tool_name=tool, action_effect=effect
    )
    assert check("list_tables", "read").allowed is True
    migration = check("run_migration", "mutating")
    assert migration.allowed is False and "guardian" in migration.reason.lower(), migration.reason
    assert migration.approval_id
    report = check("send_report", "mutating")
    assert report.allowed is False and report.approval_id, report.reason
    assert "approval" in report.reason
    outside = check("drop_everything", "read")
    assert outside.allowed is False and "scope ceiling" in outside.reason
    log = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/decisions").json["decisions"]
    assert [d["effect"] for d in log][:2] == ["read", "destructive"], "effect_override raises the effect"


def test_session_shapes(airlock: Airlock, world):
    r = airlock.http("POST", "/mcp/sessions/init", body={"agent_id": world["agent"], "server_id": world["server"]})
    assert r.status == 201, r.text
    s = r.json
    for k in (
        "session_id", "agent_id", "org_id", "source", "server_id", "mode", "allowed_actions",
        "scope_ceiling", "total_calls", "read_calls", "write_calls", "denied_calls",
        "created_at", "last_activity_at",
    ):
        assert k in s, k
    assert s["mode"] == "read_only" and s["source"] == "mcp"
    assert s["scope_ceiling"] == ["files.read", "files.write"]
    assert s["allowed_actions"] == ["files.read"], "read_only mode permits the reads of the ceiling"
    assert (s["total_calls"], s["read_calls"], s["write_calls"], s["denied_calls"]) == (0, 0, 0, 0)
    assert_timestamp(s["created_at"], "session.created_at")
    assert_timestamp(s["last_activity_at"], "session.last_activity_at")
    for path in (f"/mcp/sessions/{s['session_id']}", f"/api/v1/sessions/{s['session_id']}"):
        got = airlock.http("GET", path).json
        assert got["session_id"] == s["session_id"]


def test_check_shape(airlock: Airlock, world):
    for path in ("/api/v1/agenttrust/check", "/api/v1/actions/check"):
        r = airlock.http(
            "POST",
            path,
            body={
                "agent_id": world["agent"],
                "session_id": world["session"],
                "action_name": "files.write",
                "action_source": "api",
                "action_input_summary": "path=/x",
                "action_effect": "mutating",
            },
        )
        assert r.status == 200, r.text
        c = r.json
        assert c["allowed"] is False
        assert isinstance(c["check_id"], str) and c["check_id"]
        assert isinstance(c["confidence"], (int, float)) and 0.0 <= c["confidence"] <= 1.0
        assert c["guard_tier"] in ("fast", "spot", "deep")
        assert isinstance(c["latency_ms"], int) and c["latency_ms"] >= 0
        assert isinstance(c["reason"], str) and c["reason"]
        assert c["elevation_required"] is True
        assert c["approval_id"] == world["approval"], "the pending elevation approval is reused"
    # The SDK sends an empty session id and summary when it has none.
    r = airlock.http(
        "POST",
        "/api/v1/agenttrust/check",
        body={"agent_id": world["agent"], "session_id": "", "action_name": "files.read", "action_source": "api", "action_input_summary": ""},
    )
    assert r.status == 200 and r.json["allowed"] is True, r.text
    assert "approval_id" not in r.json or r.json["approval_id"] is None
    # Older clients send `action`.
    r = airlock.http("POST", "/api/v1/agenttrust/check", body={"agent_id": world["agent"], "action": "files.read", "action_effect": "read"})
    assert r.status == 200 and r.json["allowed"] is True, r.text


def test_approval_shapes_and_list(airlock: Airlock, world):
    a = airlock.http("GET", f"/mcp/approvals/{world['approval']}").json
    for k in ("id", "session_id", "agent_id", "org_id", "action_name", "action_effect", "status", "created_at", "expires_at", "decided_by"):
        assert k in a, k
    assert a["status"] == "pending" and a["decided_by"] is None
    assert a["session_id"] == world["session"] and a["agent_id"] == world["agent"]
    assert_timestamp(a["created_at"], "approval.created_at")
    assert_timestamp(a["expires_at"], "approval.expires_at")
    from datetime import datetime

    created = datetime.fromisoformat(a["created_at"].replace("Z", "+00:00"))
    expires = datetime.fromisoformat(a["expires_at"].replace("Z", "+00:00"))
    assert abs((expires - created).total_seconds() - 900) < 1, "approvals expire after 15 minutes by default"
    for query in ("", "?status=pending"):
        listed = airlock.http("GET", "/mcp/approvals" + query).json
        assert [x["id"] for x in listed["approvals"]] == [world["approval"]]
    assert airlock.http("GET", "/mcp/approvals?status=approved").json["approvals"] == []

    r = airlock.http("POST", f"/mcp/approvals/{world['approval']}/approve", body={"decided_by": "ops@example.com"})
    assert r.status == 200, r.text
    assert r.json["status"] == "approved"
    assert_timestamp(r.json["elevated_until"], "elevated_until")
    got = airlock.http("GET", f"/mcp/approvals/{world['approval']}").json
    assert got["status"] == "approved" and got["decided_by"] == "ops@example.com"
    assert_timestamp(got["decided_at"], "approval.decided_at")
    assert [x["id"] for x in airlock.http("GET", "/mcp/approvals?status=approved").json["approvals"]] == [world["approval"]]
    assert airlock.http("GET", "/mcp/approvals?status=pending").json["approvals"] == []


def test_approvals_expire(airlock_factory):
    airlock = airlock_factory("--approval-ttl-secs", "1")
    client = airlock.client()
    agent = client.agents.create(name="a", capabilities=["files.write"])
    r = client.actions.check(agent_id=agent.id, tool_name="files.write", action_effect="mutating")
    assert r.approval_id
    import time

    time.sleep(1.5)
    assert client.approvals.get(r.approval_id).status == "expired"
    assert airlock.http("GET", "/mcp/approvals?status=pending").json["approvals"] == []
    expired = airlock.http("GET", "/mcp/approvals?status=expired").json["approvals"]
    assert [x["id"] for x in expired] == [r.approval_id]
    late = airlock.http("POST", f"/mcp/approvals/{r.approval_id}/approve", body={})
    assert late.status == 409, late.text
    late.error_body()
    again = client.actions.check(agent_id=agent.id, tool_name="files.write", action_effect="mutating")
    assert again.allowed is False and again.approval_id != r.approval_id


def test_token_shapes(airlock: Airlock, world):
    r = airlock.http("POST", "/api/v1/agent-tokens/issue", body={"agent_id": world["agent"], "scopes": ["files.read"], "ttl": 120})
    assert r.status in (200, 201), r.text
    t = r.json
    assert t["token"].startswith("at_") and t["agent_id"] == world["agent"] and t["scopes"] == ["files.read"]
    assert isinstance(t["audience"], list) and t["token_id"]
    assert_timestamp(t["issued_at"], "token.issued_at")
    assert_timestamp(t["expires_at"], "token.expires_at")
    i = airlock.http("POST", "/api/v1/agent-tokens/introspect", body={"token": t["token"], "target": None, "required_scopes": []}).json
    assert i["active"] is True and i["scopes"] == ["files.read"] and i["agent_id"] == world["agent"]
    assert_timestamp(i["expires_at"], "introspect.expires_at")
    v = airlock.http("POST", "/api/v1/agent-tokens/verify", body={"token": t["token"]}).json
    assert v["active"] is True
    r = airlock.http("POST", "/api/v1/agent-tokens/revoke", body={"token": t["token"], "reason": "done"})
    assert r.status == 200, r.text
    i = airlock.http("POST", "/api/v1/agent-tokens/introspect", body={"token": t["token"]}).json
    assert i["active"] is False and isinstance(i["scopes"], list)


def test_decision_shapes(airlock: Airlock, world):
    log = airlock.http("GET", f"/api/v1/sessions/{world['session']}/decisions").json
    assert log["session_id"] == world["session"] and log["total_calls"] == 1
    (d,) = log["decisions"]
    for k in ("seq", "check_id", "action_name", "effect", "allowed", "reason", "guard_tier", "decided_at", "hash"):
        assert k in d, k
    assert d["effect"] == "mutating" and d["allowed"] is False
    assert_timestamp(d["decided_at"], "decision.decided_at")
    v = airlock.http("GET", f"/api/v1/sessions/{world['session']}/verify").json
    assert v["valid"] is True and v["entries"] == v["calls"] == 1 and v["head"] == log["head"]


def test_revoke_with_no_body_as_the_sdk_sends_it(airlock: Airlock):
    """The Python SDK sends no body at all when it has nothing to send."""
    client = airlock.client()
    agent = client.agents.create(name="x")
    r = http("POST", f"{airlock.url}/api/v1/agents/{agent.id}/revoke", key=airlock.key, raw=b"")
    assert r.status == 200, r.text
    assert client.agents.get(agent.id).status.value == "revoked"
