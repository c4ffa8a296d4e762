"""Parity: the same call gets the same verdict through the HTTP gateway, `airlock mcp wrap`,
the Claude Code hook and `POST /api/v1/agenttrust/check`.

Each path runs the same sequence of calls in a fresh session bound to the same server, so the
session's history (and the behavioural rules that read it) is the same at every step."""

from __future__ import annotations

import anyio

import mcp_support as ms

ALL = ["describe_schema", "read_query", "execute_sql"]

# (tool, arguments, expected: allow | deny)
TABLE = [
    ("read_query", {"sql": "SELECT name FROM accounts"}, "allow"),
    ("describe_schema", {}, "allow"),
    ("execute_sql", {"sql": "SELECT count(*) FROM accounts"}, "allow"),
    ("execute_sql", {"sql": "DROP TABLE accounts"}, "deny"),
    ("execute_sql", {"sql": "DELETE FROM accounts"}, "deny"),
    ("execute_sql", {"sql": "UPDATE accounts SET balance = 0"}, "deny"),
    ("execute_sql", {"sql": "WITH x AS (DELETE FROM accounts RETURNING *) SELECT * FROM x"}, "deny"),
    ("read_query", {"sql": "SELECT 1", "note": {"nested": "DROP TABLE accounts"}}, "deny"),
    ("execute_sql", {"sql": "select 1 /* DROP TABLE accounts */"}, "allow"),
]


def verdict_of_result(result) -> tuple:
    meta = ms.airlock_meta(result)
    if not result.is_error:
        return ("allow",)
    return ("deny", meta.get("elevation_required"), meta.get("effect"))


def test_same_verdict_on_every_path(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ALL)

    # /api/v1/agenttrust/check
    s_check = ms.init_session(w)
    via_check = []
    for tool, args, _ in TABLE:
        v = ms.check(w, s_check, tool, args)
        via_check.append(("allow",) if v["allowed"] else ("deny", v["elevation_required"], v["effect"]))

    # HTTP gateway and stdio wrapper, each in its own new session.
    s_http, s_stdio = ms.init_session(w), ms.init_session(w)

    async def go():
        out_http, out_stdio = [], []
        async with ms.gateway(w, session=s_http) as c:
            for tool, args, _ in TABLE:
                out_http.append(verdict_of_result(await c.call_tool(tool, args)))
        async with ms.stdio_client(ms.wrap_params(w, ms.db_stdio_args(db), session=s_stdio)) as c:
            for tool, args, _ in TABLE:
                out_stdio.append(verdict_of_result(await c.call_tool(tool, args)))
        return out_http, out_stdio

    via_http, via_stdio = anyio.run(go)

    # The hook, as Claude Code calls it for the same MCP tools (mcp__<server>__<tool>), with
    # --server so that its session is bound to the same server.
    via_hook = []
    for tool, args, _ in TABLE:
        out = ms.run_hook(
            w,
            ms.hook_event(f"mcp__db__{tool}", args, session_id="parity-claude-session"),
            args=["--server", w.server],
            env={"AIRLOCK_HOOK_STATE_DIR": str(db.parent / "hook-state")},
        )
        via_hook.append(out["permissionDecision"])

    expected = [e for _, _, e in TABLE]
    assert [v[0] for v in via_check] == expected, via_check
    assert via_http == via_check
    assert via_stdio == via_check
    hook_expected = [
        "allow" if v[0] == "allow" else ("ask" if v[1] and v[2] == "mutating" else "deny")
        for v in via_check
    ]
    assert via_hook == hook_expected
    assert ms.accounts(db) == ms.ACCOUNTS


