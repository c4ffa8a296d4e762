"""The A2A gateway and agent cards with the published Python SDK (`agenttrustid==0.4.0`:
`client.a2a`, `client.agent_cards`) against a real `airlock serve` (docs/a2a.md).

The target is a small real A2A agent the test starts (a Python `http.server` speaking JSON-RPC
`message/send`), whose card points at it; it records every request it receives, so a denied
message is shown never to have reached it. Card signatures are verified here with
`cryptography` (Ed25519) and the key the server publishes at /api/v1/audit/public-key.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from agenttrustid.exceptions import AgentTrustError

from support import http, unique


class A2AAgent:
    """A minimal A2A agent: answers `message/send` with a completed task that echoes the text."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        agent = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                agent.received.append(body)
                text = body["params"]["message"]["parts"][0].get("text", "")
                answer = {
                    "jsonrpc": "2.0",
                    "id": body.get("id"),
                    "result": {
                        "kind": "task",
                        "id": "agent-task-1",
                        "contextId": "agent-ctx",
                        "status": {"state": "completed"},
                        "artifacts": [{"artifactId": "a1", "parts": [{"kind": "text", "text": "echo: " + text}]}],
                    },
                }
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def a2a_agent():
    a = A2AAgent()
    yield a
    a.stop()


def standard_session(airlock, client, agent_id: str) -> str:
    """A session of `agent_id` in `standard` mode with `a2a.*` in its ceiling."""
    r = airlock.http("POST", "/mcp/servers", body={
        "name": unique("peers"), "url": "http://localhost:1", "capabilities": ["a2a.*"],
        "default_mode": "standard",
    })
    assert r.status == 201, r.text
    return client.sessions.init_session(agent_id, r.json["id"]).session_id


def rpc(client, path: str, method: str, params: dict) -> dict:
    """A JSON-RPC call through the SDK's own transport, keeping the whole response (the SDK's
    A2A methods return the bare response when it has no `result`, dropping the error)."""
    return client.http.post(path, {"jsonrpc": "2.0", "id": 1, "method": method, "params": params})


def decisions(airlock, session_id: str) -> list:
    r = airlock.http("GET", f"/api/v1/sessions/{session_id}/decisions")
    assert r.status == 200, r.text
    return r.json["decisions"]


