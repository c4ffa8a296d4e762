"""OpenTelemetry traces of MCP tool calls: the gateway's `tools/call` span (MCP semantic
conventions) continues the trace of `params._meta.traceparent` (SEP-414) or of the HTTP
headers, and the check span is its child; the stdio wrapper's span is the parent of the
server's check span across the HTTP hop.

The OTLP receiver is a stand-in for an OpenTelemetry Collector (tests/e2e/otlp_receiver.py)."""

from __future__ import annotations

import anyio
import pytest

import mcp_support as ms
from otlp_receiver import Receiver
from support import new_bootstrap_key

ALL = ["describe_schema", "read_query", "execute_sql"]
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
META_PARENT = "b7ad6b7169203331"
HEADER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
HEADER_PARENT = "00f067aa0ba902b7"


@pytest.fixture
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture
def traced(monkeypatch, receiver, bin_path, tmp_path_factory, request):
    """An `airlock serve` exporting traces to `receiver`."""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    base = tmp_path_factory.mktemp("airlock")
    server = ms.Airlock(url="", key=new_bootstrap_key(), data_dir=base / "data", bin=bin_path, log_dir=base)
    server.start()
    yield server
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        print(f"\n[{server.url}] " + server.logs())
    server.stop()


def call(i: int, tool: str, args: dict, meta: dict | None = None) -> dict:
    params: dict = {"name": tool, "arguments": args}
    if meta:
        params["_meta"] = meta
    return {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": params}


def tool_span(receiver: Receiver, trace_id: str) -> dict:
    span = receiver.wait_for(lambda s: s["trace_id"] == trace_id and s["name"].startswith("tools/call"))
    assert span is not None, f"no tools/call span in trace {trace_id}: {receiver.spans}"
    return span


def child_check(receiver: Receiver, parent: dict) -> dict:
    span = receiver.wait_for(lambda s: s["parent_span_id"] == parent["span_id"] and s["name"].startswith("check "))
    assert span is not None, f"no check span under {parent['span_id']}: {receiver.spans}"
    assert span["trace_id"] == parent["trace_id"]
    return span


def test_gateway_tool_call_span_continues_meta_traceparent(traced, receiver, db_http):
    w = ms.world(traced, db_http.url, ["*"], ALL)
    meta = {"traceparent": f"00-{TRACE_ID}-{META_PARENT}-01", "tracestate": "x=1"}
    # An HTTP traceparent too: the message's own `_meta` wins for its tool call.
    headers = {"traceparent": f"00-{HEADER_TRACE}-{HEADER_PARENT}-01"}
    r = ms.post(w, call(41, "read_query", {"sql": "SELECT name FROM accounts"}, meta), headers=headers)
    assert r.status == 200, r.text
    assert "alice" in r.text

    span = tool_span(receiver, TRACE_ID)
    assert span["parent_span_id"] == META_PARENT
    assert span["name"] == "tools/call read_query"
    assert span["kind"] == 2  # SPAN_KIND_SERVER
    a = span["attributes"]
    assert a["mcp.method.name"] == "tools/call"
    assert a["gen_ai.tool.name"] == "read_query"
    assert a["gen_ai.operation.name"] == "execute_tool"
    assert a["jsonrpc.request.id"] == "41"
    assert a["network.transport"] == "tcp"
    assert a["airlock.allowed"] is True
    assert a["airlock.session.id"].startswith("mcp")

    check = child_check(receiver, span)
    c = check["attributes"]
    assert c["gen_ai.tool.name"] == "read_query"
    assert c["gen_ai.agent.id"] == w.agent
    assert c["airlock.session.id"] == a["airlock.session.id"]
    assert c["airlock.allowed"] is True
    assert c["airlock.check.id"].startswith("chk")
    assert "SELECT name" not in repr(receiver.spans)


def test_gateway_tool_call_span_continues_the_http_traceparent(traced, receiver, db_http):
    w = ms.world(traced, db_http.url, ["read_query"], ALL)
    headers = {"traceparent": f"00-{HEADER_TRACE}-{HEADER_PARENT}-01", "Mcp-Session-Id": "client-sess-1"}
    # Outside the agent's capabilities: denied, and the spans say so.
    r = ms.post(w, call("req-7", "execute_sql", {"sql": "DELETE FROM accounts"}), headers=headers)
    assert r.status in (200, 404), r.text
    span = tool_span(receiver, HEADER_TRACE)
    assert span["parent_span_id"] == HEADER_PARENT
    a = span["attributes"]
    assert a["jsonrpc.request.id"] == "req-7"
    assert a["airlock.allowed"] is False
    check = child_check(receiver, span)
    assert check["attributes"]["airlock.allowed"] is False
    assert check["attributes"]["airlock.rule"] != "allowed"


def test_stdio_wrapper_span_is_the_parent_of_the_servers_check(traced, receiver, db, db_http):
    w = ms.world(traced, db_http.url, ["*"], ALL)
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}

    async def go():
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db), env=env)) as c:
            return ms.text(await c.call_tool("read_query", {"sql": "SELECT name FROM accounts"}))

    assert "alice" in anyio.run(go)
    span = receiver.wait_for(
        lambda s: s["name"] == "tools/call read_query" and s["attributes"].get("network.transport") == "pipe"
    )
    assert span is not None, receiver.spans
    assert span["resource"]["service.name"] == "airlock"
    check = child_check(receiver, span)
    assert check["attributes"]["gen_ai.agent.id"] == w.agent