# Messages other than tools/call in a read_only session: (method, params, action, input as
# checked, declared effect, expected verdict).
SECRET_META = {"note": "for the report"}  # a `_meta` payload must not hide the URI
MESSAGES = [
    ("resources/read", {"uri": "file:///tmp/notes.txt"}, "resources.read", "file:///tmp/notes.txt", None, "allow"),
    ("resources/read", {"uri": "file:///srv/project/README.md"}, "resources.read",
     "file:///srv/project/README.md", None, "allow"),
    ("resources/read", {"uri": "file:///etc/shadow"}, "resources.read", "file:///etc/shadow", None, "deny"),
    ("resources/read", {"uri": "~/.ssh/id_rsa"}, "resources.read", "~/.ssh/id_rsa", None, "deny"),
    ("resources/read", {"uri": "file:///etc/shadow", "_meta": SECRET_META}, "resources.read",
     {"uri": "file:///etc/shadow", "_meta": SECRET_META}, None, "deny"),
    ("resources/subscribe", {"uri": "file:///root/.ssh/id_rsa"}, "resources.read", "file:///root/.ssh/id_rsa", None, "deny"),
    ("prompts/get", {"name": "report", "arguments": {"q": "DROP TABLE accounts"}}, "prompts.get",
     {"name": "report", "arguments": {"q": "DROP TABLE accounts"}}, None, "deny"),
    ("prompts/get", {"name": "report", "arguments": {"q": "summary"}}, "prompts.get",
     {"name": "report", "arguments": {"q": "summary"}}, None, None),
    ("completion/complete", {"ref": {"type": "ref/prompt", "name": "report"}, "argument": {"name": "q", "value": "rm -rf /"}},
     "completion.complete", {"ref": {"type": "ref/prompt", "name": "report"}, "argument": {"name": "q", "value": "rm -rf /"}},
     None, "deny"),
    ("logging/setLevel", {"level": "debug"}, "logging.set_level", {"level": "debug"}, "mutating", "deny"),
]
# Refused on every MCP path, whatever the session allows.
REFUSED = ["TOOLS/CALL", "tools/call ", "admin/exec", "sampling/createMessage"]


def test_same_verdict_for_every_message_on_every_path(airlock, db, db_http):
    w = ms.world(airlock, db_http.url, ["*"], ["*"])
    s_check, s_http, s_stdio = ms.init_session(w), ms.init_session(w), ms.init_session(w)
    full = [ms.check(w, s_check, action, checked, declared) for _, _, action, checked, declared, _ in MESSAGES]
    via_check = ["allow" if v["allowed"] else "deny" for v in full]
    via_http = [
        ms.verdict(ms.post(w, ms.request(i, method, params), session=s_http).json)
        for i, (method, params, *_) in enumerate(MESSAGES)
    ]
    proc = ms.wrap_process(w, ms.db_stdio_args(db), s_stdio)
    try:
        ms.exchange(proc, ms.request(1000, "initialize", {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}))
        proc.stdin.write('{"jsonrpc": "2.0", "method": "notifications/initialized"}\n')
        via_stdio = [
            ms.verdict(ms.exchange(proc, ms.request(i, method, params)))
            for i, (method, params, *_) in enumerate(MESSAGES)
        ]
        refused_stdio = [ms.exchange(proc, ms.request(100 + i, m, {"name": "execute_sql"})) for i, m in enumerate(REFUSED)]
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
    refused_http = [ms.post(w, ms.request(100 + i, m, {"name": "execute_sql"}), session=s_http).json for i, m in enumerate(REFUSED)]
    # The hook sees MCP resource reads as Claude Code's ReadMcpResourceTool.
    via_hook = [
        ms.run_hook(
            w,
            ms.hook_event("ReadMcpResourceTool", {"server": "db", "uri": params["uri"]}, session_id="parity-resources"),
            args=["--server", w.server],
            env={"AIRLOCK_HOOK_STATE_DIR": str(db.parent / "hook-state")},
        )["permissionDecision"]
        for method, params, *_ in MESSAGES
        if method == "resources/read" and "_meta" not in params
    ]

    assert via_http == via_check, (via_http, via_check)
    assert via_stdio == via_check, (via_stdio, via_check)
    hook_expected = [
        "allow" if v["allowed"] else ("ask" if v["elevation_required"] and v["effect"] == "mutating" else "deny")
        for v, (m, params, *_) in zip(full, MESSAGES)
        if m == "resources/read" and "_meta" not in params
    ]
    assert via_hook == hook_expected, (via_hook, full)
    # Secrets' resources, dangerous arguments and the log level (read_only) are denied on every
    # path; reading an ordinary file is allowed.
    expected = [e or v for e, v in zip((m[-1] for m in MESSAGES), via_check)]
    assert via_check == expected, (via_check, full)
    assert via_hook == ["allow", "allow", "deny", "deny"], via_hook
    for answer in refused_http + refused_stdio:
        assert ms.verdict(answer) == "deny" and "result" not in answer, answer
    # Every decision is in the session's log, with the same actions on both MCP paths.
    expected = [a for _, _, a, *_ in MESSAGES] + ["mcp.refused"] * len(REFUSED)
    assert [d["action_name"] for d in ms.decisions(w, s_http)] == expected
    assert [d["action_name"] for d in ms.decisions(w, s_stdio)] == expected
    assert ms.accounts(db) == ms.ACCOUNTS