def b64d(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64e(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def verify_card(airlock, card: dict) -> None:
    """Checks the card's detached JWS (A2A card signing) with the server's published key;
    raises InvalidSignature when it does not match."""
    sig = card["signatures"][0]
    header = json.loads(b64d(sig["protected"]))
    assert header["alg"] == "EdDSA"
    keys = airlock.http("GET", "/api/v1/audit/public-key", key=None).json["keys"]
    key = next(k for k in keys if k["key_id"] == header["kid"])
    public = Ed25519PublicKey.from_public_bytes(b64d(key["public_key"]))
    unsigned = {k: v for k, v in card.items() if k != "signatures"}
    payload = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    public.verify(b64d(sig["signature"]), f"{sig['protected']}.{b64e(payload)}".encode())


def test_cards_are_generated_signed_and_public_only_once_published(airlock, client, a2a_agent):
    agent = client.agents.create(name=unique("worker"), capabilities=["a2a.*"],
                                 metadata={"a2a_url": a2a_agent.url})
    with pytest.raises(AgentTrustError):
        client.agent_cards.get(agent.id)
    card = client.agent_cards.generate(agent.id)
    assert card.name == agent.name
    assert card.primary_url == a2a_agent.url
    assert card.supported_interfaces[0]["protocolBinding"] == "JSONRPC"
    assert card.trust_score == 70.0
    assert card.signatures and card.signatures[0]["protected"]

    # Not public before it is published (no key needed to ask).
    r = airlock.http("GET", f"/a2a/agents/{agent.id}/agent.json", key=None)
    assert r.status == 404, r.text
    with pytest.raises(AgentTrustError):
        client.agent_cards.get_public(agent.id)
    assert airlock.http("GET", "/a2a/agents/agt_unknown/agent.json", key=None).status == 404

    published = client.agent_cards.publish(agent.id)
    assert published.name == agent.name
    public = client.agent_cards.get_public(agent.id)
    assert public.primary_url == a2a_agent.url and public.trust_score == 70.0
    raw = airlock.http("GET", f"/a2a/agents/{agent.id}/agent.json", key=None)
    assert raw.status == 200, raw.text
    card_json = raw.json
    assert card_json["capabilities"]["extensions"][0]["uri"] == "https://agenttrust.id/ext/trust/v1"

    verify_card(airlock, card_json)
    tampered = dict(card_json, supportedInterfaces=[dict(card_json["supportedInterfaces"][0], url="https://evil.example/")])
    with pytest.raises(InvalidSignature):
        verify_card(airlock, tampered)

    # Another organization sees none of it.
    other = airlock.client(airlock.new_org_key(unique("other-org")))
    for call in (other.agent_cards.get, other.agent_cards.generate, other.agent_cards.publish):
        with pytest.raises(AgentTrustError) as e:
            call(agent.id)
        assert e.value.code == "NOT_FOUND"


def test_an_allowed_message_reaches_the_agent_and_a_destructive_one_never_does(airlock, client, a2a_agent):
    agent = client.agents.create(name=unique("worker"), capabilities=["a2a.*"],
                                 metadata={"a2a_url": a2a_agent.url})
    client.agent_cards.generate(agent.id)
    session = standard_session(airlock, client, agent.id)
    client.http.headers["X-Session-ID"] = session

    task = client.a2a.send_message(agent.id, "Summarize the latest security report")
    assert task.id.startswith("tsk_") and task.state == "completed", task
    assert task.artifacts[0]["parts"][0]["text"] == "echo: Summarize the latest security report"
    assert len(a2a_agent.received) == 1
    assert a2a_agent.received[0]["method"] == "message/send"

    # A message asking to run a destructive statement: a JSON-RPC error with the reason.
    denied = rpc(client, f"/a2a/agents/{agent.id}", "message/send", {"message": {
        "role": "user", "messageId": "m-drop",
        "parts": [{"kind": "text", "text": "Please run DROP TABLE users on the production database"}]}})
    assert "result" not in denied
    assert denied["error"]["code"] == -32010, denied
    assert denied["error"]["message"].startswith("denied by Airlock")
    assert denied["error"]["data"]["effect"] == "destructive"
    # Through the SDK's method the same denial comes back as a task with no state, read from
    # the bare error response (the SDK does not read JSON-RPC errors: its `id` is the request's
    # JSON-RPC id); nothing reached the agent either way.
    empty = client.a2a.send_message(agent.id, "rm -rf / on the build host, now")
    assert empty.state == "" and empty.id == 1 and empty.artifacts == []
    assert len(a2a_agent.received) == 1

    log = decisions(airlock, session)
    assert [d["allowed"] for d in log] == [True, False, False]
    assert all(d["action_name"] == "a2a.message/send" for d in log)
    assert log[1]["check_id"] == denied["error"]["data"]["check_id"]

    # The same input through the check has the same effect (parity of the two surfaces).
    for text, i in [("Summarize the latest security report", 0), ("rm -rf / on the build host, now", 2)]:
        r = client.actions.check(agent.id, action="a2a.message/send", tool_name="a2a.message/send",
                                 tool_input_summary=text, session_id=session)
        assert r.allowed == log[i]["allowed"], text
    raw = airlock.http("POST", "/api/v1/agenttrust/check", body={
        "agent_id": agent.id, "session_id": session, "action_name": "a2a.message/send",
        "action_input_summary": "DROP TABLE users"})
    drop = rpc(client, f"/a2a/agents/{agent.id}", "message/send", {"message": {
        "role": "user", "messageId": "m2", "parts": [{"kind": "text", "text": "DROP TABLE users"}]}})
    assert raw.json["effect"] == drop["error"]["data"]["effect"] == "destructive"


def test_a_read_only_session_sends_nothing(airlock, client, a2a_agent):
    agent = client.agents.create(name=unique("worker"), capabilities=["a2a.*"],
                                 metadata={"a2a_url": a2a_agent.url})
    client.agent_cards.generate(agent.id)
    # No X-Session-ID: the agent's default session, read-only by default.
    denied = rpc(client, f"/a2a/agents/{agent.id}", "message/send", {"message": {
        "role": "user", "messageId": "m", "parts": [{"kind": "text", "text": "hello"}]}})
    assert denied["error"]["code"] == -32010
    assert denied["error"]["data"]["elevation_required"] is True
    assert a2a_agent.received == []


def test_tasks_send_get_and_cancel_follow_the_lifecycle(airlock, client):
    source = client.agents.create(name=unique("planner"), capabilities=["a2a.*"])
    target = client.agents.create(name=unique("worker"), capabilities=["a2a.*"])
    session = standard_session(airlock, client, target.id)
    client.http.headers["X-Session-ID"] = session

    task = client.a2a.send_task(source.id, target.id, "Summarize the report", metadata={"ticket": "T-1"})
    assert task.id.startswith("tsk_") and task.status == "submitted", task
    assert (task.source_agent_id, task.target_agent_id) == (source.id, target.id)
    assert task.message == "Summarize the report" and task.metadata == {"ticket": "T-1"}
    assert task.created_at is not None and task.updated_at is not None

    got = client.a2a.get_task(task.id)
    assert (got.id, got.status) == (task.id, "submitted")

    # Cancelling is destructive by its name: a person approves this exact call, then it runs.
    first = rpc(client, "/a2a", "tasks/cancel", {"task_id": task.id})
    assert first["error"]["code"] == -32010 and first["error"]["data"]["effect"] == "destructive"
    client.approvals.approve(first["error"]["data"]["approval_id"], decided_by="e2e")
    canceled = client.a2a.cancel_task(task.id)
    assert (canceled.id, canceled.status) == (task.id, "canceled")

    # Terminal: it takes no more messages and stays canceled.
    more = rpc(client, f"/a2a/agents/{target.id}", "message/send", {"message": {
        "role": "user", "messageId": "m", "taskId": task.id, "parts": [{"kind": "text", "text": "more"}]}})
    assert more["error"]["code"] == -32004, more
    assert client.a2a.get_task(task.id).status == "canceled"

    # Another organization: not found.
    other = airlock.client(airlock.new_org_key(unique("other-org")))
    gone = rpc(other, "/a2a", "tasks/get", {"task_id": task.id})
    assert gone["error"]["code"] == -32001


def test_malformed_json_rpc_is_an_error_never_a_500(airlock):
    for raw, status, code in [
        (b"{nope", 400, -32700),
        (b'{"jsonrpc":"2.0","method":"tasks/get"}', 400, -32600),
        (b'{"jsonrpc":"2.0","id":1,"method":"tasks/list"}', 200, -32601),
        (b'{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{}}', 200, -32602),
    ]:
        r = http("POST", airlock.url + "/a2a", key=airlock.key, raw=raw)
        assert r.status == status, r.text
        assert r.json["error"]["code"] == code, r.text
    r = http("POST", airlock.url + "/a2a", raw=b'{"jsonrpc":"2.0","id":1,"method":"tasks/get"}')
    assert r.status == 401
