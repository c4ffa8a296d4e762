"""A destructive call through the gateway (HTTP) and through `airlock mcp wrap` (stdio) is
refused as an `isError` tool result, and the data is still there afterwards."""

from __future__ import annotations

import anyio

import mcp_support as ms

ALL = ["describe_schema", "read_query", "execute_sql"]
DESTRUCTIVE = ["DROP TABLE accounts", "DELETE FROM accounts", "SELECT 1; DROP TABLE accounts"]


def assert_denied(result, tool: str) -> None:
    assert result.is_error is True
    t = ms.text(result)
    assert t.startswith(f"Airlock denied `{tool}`:"), t
    meta = ms.airlock_meta(result)
    assert meta.get("allowed") is False
    assert meta.get("approval_id", "").startswith("apr_"), meta
    assert f"(approval id: {meta['approval_id']})" in t


def test_drop_table_through_the_http_gateway_is_refused_and_data_stays(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)

    async def go():
        async with ms.gateway(w) as c:
            for sql in DESTRUCTIVE:
                assert_denied(await c.call_tool("execute_sql", {"sql": sql}), "execute_sql")

    anyio.run(go)
    assert ms.accounts(db) == ms.ACCOUNTS


def test_drop_table_through_mcp_wrap_is_refused_and_data_stays(airlock, db):
    w = ms.world(airlock, "stdio:db_server.py", ["*"], ALL)

    async def go():
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db))) as c:
            for sql in DESTRUCTIVE:
                assert_denied(await c.call_tool("execute_sql", {"sql": sql}), "execute_sql")
            # Arguments nested anywhere are checked: the payload hides in a JSON string.
            r = await c.call_tool("execute_sql", {"sql": "DELETE FROM accounts WHERE 1=1 -- cleanup"})
            assert r.is_error

    anyio.run(go)
    assert ms.accounts(db) == ms.ACCOUNTS


def test_denials_are_recorded_in_the_decision_log(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    session = ms.init_session(w)

    async def go():
        async with ms.gateway(w, session=session) as c:
            await c.call_tool("read_query", {"sql": "SELECT count(*) FROM accounts"})
            await c.call_tool("execute_sql", {"sql": "DROP TABLE accounts"})

    anyio.run(go)
    r = airlock.http("GET", f"/api/v1/sessions/{session}/decisions")
    assert r.status == 200, r.text
    decisions = r.json.get("decisions", r.json)
    got = [(d["action_name"], d["allowed"], d["source"]) for d in decisions]
    assert got == [("read_query", True, "mcp"), ("execute_sql", False, "mcp")], got
    v = airlock.http("GET", f"/api/v1/sessions/{session}/verify")
    assert v.status == 200 and v.json.get("valid") is True, v.text
