"""The approval link through the protocol: a call that needs a person's approval tells the
client where the person decides it, `<base>/console/approvals/<approval id>` (base: the URL
the client used to reach Airlock: `http://<Host>` at the gateway, `AGENTTRUST_URL` for the
wrapper).

Proved with real processes (`airlock serve`, the SQLite MCP server, the official MCP Python
SDK as the client, approvals decided through the HTTP API):
- a held call (2025-11-25 client) is sent `elicitation/create` in URL mode naming the pending
  approval, and progress naming it; approved by another process, it runs; a `decline` ends
  the wait at once with a denial (gateway and wrapper);
- with no wait, a 2025-11-25 client gets the error -32042 carrying the link; once approved,
  the same call runs once;
- a 2026-07-28 client gets an `InputRequiredResult` with the link and a sealed
  `requestState`: approved → the retry runs; declined → denied; a tampered state or a state
  presented with other arguments is refused;
- a held call the client cancels never runs, even when its approval comes later.
Every call that must not run is also checked in the database file itself."""

from __future__ import annotations

import json
import re
from contextlib import asynccontextmanager

import anyio
from mcp.shared.exceptions import MCPError
from mcp_types import ElicitRequestURLParams, ElicitResult, InputRequiredResult

import mcp_support as ms
from test_waiting import DELETE, approver, waiting_world

MODERN = "2026-07-28"
LINK = re.compile(r"^(?P<base>.+)/console/approvals/(?P<id>apr_[A-Za-z0-9_-]+)$")


def approvals(airlock, status: str) -> list:
    r = airlock.http("GET", f"/mcp/approvals?status={status}")
    assert r.status == 200, r.text
    return [a["id"] for a in r.json["approvals"]]


def decide(airlock, approval: str, verdict: str = "approve") -> None:
    r = airlock.http("POST", f"/mcp/approvals/{approval}/{verdict}", body={"decided_by": "link-test"})
    assert r.status == 200, r.text


def link_of(url: str, base: str) -> str:
    """The approval id named by an approval link on `base`."""
    m = LINK.match(url)
    assert m and m["base"] == base, (url, base)
    return m["id"]


class Person:
    """The client's elicitation callback: records each request (and the approvals pending
    when it came), runs `then` (the person deciding), answers `action`."""

    def __init__(self, airlock, action: str = "accept", then=None):
        self.airlock, self.action, self.then = airlock, action, then
        self.asked: list = []
        self.pending_then: list = []
        self.event = anyio.Event()

    async def __call__(self, context, params):
        self.asked.append(params)
        self.pending_then.append(await anyio.to_thread.run_sync(approvals, self.airlock, "pending"))
        if self.then is not None:
            await self.then(params)
        self.event.set()
        return ElicitResult(action=self.action)


@asynccontextmanager
async def connect(w: ms.World, person: Person, mode: str = "legacy", params=None):
    """The SDK's `Client` with an elicitation callback, through the gateway or (`params`) the
    wrapper; mcp_support's helpers take no callback."""
    if params is not None:
        async with ms.Client(params, mode=mode, elicitation_callback=person, read_timeout_seconds=90) as c:
            yield c
        return
    h = ms.httpx2.AsyncClient(headers={"X-API-Key": w.airlock.key, "X-Agent-ID": w.agent}, timeout=90)
    async with h:
        transport = ms.streamable_http_client(w.gateway_url, http_client=h)
        async with ms.Client(transport, mode=mode, elicitation_callback=person, read_timeout_seconds=90) as c:
            yield c


async def held_and_approved(c, airlock, person: Person, base: str) -> None:
    """A held call: the link and progress arrive; another process approves; the real result."""
    progress: list = []
    seen = anyio.Event()

    async def on_progress(value, total, message):
        progress.append((value, total, message))
        seen.set()

    async def approve_when_told(proc: list):
        with anyio.fail_after(60):
            await person.event.wait()
            await seen.wait()
        proc.append(approver(airlock, "approve"))

    proc: list = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(approve_when_told, proc)
        r = await c.call_tool("execute_sql", {"sql": DELETE}, progress_callback=on_progress)
    assert r.is_error is not True, ms.dump(r)
    assert json.loads(ms.text(r)) == {"ok": True, "changes": 3}
    out, _ = proc[0].communicate(timeout=30)

    assert len(person.asked) == 1, person.asked
    asked = person.asked[0]
    assert isinstance(asked, ElicitRequestURLParams) and asked.mode == "url", asked
    approval = link_of(asked.url, base)
    assert person.pending_then == [[approval]], (person.pending_then, approval)
    assert asked.elicitation_id and asked.elicitation_id.startswith(approval + "."), asked
    assert approval in asked.message, asked.message
    assert out.split() == [approval, "approve"], out
    assert progress, "no progress while held"
    assert all(m and approval in m and asked.url in m for _, _, m in progress), progress
    assert progress[0][1] == 30.0, progress
    assert approvals(airlock, "used") == [approval]
    assert approvals(airlock, "pending") == []


