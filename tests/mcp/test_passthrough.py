"""Allowed calls return the upstream's exact result; tools/list is filtered to the session's
scope ceiling; the published SDK's `mcp.call_tool` works through the gateway."""

from __future__ import annotations

import anyio
import pytest

import mcp_support as ms

ALL = ["describe_schema", "read_query", "execute_sql"]
READS = [
    ("read_query", {"sql": "SELECT id, name, balance FROM accounts ORDER BY id"}),
    ("describe_schema", {}),
    ("execute_sql", {"sql": "SELECT 1"}),
]


@pytest.mark.parametrize("json_response", [False, True], ids=["sse", "json"])
def test_allowed_reads_return_the_upstream_result_exactly(airlock, db, tmp_path, json_response):
    server = ms.HttpDbServer(db=db, log_dir=tmp_path, json_response=json_response).start()
    try:
        w = ms.world(airlock, server.url, ["*"], ALL)

        async def go():
            direct_http, via_gateway, direct_stdio, via_wrap = [], [], [], []
            async with ms.http_client(server.url) as c:
                for name, args in READS:
                    direct_http.append(ms.dump(await c.call_tool(name, args)))
            async with ms.gateway(w) as c:
                for name, args in READS:
                    via_gateway.append(ms.dump(await c.call_tool(name, args)))
            async with ms.stdio_client(ms.direct_params(ms.db_stdio_args(db))) as c:
                for name, args in READS:
                    direct_stdio.append(ms.dump(await c.call_tool(name, args)))
            async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db))) as c:
                for name, args in READS:
                    via_wrap.append(ms.dump(await c.call_tool(name, args)))
            return direct_http, via_gateway, direct_stdio, via_wrap

        direct_http, via_gateway, direct_stdio, via_wrap = anyio.run(go)
        assert via_gateway == direct_http
        assert via_wrap == direct_stdio
        assert all(not r["is_error"] for r in direct_http)
        assert "alice" in direct_http[0]["content"][0]["text"]
    finally:
        server.stop()


def test_tools_list_is_filtered_to_the_scope_ceiling(airlock, db, db_http):
    # The agent may only read: execute_sql is outside its capabilities.
    w = ms.world(airlock, db_http.url, ["read_query", "describe_schema"], ALL)

    async def go():
        async with ms.http_client(db_http.url) as c:
            direct = sorted(t.name for t in (await c.list_tools()).tools)
        async with ms.gateway(w) as c:
            via_gateway = sorted(t.name for t in (await c.list_tools()).tools)
            refused = await c.call_tool("execute_sql", {"sql": "SELECT 1"})
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db))) as c:
            via_wrap = sorted(t.name for t in (await c.list_tools()).tools)
        return direct, via_gateway, via_wrap, refused

    direct, via_gateway, via_wrap, refused = anyio.run(go)
    assert direct == ["describe_schema", "execute_sql", "read_query"]
    assert via_gateway == ["describe_schema", "read_query"]
    assert via_wrap == ["describe_schema", "read_query"]
    # Hidden is not enough: calling it by name is refused too.
    assert refused.is_error and "scope" in ms.text(refused).lower(), ms.text(refused)


def test_modern_protocol_clients_work_through_both_paths(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)

    async def go():
        async with ms.gateway(w, mode="auto") as c:
            ok = await c.call_tool("read_query", {"sql": "SELECT count(*) AS n FROM accounts"})
            no = await c.call_tool("execute_sql", {"sql": "DROP TABLE accounts"})
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db)), mode="auto") as c:
            no2 = await c.call_tool("execute_sql", {"sql": "DROP TABLE accounts"})
        return ok, no, no2

    ok, no, no2 = anyio.run(go)
    assert not ok.is_error and '"n": 3' in ms.text(ok)
    assert no.is_error and no2.is_error
    assert ms.accounts(db) == ms.ACCOUNTS


