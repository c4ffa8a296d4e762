"""The gateway decides a `tools/call` in the store round trip that opens its session when the
session exists (docs/benchmarks.md, twentieth pass). Whichever way the session is found, each
check is recorded exactly once, in order, in a chain that verifies; a first use is decided as
before; and the request's key and session are judged before anything its body says."""

from __future__ import annotations

import json

import anyio

import mcp_support as ms
from test_waiting import approver, waiting_world

ALL = ["describe_schema", "read_query", "execute_sql"]


def call(i: int, tool: str, args: dict) -> dict:
    return ms.request(i, "tools/call", {"name": tool, "arguments": args})


def session_of(resp) -> str:
    return {k.lower(): v for k, v in resp.headers.items()}.get("x-session-id", "")


def log(w: ms.World, session: str) -> list:
    return [(d["action_name"], d["allowed"]) for d in ms.decisions(w, session)]


def verified(w: ms.World, session: str, entries: int) -> None:
    r = w.airlock.http("GET", f"/api/v1/sessions/{session}/verify")
    assert r.status == 200 and r.json["valid"] is True, r.text
    assert r.json["entries"] == entries, r.text


def test_each_plain_call_is_decided_once_in_the_agents_own_and_in_a_named_session(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    calls = [
        ("read_query", {"sql": "SELECT count(*) AS n FROM accounts"}, True),
        ("execute_sql", {"sql": "DROP TABLE accounts"}, False),
        ("read_query", {"sql": "SELECT name FROM accounts"}, True),
    ]
    named = ms.init_session(w)
    for session in (None, named):
        # The first call of the agent's own session creates it (two round trips); the others
        # find it and are decided with the opening.
        seen = set()
        for i, (tool, args, allowed) in enumerate(calls, start=1):
            r = ms.post(w, call(i, tool, args), session=session)
            assert r.status == 200, r.text
            assert (r.json["result"].get("isError") is not True) == allowed, r.text
            seen.add(session_of(r))
        assert len(seen) == 1, seen
        sid = seen.pop()
        assert sid == (session or sid) and sid
        assert log(w, sid) == [(tool, allowed) for tool, _, allowed in calls]
        verified(w, sid, len(calls))
    assert ms.accounts(db) == ms.ACCOUNTS


def test_a_held_call_records_its_denial_and_its_approved_retry_once_each(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 30)

    async def go():
        async with ms.gateway(w) as c:
            p = approver(airlock, "approve")
            r = await c.call_tool("execute_sql", {"sql": "DELETE FROM accounts"})
            assert r.is_error is not True, ms.dump(r)
            assert json.loads(ms.text(r)) == {"ok": True, "changes": 3}
            p.communicate(timeout=30)
            r = await c.call_tool("read_query", {"sql": "SELECT count(*) AS n FROM accounts"})
            assert r.is_error is not True, ms.dump(r)

    anyio.run(go)
    r = ms.post(w, ms.request(1, "ping", {}))
    sid = session_of(r)
    assert sid.startswith("mcp_"), r.headers
    # The call held (denied, pending its approval), its check once approved, then the read.
    assert log(w, sid) == [("execute_sql", False), ("execute_sql", True), ("read_query", True)]
    verified(w, sid, 3)
    used = airlock.http("GET", "/mcp/approvals?status=used")
    assert len(used.json["approvals"]) == 1, used.text


def test_the_key_and_session_are_judged_before_the_body(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    sid = session_of(ms.post(w, call(1, "read_query", {"sql": "SELECT 1"})))
    assert sid.startswith("mcp_")
    wrong = airlock.key[:-1] + ("0" if airlock.key[-1] != "0" else "1")
    drop = call(2, "execute_sql", {"sql": "DROP TABLE accounts"})
    headers = {"X-Agent-ID": w.agent}
    too_large = b'{"x": "' + b"a" * (4 * 1024 * 1024 + 16) + b'"}'
    for body, raw in [(drop, None), (None, b"{not json"), (None, too_large)]:
        r = ms.http("POST", w.gateway_url, key=wrong, body=body, raw=raw, headers=headers)
        assert r.status == 401, r.text
        assert r.error_body() == {"error": "unauthorized", "message": "invalid API key"}, r.text
    # Another agent's session is refused before its call is decided.
    other = ms.create_agent(airlock, ["*"])
    r = ms.post(w, drop, headers={"X-Agent-ID": other}, session=sid)
    assert r.status == 403, r.text
    # With the key accepted, the body's problems are the answer, with the session's header.
    r = ms.http("POST", w.gateway_url, key=airlock.key, raw=b"{not json", headers=headers)
    assert r.status == 400 and r.json["error"]["code"] == -32700, r.text
    assert session_of(r) == sid, r.headers
    r = ms.http("POST", w.gateway_url, key=airlock.key, raw=too_large, headers=headers)
    assert r.status == 413 and r.error_body()["error"] == "payload_too_large", r.text
    assert session_of(r) == sid, r.headers
    assert log(w, sid) == [("read_query", True)]
    assert ms.accounts(db) == ms.ACCOUNTS


def test_a_call_to_a_server_the_gateway_cannot_reach_is_refused_undecided(airlock):
    # A server registered for the wrapper (a command, not a URL), its session existing.
    w = ms.world(airlock, "stdio:db_server.py", ["*"], ALL)
    sid = ms.init_session(w)
    for session in (sid, None):
        r = ms.post(w, call(1, "execute_sql", {"sql": "DROP TABLE accounts"}), session=session)
        assert r.status == 400 and "not reachable over HTTP" in r.error_body()["message"], r.text
    assert ms.decisions(w, sid) == []


def store_requests(w: ms.World) -> float:
    """Requests the store has run so far (the batch-size histogram's sum, `GET /metrics`)."""
    r = w.airlock.http("GET", "/metrics", key=None)
    assert r.status == 200, r.text
    for line in r.text.splitlines():
        if line.startswith("airlock_store_batch_size_sum "):
            return float(line.split()[1])
    raise AssertionError("no airlock_store_batch_size_sum in /metrics")


def test_a_call_in_an_existing_session_takes_one_store_round_trip(airlock, db, db_http):
    # Two would decide the same (the rest of this file); this is how a return to two is seen.
    w = ms.world(airlock, db_http.url, ["*"], ALL)
    r = ms.post(w, call(1, "read_query", {"sql": "SELECT 1 AS n"}))
    assert r.status == 200, r.text
    calls = 20
    before = store_requests(w)
    for i in range(calls):
        r = ms.post(w, call(2 + i, "read_query", {"sql": "SELECT name FROM accounts"}))
        assert r.status == 200 and r.json["result"].get("isError") is not True, r.text
    ran = store_requests(w) - before
    # One request a call; a little slack for the server's own background requests.
    assert calls <= ran < calls * 1.5, ran
