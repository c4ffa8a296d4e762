"""Every MCP message is checked or refused, and recorded — on the HTTP gateway, behind
`airlock mcp wrap` and in the Claude Code hook.

A lenient upstream that runs whatever reaches it (and records it) proves that refused
messages never reach a server; the real filesystem server proves that no write happened; the
session's decision log proves that each decision was recorded."""

from __future__ import annotations

import http.server
import json
import threading
from contextlib import contextmanager

import mcp_support as ms

# Spellings of tools/call that are not tools/call, and a custom method.
VARIANTS = [
    "TOOLS/CALL",
    "Tools/Call",
    "tools/call ",
    "tools/call/",
    "tools/call\u200b",
    "tools/call\u0000",
    "admin/exec",
]


@contextmanager
def lenient_upstream():
    """An MCP server over HTTP that answers every request with a result: a server that would
    run `delete_file` under any spelling. Yields (url, seen) where `seen` lists (method,
    headers) of every message that reached it."""
    seen: list = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            headers = {k.lower(): v for k, v in self.headers.items()}
            msg = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            for m in msg if isinstance(msg, list) else [msg]:
                seen.append((m.get("method"), headers))
            if isinstance(msg, list) or "id" not in msg:
                self.send_response(202)
                self.end_headers()
                return
            if msg.get("method") == "initialize":
                result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                          "serverInfo": {"name": "lenient", "version": "1"}}
            else:
                result = {"content": [{"type": "text", "text": "done"}], "isError": False}
            body = json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/mcp", seen
    finally:
        srv.shutdown()


def test_gateway_refuses_method_variants_and_records_them(airlock):
    with lenient_upstream() as (url, seen):
        w = ms.world(airlock, url, ["*"], ["*"])
        session = ms.init_session(w)
        delete = {"name": "delete_file", "arguments": {"path": "/srv/app"}}
        for i, method in enumerate(VARIANTS):
            r = ms.post(w, ms.request(i, method, delete), session=session)
            assert r.status == 200, (method, r.text)
            assert r.json["id"] == i and "result" not in r.json, (method, r.json)
            assert r.json["error"]["code"] == -32601
            assert r.json["error"]["data"]["airlock"]["check_id"]
            assert r.json["error"]["data"]["airlock"]["rule"] == "refused", r.json
        # Client-to-server sampling and elicitation, and a custom notification.
        for i, method in enumerate(["sampling/createMessage", "elicitation/create"], start=50):
            r = ms.post(w, ms.request(i, method, {"messages": []}), session=session)
            assert r.json["error"]["code"] == -32600, r.json
        r = ms.post(w, {"jsonrpc": "2.0", "method": "notifications/admin/exec"}, session=session)
        assert r.status == 400, r.text
        # A response to a request the server never sent.
        r = ms.post(w, {"jsonrpc": "2.0", "id": 77, "result": {"content": []}}, session=session)
        assert r.status == 400 and r.json["error"]["code"] == -32600, r.text
        methods_seen = [m for m, _ in seen]
        assert not set(VARIANTS) & set(methods_seen), methods_seen
        assert not {"sampling/createMessage", "elicitation/create", "notifications/admin/exec", None} & set(methods_seen)
        log = ms.decisions(w, session)
        refused = [d for d in log if d["action_name"] == "mcp.refused"]
        assert len(refused) == len(VARIANTS) + 4, log
        assert not any(d["allowed"] for d in refused)
        # Decided by the pipeline as a refusal (rule `refused`): its reason, and no approval.
        assert refused[0]["reason"].startswith(
            'refused by the MCP gateway: "TOOLS/CALL" is not an MCP method'), refused[0]
        assert all(d["reason"].startswith("refused by the MCP gateway: ") for d in refused), refused
        assert all(d["approval_id"] is None for d in refused), refused
        assert all(d["guard_tier"] == "fast" for d in refused), refused
        pending = w.airlock.http("GET", "/mcp/approvals?status=pending")
        assert pending.status == 200 and pending.json["approvals"] == [], pending.text
        by_check = {d["check_id"]: d for d in log}
        r = ms.post(w, ms.request(99, "TOOLS/CALL", delete), session=session)
        by_check_after = {d["check_id"]: d for d in ms.decisions(w, session)}
        entry = by_check_after[r.json["error"]["data"]["airlock"]["check_id"]]
        assert entry["check_id"] not in by_check and entry["action_name"] == "mcp.refused", entry
        assert entry["allowed"] is False and entry["approval_id"] is None, entry


