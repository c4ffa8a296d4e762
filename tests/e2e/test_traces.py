"""OpenTelemetry traces of the real binary over OTLP/HTTP: a check continues the caller's
`traceparent` and carries the GenAI/Airlock attributes (never the raw input), a denial for an
error is marked, and without `OTEL_EXPORTER_OTLP_ENDPOINT` nothing is sent.

The receiver (otlp_receiver.py) is a stand-in for an OpenTelemetry Collector: it decodes the
protobuf bodies with the official `opentelemetry-proto` messages."""

from __future__ import annotations

import time

import pytest

from otlp_receiver import Receiver

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"
SECRET = "hunter2-do-not-export"


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


def traced_env(monkeypatch, receiver: Receiver) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)


def make_agent(airlock, caps: list) -> str:
    r = airlock.http("POST", "/api/v1/agents", body={"name": "traced", "capabilities": caps})
    assert r.status in (200, 201), r.text
    return r.json["id"]


def check(airlock, agent: str, action: str, headers: dict | None = None) -> dict:
    body = {
        "agent_id": agent,
        "action_name": action,
        "action_input": {"path": "/srv/a.txt", "token": SECRET},
    }
    r = airlock.http("POST", "/api/v1/agenttrust/check", body=body, headers=headers or {})
    assert r.status == 200, r.text
    return r.json


def test_a_check_continues_the_callers_traceparent(monkeypatch, receiver, airlock_factory):
    traced_env(monkeypatch, receiver)
    airlock = airlock_factory()
    agent = make_agent(airlock, ["files.read"])
    answer = check(airlock, agent, "files.read", {"traceparent": TRACEPARENT, "tracestate": "v=1"})
    assert answer["allowed"] is True

    span = receiver.wait_for(lambda s: s["trace_id"] == TRACE_ID)
    assert span is not None, f"no span of the trace arrived: {receiver.spans}"
    assert span["parent_span_id"] == PARENT_ID
    assert span["name"] == "check files.read"
    a = span["attributes"]
    assert a["gen_ai.operation.name"] == "execute_tool"
    assert a["gen_ai.tool.name"] == "files.read"
    assert a["gen_ai.agent.id"] == agent
    assert a["airlock.check.id"] == answer["check_id"]
    assert a["airlock.session.id"] == answer["session_id"]
    assert a["airlock.allowed"] is True
    assert a["airlock.effect"] == "read"
    assert a["airlock.rule"] == "allowed"
    assert a["airlock.guard_tier"] == "fast"
    assert len(a["airlock.input.digest"]) >= 64
    assert span["resource"]["service.name"] == "airlock"
    # The raw input never leaves: only its digest.
    assert SECRET not in repr(receiver.spans)
    assert all(r["path"] == "/v1/traces" for r in receiver.requests)


def test_a_malformed_traceparent_starts_a_new_trace(monkeypatch, receiver, airlock_factory):
    traced_env(monkeypatch, receiver)
    airlock = airlock_factory()
    agent = make_agent(airlock, ["files.read"])
    answer = check(airlock, agent, "files.read", {"traceparent": "00-zz-not-a-trace"})
    assert answer["allowed"] is True
    span = receiver.wait_for(lambda s: s["attributes"].get("airlock.check.id") == answer["check_id"])
    assert span is not None, receiver.spans
    assert span["parent_span_id"] == ""
    assert len(span["trace_id"]) == 32 and span["trace_id"] != "0" * 32


def test_spans_are_flushed_at_shutdown(monkeypatch, receiver, airlock_factory):
    traced_env(monkeypatch, receiver)
    # A long batch delay: only the shutdown flush can deliver the span in time.
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "600000")
    airlock = airlock_factory()
    agent = make_agent(airlock, ["files.read"])
    answer = check(airlock, agent, "files.read", {"traceparent": TRACEPARENT})
    time.sleep(0.5)
    assert receiver.spans == []
    assert airlock.stop() == 0
    span = receiver.wait_for(lambda s: s["attributes"].get("airlock.check.id") == answer["check_id"], timeout=5)
    assert span is not None, receiver.spans


def test_without_an_endpoint_nothing_is_sent(monkeypatch, airlock_factory):
    # The receiver listens on the OTLP/HTTP default port, where an exporter left on with its
    # default endpoint would send.
    try:
        receiver = Receiver(port=4318).start()
    except OSError:
        pytest.fail("port 4318 (OTLP/HTTP default) is taken on this machine", pytrace=False)
    try:
        monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
        monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
        # Everything else that would shape an export is set: without the endpoint it is off.
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "50")
        monkeypatch.setenv("OTEL_SERVICE_NAME", "airlock-test")
        airlock = airlock_factory()
        agent = make_agent(airlock, ["files.read"])
        check(airlock, agent, "files.read", {"traceparent": TRACEPARENT})
        time.sleep(1.0)
        assert airlock.stop() == 0
        time.sleep(0.3)
        assert receiver.requests == []
    finally:
        receiver.stop()


def test_sdk_disabled_turns_export_off(monkeypatch, receiver, airlock_factory):
    traced_env(monkeypatch, receiver)
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    airlock = airlock_factory()
    agent = make_agent(airlock, ["files.read"])
    check(airlock, agent, "files.read", {"traceparent": TRACEPARENT})
    time.sleep(1.0)
    assert airlock.stop() == 0
    time.sleep(0.3)
    assert receiver.requests == []
