"""SIEM streaming with the real binary, managed through the published SDK's `streaming` API:
delivery to a local HTTP receiver (http.server in a thread, standing in for a webhook
collector and a Splunk HTTP Event Collector) survives a `kill -9` in the middle of a burst,
keeps each session's order, and a receiver that is down only grows the backlog metric."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from support import Airlock
from test_metrics import scrape, value
from test_sdk_flows import agent_and_session

TOKEN = "siem-token-0123456789-abcd"


class Receiver:
    """A local collector: records every POST (headers, parsed lines); answers 503 while down."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[dict, list]] = []
        self.down = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if receiver.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                lines = [json.loads(line) for line in body.splitlines() if line.strip()]
                with receiver.lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, lines))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/collect"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list:
        with self.lock:
            return [e for _, lines in self.requests for e in lines]

    def close(self):
        self.server.shutdown()


def wait_until(what, predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_sdk_manages_destinations(airlock: Airlock):
    receiver = Receiver()
    try:
        streaming = airlock.client().streaming
        d = streaming.create(
            name="collector",
            destination_type="webhook",
            endpoint_url=receiver.url,
            auth_token=TOKEN,
            batch_size=10,
            flush_interval_seconds=1,
            filter_event_types=["decision"],
        )
        assert d.id and d.is_active and d.batch_size == 10 and d.flush_interval_seconds == 1
        assert d.auth_token == "****abcd" and d.created_at is not None
        assert [x.id for x in streaming.list()] == [d.id]
        assert streaming.get(d.id).endpoint_url == receiver.url
        u = streaming.update(d.id, is_active=False, name="renamed")
        assert u.is_active is False and u.name == "renamed" and u.auth_token == "****abcd"
        result = streaming.test(d.id)
        assert result["success"] is True, result
        assert receiver.requests[-1][0]["authorization"] == f"Bearer {TOKEN}"
        logs = streaming.delivery_log(d.id)
        assert logs and logs[0].status == "success" and logs[0].status_code == 200
        bad = airlock.http(
            "POST",
            "/api/v1/siem/destinations",
            body={"name": "x", "destination_type": "syslog", "endpoint_url": receiver.url},
        )
        assert bad.status == 400 and bad.error_body()
        streaming.delete(d.id)
        assert streaming.list() == []
        # The token is encrypted at rest: its bytes are nowhere in the data directory's files.
        for p in airlock.data_dir.rglob("*"):
            if p.is_file() and p.name != "siem.key":
                assert TOKEN.encode() not in p.read_bytes(), p
        key = airlock.data_dir / "keys" / "siem.key"
        assert key.stat().st_mode & 0o777 == 0o600
    finally:
        receiver.close()


def test_every_answered_check_arrives_in_order_across_kill_9(airlock_factory):
    receiver = Receiver()
    server = airlock_factory()
    try:
        server.client().streaming.create(
            name="collector",
            destination_type="webhook",
            endpoint_url=receiver.url,
            batch_size=50,
            flush_interval_seconds=1,
        )
        sessions = [agent_and_session(server, caps=["files.read"]) for _ in range(4)]
        answered: dict[str, list[str]] = {s[3].session_id: [] for s in sessions}
        stop = threading.Event()

        def burst(client, agent, session):
            while not stop.is_set():
                try:
                    r = client.actions.check(
                        agent_id=agent.id,
                        session_id=session.session_id,
                        tool_name="files.read",
                        tool_input_summary="path=/srv/a.txt",
                        action_effect="read",
                    )
                except Exception:  # the server was killed: this check was not answered
                    return
                answered[session.session_id].append(r.check_id)

        threads = [
            threading.Thread(target=burst, args=(client, agent, session))
            for client, agent, _, session in sessions
        ]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server._kill()  # SIGKILL, in the middle of the burst
        stop.set()
        for t in threads:
            t.join(timeout=30)
        total = sum(len(v) for v in answered.values())
        assert total > 20, answered

        server.start()  # same data directory
        client = server.client()
        for _, agent, _, session in sessions:
            r = client.actions.check(
                agent_id=agent.id,
                session_id=session.session_id,
                tool_name="files.read",
                tool_input_summary="after restart",
                action_effect="read",
            )
            answered[session.session_id].append(r.check_id)

        wanted = {c for ids in answered.values() for c in ids}
        wait_until(
            "every answered check at the receiver",
            lambda: wanted <= {e["idempotency_key"] for e in receiver.events()},
            timeout=60,
        )
        events = receiver.events()
        for session_id, ids in answered.items():
            # First arrival of each event of this session, in arrival order.
            seen, order = set(), []
            for e in events:
                if e["session_id"] == session_id and e["check_id"] not in seen:
                    seen.add(e["check_id"])
                    order.append(e)
            seqs = [e["seq"] for e in order]
            assert seqs == sorted(seqs), f"{session_id}: {seqs}"
            got = [e["check_id"] for e in order if e["check_id"] in set(ids)]
            assert got == ids, session_id
    finally:
        receiver.close()


def test_splunk_hec_format_and_header(airlock: Airlock):
    receiver = Receiver()
    try:
        client, agent, _, session = agent_and_session(airlock, caps=["files.read"])
        airlock.client().streaming.create(
            name="hec",
            destination_type="splunk_hec",
            endpoint_url=receiver.url,
            auth_token=TOKEN,
            batch_size=2,
            flush_interval_seconds=1,
        )
        ids = []
        for _ in range(2):
            r = client.actions.check(
                agent_id=agent.id,
                session_id=session.session_id,
                tool_name="files.read",
                tool_input_summary="p",
                action_effect="read",
            )
            ids.append(r.check_id)
        wait_until("a HEC batch", lambda: len(receiver.events()) >= 2)
        headers, lines = receiver.requests[0]
        assert headers["authorization"] == f"Splunk {TOKEN}"
        assert [e["event"]["idempotency_key"] for e in lines] == ids
        for e in lines:
            assert e["sourcetype"] == "airlock:decision"
            assert isinstance(e["time"], float) and e["time"] > 1.7e9
    finally:
        receiver.close()


def test_a_down_receiver_grows_the_backlog_then_drains(airlock: Airlock):
    receiver = Receiver()
    receiver.down = True
    try:
        client, agent, _, session = agent_and_session(airlock, caps=["files.read"])
        d = airlock.client().streaming.create(
            name="down",
            destination_type="webhook",
            endpoint_url=receiver.url,
            batch_size=1,
            flush_interval_seconds=1,
        )
        ids = []
        for _ in range(5):
            r = client.actions.check(
                agent_id=agent.id,
                session_id=session.session_id,
                tool_name="files.read",
                tool_input_summary="p",
                action_effect="read",
            )
            ids.append(r.check_id)
        wait_until(
            "the backlog gauge at 5",
            lambda: value(scrape(airlock)[0], "airlock_siem_backlog", destination=d.id) == 5,
        )
        # The gauge counts the outbox; the first failed attempt may come a moment after it.
        wait_until(
            "a failed delivery counted",
            lambda: value(scrape(airlock)[0], "airlock_siem_delivery_failures_total", destination=d.id) >= 1,
        )
        assert receiver.events() == []
        receiver.down = False
        wait_until(
            "the backlog drained",
            lambda: value(scrape(airlock)[0], "airlock_siem_backlog", destination=d.id) == 0,
            timeout=90,
        )
        assert [e["idempotency_key"] for e in receiver.events()] == ids
        logs = airlock.client().streaming.delivery_log(d.id)
        assert {log.status for log in logs} == {"success", "failed"}
    finally:
        receiver.close()