def test_gateway_checks_non_tool_methods_as_their_actions(airlock):
    with lenient_upstream() as (url, seen):
        w = ms.world(airlock, url, ["*"], ["*"])
        session = ms.init_session(w)
        # logging/setLevel is mutating: a read_only session cannot change the server's log level.
        r = ms.post(w, ms.request(1, "logging/setLevel", {"level": "debug"}), session=session)
        assert r.json["error"]["code"] == -32003, r.json
        assert r.json["error"]["data"]["airlock"]["effect"] == "mutating"
        assert "logging/setLevel" not in [m for m, _ in seen]
        answers = {}
        for i, (method, params) in enumerate([
            ("resources/read", {"uri": "file:///etc/shadow"}),
            ("resources/subscribe", {"uri": "file:///tmp/notes.txt"}),
            ("prompts/get", {"name": "summary", "arguments": {"q": "DROP TABLE accounts"}}),
            ("completion/complete", {"ref": {"type": "ref/prompt", "name": "summary"},
                                     "argument": {"name": "q", "value": "rm -rf /srv"}}),
        ], start=2):
            answers[method] = ms.post(w, ms.request(i, method, params), session=session).json
        actions = [d["action_name"] for d in ms.decisions(w, session)]
        assert actions == ["logging.set_level", "resources.read", "resources.read", "prompts.get", "completion.complete"], actions
        # What the gateway did is what the service decided, and a denial never went upstream.
        for d, method in zip(ms.decisions(w, session)[1:], answers):
            assert ms.verdict(answers[method]) == ("allow" if d["allowed"] else "deny"), (method, d)
            assert (method in [m for m, _ in seen]) == d["allowed"], (method, d)
        assert ms.verdict(answers["prompts/get"]) == "deny"  # DROP TABLE in its arguments
        assert ms.verdict(answers["completion/complete"]) == "deny"  # rm -rf in its argument


def test_gateway_refuses_routing_headers_that_disagree_and_rebuilds_them(airlock):
    with lenient_upstream() as (url, seen):
        w = ms.world(airlock, url, ["*"], ["*"])
        session = ms.init_session(w)
        call = ms.request(1, "tools/call", {"name": "read_notes", "arguments": {}})
        r = ms.post(w, call, {"Mcp-Method": "tools/list"}, session=session)
        assert r.status == 400 and r.json["error"]["code"] == -32600, r.text
        r = ms.post(w, call, {"Mcp-Method": "tools/call", "Mcp-Name": "delete_file"}, session=session)
        assert r.status == 400, r.text
        assert [m for m, _ in seen if m == "tools/call"] == []
        r = ms.post(w, call, {"Mcp-Method": "tools/call", "Mcp-Name": "read_notes"}, session=session)
        assert r.status == 200 and ms.verdict(r.json) == "allow", r.text
        # Headers upstream come from the checked body.
        (_, headers), = [(m, h) for m, h in seen if m == "tools/call"]
        assert headers["mcp-method"] == "tools/call" and headers["mcp-name"] == "read_notes"
        log = ms.decisions(w, session)
        assert [d["action_name"] for d in log] == ["mcp.refused", "mcp.refused", "read_notes"], log