def test_a_held_call_sends_the_link_and_progress_and_runs_once_approved(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 30)
    person = Person(airlock, "accept")

    async def go():
        async with connect(w, person) as c:
            await held_and_approved(c, airlock, person, airlock.url)

    anyio.run(go)
    assert ms.accounts(db) == []


def test_declining_the_link_ends_the_wait_at_once_with_a_denial(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 30)
    person = Person(airlock, "decline")

    async def go():
        async with connect(w, person) as c:
            started = anyio.current_time()
            r = await c.call_tool("execute_sql", {"sql": DELETE})
            return r, anyio.current_time() - started

    r, took = anyio.run(go)
    assert r.is_error is True, ms.dump(r)
    t = ms.text(r)
    assert "did not open the approval link" in t and "decline" in t, t
    assert took < 15, f"a declined link must end the 30 s wait at once, took {took:.1f} s"
    assert len(person.asked) == 1
    approval = link_of(person.asked[0].url, airlock.url)
    assert approval in t, t
    assert approvals(airlock, "pending") == [approval]  # nobody decided it; nothing used it
    assert ms.accounts(db) == ms.ACCOUNTS


def test_without_a_wait_a_2025_client_gets_the_link_as_error_32042(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 0)
    person = Person(airlock, "accept")

    async def url_required(c) -> str:
        try:
            r = await c.call_tool("execute_sql", {"sql": DELETE})
        except MCPError as e:
            assert e.code == -32042, (e.code, e.message, e.data)
            elicitation = e.data["elicitations"][0]
            assert len(e.data["elicitations"]) == 1, e.data
            assert elicitation["mode"] == "url", elicitation
            approval = link_of(elicitation["url"], airlock.url)
            assert elicitation["elicitationId"].startswith(approval + "."), elicitation
            assert approvals(airlock, "pending") == [approval]
            return approval
        raise AssertionError(f"expected -32042, got {ms.dump(r)}")

    async def go():
        async with connect(w, person) as c:
            first = await url_required(c)
            assert ms.accounts(db) == ms.ACCOUNTS
            decide(airlock, first)
            r = await c.call_tool("execute_sql", {"sql": DELETE})
            assert r.is_error is not True, ms.dump(r)
            assert json.loads(ms.text(r)) == {"ok": True, "changes": 3}
            assert approvals(airlock, "used") == [first]
            # The approval was used up: the same call needs a new one.
            second = await url_required(c)
            assert second != first

    anyio.run(go)
    assert ms.accounts(db) == []
    assert person.asked == []  # nothing is held without a wait: no elicitation/create


def test_a_2026_client_gets_an_input_required_result_with_the_link(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 0)

    async def person_approves(params):
        await anyio.to_thread.run_sync(decide, airlock, link_of(params.url, airlock.url))

    declines = Person(airlock, "decline")
    approves = Person(airlock, "accept", then=person_approves)

    async def go():
        async with connect(w, declines, mode=MODERN) as c:
            assert c.protocol_version == MODERN
            r = await c.call_tool("execute_sql", {"sql": DELETE})
            assert r.is_error is True, ms.dump(r)
            t = ms.text(r)
            assert "did not open the link of approval" in t and "decline" in t, t
            assert ms.accounts(db) == ms.ACCOUNTS
        async with connect(w, approves, mode=MODERN) as c:
            r = await c.call_tool("execute_sql", {"sql": DELETE})
            assert r.is_error is not True, ms.dump(r)
            assert json.loads(ms.text(r)) == {"ok": True, "changes": 3}

    anyio.run(go)
    assert len(declines.asked) == 1 and len(approves.asked) == 1
    declined = link_of(declines.asked[0].url, airlock.url)
    approved = link_of(approves.asked[0].url, airlock.url)
    assert declines.pending_then == [[declined]]
    # A decline decides nothing: the approval stays pending and the same call (same session)
    # asks for it again; this time the person approves it and the retry uses it up.
    assert approved == declined and approves.pending_then == [[approved]], approves.pending_then
    assert isinstance(approves.asked[0], ElicitRequestURLParams) and approved in approves.asked[0].message
    assert approvals(airlock, "used") == [approved]
    assert approvals(airlock, "pending") == []
    assert ms.accounts(db) == []


