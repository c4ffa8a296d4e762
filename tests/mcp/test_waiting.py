"""Waiting instead of failing: a tools/call that needs an approval is held while the approval
is pending. Another process approves it through the HTTP API and the client (the official MCP
Python SDK) gets the upstream's real result; a denial or a wait that runs out is the usual
`isError` denial, and nothing reaches the database."""

from __future__ import annotations

import json
import subprocess
import sys

import anyio

import mcp_support as ms

ALL = ["describe_schema", "read_query", "execute_sql"]
DELETE = "DELETE FROM accounts"  # every row: destructive

# The approver: another process that decides the pending approvals, in order, as told
# (`approve`, `deny`), through the HTTP API with the organization's admin key.
APPROVER = r"""
import json, sys, time, urllib.request
url, key, verdicts = sys.argv[1], sys.argv[2], sys.argv[3:]
def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method, headers={"x-api-key": key, "content-type": "application/json"},
                                 data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())
done = set()
deadline = time.time() + 60
for verdict in verdicts:
    while time.time() < deadline:
        pending = [a for a in call("GET", "/mcp/approvals?status=pending")["approvals"] if a["id"] not in done]
        if pending:
            a = pending[0]
            time.sleep(0.5)  # the call is held meanwhile
            call("POST", f"/mcp/approvals/{a['id']}/{verdict}", {"decided_by": "approver-process"})
            done.add(a["id"])
            print(a["id"], verdict, flush=True)
            break
        time.sleep(0.1)
"""


def waiting_world(airlock, url: str, wait_secs: int) -> ms.World:
    agent = ms.create_agent(airlock, ["*"])
    r = airlock.http("POST", "/mcp/servers", body={
        "name": "db", "url": url, "capabilities": ALL, "default_mode": "standard",
        "approval_wait_secs": wait_secs})
    assert r.status == 201, r.text
    assert r.json["approval_wait_secs"] == wait_secs
    return ms.World(airlock, agent, r.json["id"], {"AGENTTRUST_URL": airlock.url, "AGENTTRUST_API_KEY": airlock.key})


def approver(airlock, *verdicts: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", APPROVER, airlock.url, airlock.key, *verdicts],
                            stdout=subprocess.PIPE, text=True)


def held_then_denied(result) -> str:
    assert result.is_error is True, ms.dump(result)
    return ms.text(result)


def script(c, airlock, db):
    """Approved in time → the real result; the same call again → held, denied."""
    async def go():
        p = approver(airlock, "approve", "deny")
        r = await c.call_tool("execute_sql", {"sql": DELETE})
        assert r.is_error is not True, ms.dump(r)
        assert json.loads(ms.text(r)) == {"ok": True, "changes": 3}
        assert ms.accounts(db) == []
        # The approval was used up: the same call asks again, and this time it is denied.
        t = held_then_denied(await c.call_tool("execute_sql", {"sql": DELETE}))
        assert "is denied" in t and "approval id: apr_" in t, t
        out, _ = p.communicate(timeout=30)
        assert [line.split()[1] for line in out.splitlines()] == ["approve", "deny"], out
    return go


def test_the_gateway_holds_a_call_until_another_process_approves_it(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 30)

    async def go():
        async with ms.gateway(w) as c:
            await script(c, airlock, db)()

    anyio.run(go)
    r = airlock.http("GET", "/mcp/approvals?status=used")
    assert len(r.json["approvals"]) == 1, r.text


def test_the_wrapper_holds_a_call_with_approval_wait_secs(airlock, db):
    w = waiting_world(airlock, "stdio:db_server.py", 0)

    async def go():
        params = ms.wrap_params(w, ms.db_stdio_args(db), env={"AIRLOCK_APPROVAL_WAIT_SECS": "30"})
        async with ms.stdio_client(params) as c:
            await script(c, airlock, db)()

    anyio.run(go)


def test_a_wait_that_runs_out_is_the_usual_denial(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 2)

    async def go():
        async with ms.gateway(w) as c:
            started = anyio.current_time()
            t = held_then_denied(await c.call_tool("execute_sql", {"sql": DELETE}))
            assert anyio.current_time() - started >= 2
            assert "was not decided in time" in t and "approval id: apr_" in t, t
            # A read is never held.
            r = await c.call_tool("read_query", {"sql": "SELECT count(*) AS n FROM accounts"})
            assert r.is_error is not True, ms.dump(r)

    anyio.run(go)
    assert ms.accounts(db) == ms.ACCOUNTS
    r = airlock.http("GET", "/mcp/approvals?status=pending")
    assert len(r.json["approvals"]) == 1, r.text


def test_the_hook_waits_with_wait_secs(airlock, db_http):
    w = ms.world(airlock, db_http.url, ["*"])
    ev = ms.hook_event("Bash", {"command": "rm -rf /tmp/airlock-wait-test"}, session_id="hook-wait-1")
    # Nobody decides: the usual answer after the wait.
    out = ms.run_hook(w, ev, args=["--wait-secs", "1"])
    assert out["permissionDecision"] == "deny" and "not decided in time" in out["permissionDecisionReason"], out
    # Approved by another process while the hook waits: allowed, once. (The organization's
    # sessions start read_only: the elevation, then the destructive call itself.)
    p = approver(airlock, "approve", "approve")
    out = ms.run_hook(w, ev, args=["--wait-secs", "30"])
    p.communicate(timeout=30)
    assert out["permissionDecision"] == "allow", out
    assert "allowed once by approval" in out["permissionDecisionReason"], out
    out = ms.run_hook(w, ev)
    assert out["permissionDecision"] == "deny", out