def test_wrapper_refuses_variants_and_checks_resources_on_the_filesystem_server(airlock, npm_servers, tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    (root / "notes.txt").write_text("notes\n")
    w = ms.world(airlock, "stdio:mcp-server-filesystem", ["*"], ["*"])
    session = ms.init_session(w)
    proc = ms.wrap_process(w, [str(npm_servers / "mcp-server-filesystem"), str(root)], session)
    try:
        init = ms.exchange(proc, ms.request(0, "initialize", {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"}}))
        assert "result" in init, init
        proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
        write = {"name": "write_file", "arguments": {"path": str(root / "evil.txt"), "content": "x"}}
        for i, method in enumerate(VARIANTS, start=1):
            r = ms.exchange(proc, ms.request(i, method, write))
            assert r["error"]["code"] == -32601 and "airlock" in r["error"]["data"], (method, r)
        r = ms.exchange(proc, ms.request(20, "sampling/createMessage", {"messages": []}))
        assert r["error"]["code"] == -32600, r
        r = ms.exchange(proc, ms.request(21, "resources/read", {"uri": f"file://{root / 'notes.txt'}"}))
        r2 = ms.exchange(proc, ms.request(22, "logging/setLevel", {"level": "debug"}))
        assert r2["error"]["code"] == -32003, r2
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
    assert not (root / "evil.txt").exists()
    log = ms.decisions(w, session)
    actions = [d["action_name"] for d in log]
    assert actions == ["mcp.refused"] * (len(VARIANTS) + 1) + ["resources.read", "logging.set_level"], actions
    assert ms.verdict(r) == ("allow" if log[-2]["allowed"] else "deny")
    assert not any(d["allowed"] for d in log if d["action_name"] != "resources.read")
    refused = [d for d in log if d["action_name"] == "mcp.refused"]
    assert all(d["reason"].startswith("refused by the MCP gateway: ") and d["approval_id"] is None
               for d in refused), refused


def test_hook_checks_mcp_resource_reads_as_resources_read(airlock, db, tmp_path):
    w = ms.world(airlock, "stdio:mcp-server-filesystem", ["*"], ["*"])
    out = ms.run_hook(
        w,
        ms.hook_event("ReadMcpResourceTool", {"server": "fs", "uri": "file:///etc/shadow"}, session_id="hook-res"),
        args=["--server", w.server],
        env={"AIRLOCK_HOOK_STATE_DIR": str(tmp_path / "hook-state")},
    )
    assert "resources.read" in out["permissionDecisionReason"], out
    # The same URI through the check route gets the same answer.
    s = ms.init_session(w)
    v = ms.check(w, s, "resources.read", "file:///etc/shadow")
    expected = "allow" if v["allowed"] else ("ask" if v["elevation_required"] and v["effect"] == "mutating" else "deny")
    assert out["permissionDecision"] == expected, (out, v)


def test_answers_to_the_servers_own_requests_pass_on_both_paths(airlock, db, tmp_path):
    """Elicitation: the server asks the client during a tool call; the client's answer is a
    response to a request the server sent through Airlock, so it passes (gateway and wrapper)."""
    import anyio
    from mcp import types

    asked: list = []

    async def elicit(context, params):
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"confirmed": True})

    server = ms.HttpDbServer(db=db, log_dir=tmp_path, elicitation=True).start()
    w = ms.world(airlock, server.url, ["*"], ["*"])

    async def go():
        out = []
        headers = {"X-API-Key": w.airlock.key, "X-Agent-ID": w.agent}
        h = ms.httpx2.AsyncClient(headers=headers, timeout=30)
        async with h:
            transport = ms.streamable_http_client(w.gateway_url, http_client=h)
            async with ms.Client(transport, mode="legacy", elicitation_callback=elicit, read_timeout_seconds=30) as c:
                out.append(await c.call_tool("get_confirmation", {"question": "over http?"}))
        params = ms.wrap_params(w, ms.db_stdio_args(db, elicitation=True))
        async with ms.Client(params, mode="legacy", elicitation_callback=elicit, read_timeout_seconds=30) as c:
            out.append(await c.call_tool("get_confirmation", {"question": "over stdio?"}))
        return out

    try:
        results = anyio.run(go)
    finally:
        server.stop()
    assert asked == ["over http?", "over stdio?"]
    for r in results:
        assert not r.is_error, ms.text(r)
        assert json.loads(ms.text(r)) == {"action": "accept", "confirmed": True}
