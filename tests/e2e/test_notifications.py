"""Notification webhooks through the real binary: `--public-url`, `--deny-private-webhooks`, and a
signed delivery to a local receiver (a Python HTTP server standing in for a webhook endpoint)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support import Airlock

SECRET = "whsec_e2e_0123456789abcdef"


class Receiver:
    def __init__(self) -> None:
        self.got: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, n: int, timeout: float = 10.0) -> list[tuple[dict, bytes]]:
        deadline = time.time() + timeout
        while len(self.got) < n and time.time() < deadline:
            time.sleep(0.05)
        assert len(self.got) >= n, f"got {len(self.got)} of {n} deliveries"
        return self.got


def destructive_call(airlock: Airlock) -> dict:
    agent = airlock.http("POST", "/api/v1/agents", body={"name": "a", "capabilities": ["db.*"]}).json
    server = airlock.http(
        "POST", "/mcp/servers",
        body={"name": "db", "url": "http://127.0.0.1:9", "capabilities": ["db.*"], "default_mode": "standard"},
    ).json
    session = airlock.http(
        "POST", "/mcp/sessions/init", body={"agent_id": agent["id"], "server_id": server["id"]}
    ).json
    r = airlock.http(
        "POST", "/api/v1/agenttrust/check",
        body={"agent_id": agent["id"], "session_id": session["session_id"], "action_name": "db.execute",
              "action_input": {"sql": "DROP TABLE users"}},
    )
    assert r.status == 200, r.text
    assert r.json["allowed"] is False and r.json["approval_id"], r.json
    return r.json


def test_a_new_approval_reaches_the_webhook_signed_with_a_console_link(airlock_factory):
    airlock = airlock_factory("--public-url", "https://airlock.example.test/")
    receiver = Receiver()
    r = airlock.http("POST", "/api/v1/notifications/webhooks", body={"url": receiver.url, "secret": SECRET})
    assert r.status == 201, r.text
    assert SECRET not in r.text
    denied = destructive_call(airlock)
    headers, body = receiver.wait(1)[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, headers["x-airlock-signature"])
    payload = json.loads(body)
    assert payload["approval"]["id"] == denied["approval_id"]
    assert payload["approval"]["action_effect"] == "destructive"
    assert payload["link"] == f"https://airlock.example.test/console/approvals/{denied['approval_id']}"


def test_deny_private_webhooks_refuses_a_loopback_receiver(airlock_factory):
    airlock = airlock_factory("--deny-private-webhooks")
    r = airlock.http(
        "POST", "/api/v1/notifications/webhooks", body={"url": "http://127.0.0.1:9/hook", "secret": SECRET}
    )
    assert r.status == 400, r.text
    assert "private" in r.error_body()["message"]


def test_deny_private_webhooks_refuses_a_name_that_resolves_to_loopback_at_delivery(airlock_factory):
    airlock = airlock_factory("--deny-private-webhooks")
    receiver = Receiver()
    url = receiver.url.replace("127.0.0.1", "localhost")
    r = airlock.http("POST", "/api/v1/notifications/webhooks", body={"url": url, "secret": SECRET})
    assert r.status == 201, r.text
    destructive_call(airlock)
    time.sleep(1.5)
    assert receiver.got == [], "a loopback address was reached despite --deny-private-webhooks"