def tampered(state: str) -> str:
    """`state` with one hex character in the middle changed."""
    i = len(state) // 2
    while state[i] not in "0123456789abcdef":
        i += 1
    return state[:i] + ("1" if state[i] == "0" else "0") + state[i + 1:]


def test_a_2026_request_state_is_sealed_and_bound_to_its_call(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 0)
    accept = {"airlock_approval": ElicitResult(action="accept")}

    async def refused(c, arguments, state) -> str:
        try:
            r = await c.session.call_tool("execute_sql", arguments, request_state=state,
                                          input_responses=accept, allow_input_required=True)
        except MCPError as e:
            assert e.code == -32602, (e.code, e.message)
            return e.message
        raise AssertionError(f"expected a refusal, got {r!r}")

    async def go():
        async with connect(w, Person(airlock), mode=MODERN) as c:
            first = await c.session.call_tool("execute_sql", {"sql": DELETE}, allow_input_required=True)
            assert isinstance(first, InputRequiredResult), first
            assert set(first.input_requests) == {"airlock_approval"}, first.input_requests
            params = first.input_requests["airlock_approval"].params
            assert isinstance(params, ElicitRequestURLParams), params
            approval = link_of(params.url, airlock.url)
            assert approvals(airlock, "pending") == [approval]
            state = first.request_state
            assert state and state.startswith("airlock1."), state
            decide(airlock, approval)  # even approved, a bad state runs nothing

            m = await refused(c, {"sql": DELETE}, tampered(state))
            assert "the request state failed verification" in m, m
            m = await refused(c, {"sql": "DELETE FROM accounts WHERE id = 1"}, state)
            assert "the request state belongs to another call" in m, m
            assert ms.accounts(db) == ms.ACCOUNTS
            assert approvals(airlock, "approved") == [approval]

            # The untouched state with its own call: runs, once.
            r = await c.session.call_tool("execute_sql", {"sql": DELETE}, request_state=state,
                                          input_responses=accept, allow_input_required=True)
            assert not isinstance(r, InputRequiredResult) and r.is_error is not True, r
            assert json.loads(ms.text(r)) == {"ok": True, "changes": 3}
            m = await refused(c, {"sql": DELETE}, state)
            assert "the request state was already used" in m, m
            return approval

    approval = anyio.run(go)
    assert approvals(airlock, "used") == [approval]
    assert ms.accounts(db) == []


def test_the_wrapper_sends_the_link_on_agenttrust_url(airlock, db):
    w = waiting_world(airlock, "stdio:db_server.py", 0)
    assert w.env["AGENTTRUST_URL"] == airlock.url
    person = Person(airlock, "accept")
    params = ms.wrap_params(w, ms.db_stdio_args(db), env={"AIRLOCK_APPROVAL_WAIT_SECS": "30"})

    async def go():
        async with connect(w, person, params=params) as c:
            await held_and_approved(c, airlock, person, w.env["AGENTTRUST_URL"])

    anyio.run(go)
    assert ms.accounts(db) == []


def test_a_cancelled_held_call_never_runs_even_when_approved_later(airlock, db, db_http):
    w = waiting_world(airlock, db_http.url, 30)
    person = Person(airlock, "accept")

    async def go():
        async with connect(w, person) as c:
            with anyio.move_on_after(2) as scope:
                await c.call_tool("execute_sql", {"sql": DELETE})
            assert scope.cancelled_caught, "the call was not held"
            assert len(person.asked) == 1
            approval = link_of(person.asked[0].url, airlock.url)
            assert approvals(airlock, "pending") == [approval]
            decide(airlock, approval)
            await anyio.sleep(3)
            assert ms.accounts(db) == ms.ACCOUNTS
            # Still connected: a read works, and the approval was not used by the cancelled call.
            r = await c.call_tool("read_query", {"sql": "SELECT count(*) AS n FROM accounts"})
            assert json.loads(ms.text(r)) == [{"n": 3}], ms.dump(r)
            assert approvals(airlock, "approved") == [approval]

    anyio.run(go)
    assert ms.accounts(db) == ms.ACCOUNTS
