"""Fail closed: when Airlock cannot be reached the wrapper and the hook deny; when the upstream
fails the gateway answers a JSON-RPC error, never an allow."""

from __future__ import annotations

import os
import subprocess

import anyio
import pytest

import mcp_support as ms

ALL = ["describe_schema", "read_query", "execute_sql"]


def down_env() -> dict:
    return {"AGENTTRUST_URL": f"http://127.0.0.1:{ms.free_port()}"}


def test_wrapper_denies_every_call_when_airlock_is_down(airlock, db):
    w = ms.world(airlock, "stdio:db_server.py", ["*"], ALL)
    airlock.stop()

    async def go():
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db))) as c:
            read = await c.call_tool("read_query", {"sql": "SELECT 1"})
            drop = await c.call_tool("execute_sql", {"sql": "DROP TABLE accounts"})
            try:
                await c.list_tools()
                listed = "listed"
            except Exception as e:  # the list cannot be checked, so it is not shown
                listed = str(e)
            return read, drop, listed

    read, drop, listed = anyio.run(go)
    for r in (read, drop):
        assert r.is_error
        assert "could not be checked" in ms.text(r) and "cannot be reached" in ms.text(r), ms.text(r)
    assert "Airlock could not check the tool list" in listed
    assert ms.accounts(db) == ms.ACCOUNTS


def test_hook_denies_when_airlock_is_down_or_answers_garbage(airlock, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    event = ms.hook_event("Bash", {"command": "ls -la"})
    out = ms.run_hook(w, event, env=down_env())
    assert out["permissionDecision"] == "deny"
    assert "cannot be reached" in out["permissionDecisionReason"]
    # A wrong key: refused by Airlock, so denied.
    out = ms.run_hook(w, event, env={"AGENTTRUST_API_KEY": "sk_live_wrong"})
    assert out["permissionDecision"] == "deny"
    # Something that is not Airlock (the MCP server itself) answers nonsense.
    out = ms.run_hook(w, event, env={"AGENTTRUST_URL": db_http.url.rsplit("/mcp", 1)[0]})
    assert out["permissionDecision"] == "deny"
    # An unreadable event.
    out = ms.run_hook(w, {"nothing": True})
    assert out["permissionDecision"] == "deny"


@pytest.mark.parametrize("path", ["gateway", "sdk"])
def test_gateway_reports_upstream_failure_as_an_error(airlock, db_http, path):
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    db_http.stop()
    if path == "sdk":
        r = airlock.client().mcp.call_tool(
            server_id=w.server,
            agent_id=w.agent,
            method="tools/call",
            params={"name": "read_query", "arguments": {"sql": "SELECT 1"}},
        )
        assert "result" not in r and r["error"]["code"] == -32001, r
        assert "upstream" in r["error"]["message"]
        return
    body = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "read_query", "arguments": {"sql": "SELECT 1"}}}
    r = ms.http("POST", w.gateway_url, key=airlock.key, body=body, headers={"X-Agent-ID": w.agent})
    assert r.status == 200
    assert r.json["id"] == 7 and r.json["error"]["code"] == -32001 and "result" not in r.json


def test_wrapper_refuses_a_session_of_another_server(airlock, db):
    w = ms.world(airlock, "stdio:db_server.py", ["*"], ALL)
    other = ms.world(airlock, "stdio:other", ["*"], ALL)
    foreign = ms.init_session(ms.World(airlock, w.agent, other.server, w.env))

    async def go():
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db), session=foreign)) as c:
            await c.call_tool("execute_sql", {"sql": "DROP TABLE accounts"})

    with pytest.raises(Exception):
        anyio.run(go)
    assert ms.accounts(db) == ms.ACCOUNTS


@pytest.mark.parametrize("name, value", [
    ("AIRLOCK_MCP_TIMEOUT_SECS", "0"),
    ("AIRLOCK_MCP_MAX_BODY_BYTES", "lots"),
    ("AIRLOCK_MCP_MAX_RESPONSE_BYTES", str(2 << 40)),
])
def test_a_bad_gateway_setting_stops_serve_before_the_store_is_opened(bin_path, tmp_path, name, value):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRLOCK_", "AGENTTRUST_"))}
    env[name] = value
    out = subprocess.run(
        [str(bin_path), "serve", "--data-dir", str(data), "--addr", "127.0.0.1:0"],
        env=env, capture_output=True, text=True, timeout=30,
    )
    assert out.returncode != 0, out
    assert name in out.stderr, out.stderr
    # No store was opened, so no organization was created and no key was printed.
    assert not data.exists(), list(data.iterdir())
    assert "sk_live_" not in out.stdout and "Created organization" not in out.stdout, out.stdout