def test_published_sdk_call_tool_through_the_gateway(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["read_query", "describe_schema", "execute_sql"], ALL)
    client = airlock.client()
    result = client.mcp.call_tool(
        server_id=w.server,
        agent_id=w.agent,
        method="tools/call",
        params={"name": "read_query", "arguments": {"sql": "SELECT name FROM accounts ORDER BY id"}},
    )
    assert result.get("isError") is False, result
    assert "alice" in result["content"][0]["text"]
    denied = client.mcp.call_tool(
        server_id=w.server,
        agent_id=w.agent,
        method="tools/call",
        params={"name": "execute_sql", "arguments": {"sql": "DROP TABLE accounts"}},
    )
    assert denied["isError"] is True
    assert denied["content"][0]["text"].startswith("Airlock denied `execute_sql`")
    listed = client.mcp.call_tool(server_id=w.server, agent_id=w.agent, method="tools/list")
    assert sorted(t["name"] for t in listed["tools"]) == ["describe_schema", "execute_sql", "read_query"]
    # With an explicit session from sessions.init.
    session = ms.init_session(w)
    again = client.mcp.call_tool(
        server_id=w.server,
        agent_id=w.agent,
        method="tools/call",
        params={"name": "describe_schema", "arguments": {}},
        session_id=session,
    )
    assert again.get("isError") is False and "accounts" in again["content"][0]["text"]
    assert ms.accounts(db) == ms.ACCOUNTS


def test_gateway_requires_key_and_agent_and_hides_credentials(airlock, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    no_key = ms.http("POST", w.gateway_url, body=body, headers={"X-Agent-ID": w.agent})
    assert no_key.status == 401
    no_agent = ms.http("POST", w.gateway_url, key=airlock.key, body=body)
    assert no_agent.status == 400 and no_agent.error_body()["error"] == "missing_agent"
    ok = ms.http("POST", w.gateway_url, key=airlock.key, body=body, headers={"X-Agent-ID": w.agent})
    assert ok.status == 200, ok.text
    sid = {k.lower(): v for k, v in ok.headers.items()}.get("x-session-id", "")
    assert sid.startswith("mcp_")
    batch = ms.http(
        "POST",
        w.gateway_url,
        key=airlock.key,
        headers={"X-Agent-ID": w.agent},
        body=[{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "execute_sql", "arguments": {"sql": "DROP TABLE accounts"}}}],
    )
    # Checked element by element: the DROP is denied, and nothing of the batch went upstream.
    assert batch.status == 200, batch.text
    (answer,) = batch.json
    assert answer["id"] == 1 and answer["result"]["isError"] is True


def test_upstream_never_sees_the_callers_credentials(airlock):
    """A recording upstream: the gateway sends only the MCP headers, never the key."""
    import http.server
    import json
    import threading

    seen: list = []

    class Upstream(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            seen.append({k.lower(): v for k, v in self.headers.items()})
            msg = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if "id" not in msg:
                self.send_response(202)
                self.end_headers()
                return
            if msg["method"] == "initialize":
                result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}}, "serverInfo": {"name": "rec", "version": "1"}}
            else:
                result = {"content": [{"type": "text", "text": "ok"}], "isError": False}
            body = json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Mcp-Session-Id", "upstream-session-1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/mcp"
        w = ms.world(airlock, url, ["*"], ["read_query"])
        r = ms.http(
            "POST",
            w.gateway_url,
            key=airlock.key,
            body={"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "read_query", "arguments": {"sql": "SELECT 1"}}},
            headers={"X-Agent-ID": w.agent, "Authorization": f"Bearer {airlock.key}", "Cookie": "session=secret"},
        )
        assert r.status == 200 and r.json["result"]["content"][0]["text"] == "ok", r.text
    finally:
        srv.shutdown()
    assert len(seen) == 3  # initialize, initialized, the call (a gateway-held MCP session)
    for h in seen:
        assert "x-api-key" not in h and "authorization" not in h and "cookie" not in h, h
        assert "x-agent-id" not in h and "x-session-id" not in h, h
        assert airlock.key not in json.dumps(h)
    assert seen[2].get("mcp-session-id") == "upstream-session-1"
