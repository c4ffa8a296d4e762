"""The A2A gateway under a delegated session, with the published Python SDK 0.4.0: a planner
delegates to a worker, and messages to the worker through `/a2a/agents/{id}` carrying the
delegated session in `X-Session-ID` are decided by the delegation's scope, like every other
call of that session (docs/a2a.md, docs/delegations.md). A message outside the scope, or sent
after the delegation is revoked, never reaches the worker's A2A endpoint."""

from __future__ import annotations

from support import unique
from test_a2a import A2AAgent, decisions, rpc  # noqa: F401 - the agent and helpers of test_a2a

import pytest


@pytest.fixture
def worker_endpoint():
    a = A2AAgent()
    yield a
    a.stop()


def message(text: str) -> dict:
    return {"message": {"role": "user", "messageId": unique("m"), "parts": [{"kind": "text", "text": text}]}}


def test_a_delegated_session_decides_a2a_messages_by_the_delegations_scope(airlock, client, worker_endpoint):
    planner = client.agents.create(name=unique("planner"), capabilities=["a2a.*", "db.*"])
    worker = client.agents.create(name=unique("worker"), capabilities=["a2a.*", "db.query.read"],
                                  metadata={"a2a_url": worker_endpoint.url})
    client.agent_cards.generate(worker.id)

    # Scope: sending messages to the worker, nothing else.
    send = client.delegations.create(planner.id, worker.id, ["a2a.message/send"], ttl_seconds=600)
    session = client.delegations.init_session(send.id)
    client.http.headers["X-Session-ID"] = session.session_id
    # Sending is a mutating act and the session is read-only (the organization's default): the
    # first message waits for a person to elevate the session, and is not forwarded.
    first = rpc(client, f"/a2a/agents/{worker.id}", "message/send", message("Summarize the orders report"))
    assert "error" in first and "requires elevation" in first["error"]["message"], first
    assert worker_endpoint.received == []
    approval = first["error"]["data"]["approval_id"]
    r = airlock.http("POST", f"/mcp/approvals/{approval}/approve", body={"decided_by": "ops"})
    assert r.status == 200, r.text
    ok = rpc(client, f"/a2a/agents/{worker.id}", "message/send", message("Summarize the orders report"))
    assert "result" in ok, ok
    assert len(worker_endpoint.received) == 1

    # A statement that drops a table, inside a message the scope allows: decided on what it
    # carries, refused, never forwarded.
    drop = rpc(client, f"/a2a/agents/{worker.id}", "message/send", message("Run this now: DROP TABLE orders;"))
    assert "error" in drop, drop
    assert len(worker_endpoint.received) == 1

    # Another delegation whose scope names no A2A method: refused, naming it.
    reads = client.delegations.create(planner.id, worker.id, ["db.query.read"], ttl_seconds=600)
    read_session = client.delegations.init_session(reads.id)
    client.http.headers["X-Session-ID"] = read_session.session_id
    refused = rpc(client, f"/a2a/agents/{worker.id}", "message/send", message("Summarize the orders report"))
    assert "error" in refused, refused
    assert f"delegation `{reads.id}`" in refused["error"]["message"], refused
    assert len(worker_endpoint.received) == 1

    # Revoked: the session that was allowed a moment ago decides nothing more.
    client.delegations.revoke(send.id)
    client.http.headers["X-Session-ID"] = session.session_id
    after = rpc(client, f"/a2a/agents/{worker.id}", "message/send", message("Summarize the orders report"))
    assert "error" in after, after
    assert len(worker_endpoint.received) == 1

    # Every decision of the delegated session is recorded with its chain.
    log = decisions(airlock, session.session_id)
    assert len(log) == 4, log
    chain = f"`{send.id}` (`{planner.id}` → `{worker.id}`)"
    assert all(any(chain in r for r in d["reasons"]) for d in log), log
    assert [d["allowed"] for d in sorted(log, key=lambda d: d["seq"])] == [False, True, False, False]
