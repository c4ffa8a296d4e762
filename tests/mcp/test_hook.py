"""The Claude Code hook decides Bash commands, file writes and MCP tools with the same
pipeline: allow, deny with the reason, or ask."""

from __future__ import annotations

import mcp_support as ms


def test_hook_answers_for_bash_writes_and_mcp_tools(airlock, db_http):
    w = ms.world(airlock, db_http.url, ["shell.*", "file.*", "read_query", "execute_sql"])
    cases = [
        ("Bash", {"command": "ls -la /tmp"}, "allow"),
        ("Bash", {"command": "rm -rf /var/lib/postgresql"}, "deny"),
        ("Bash", {"command": "bash -c 'psql -c \"DROP DATABASE prod\"'"}, "deny"),
        ("Write", {"file_path": "/tmp/notes.txt", "content": "hello"}, "ask"),
        ("mcp__db__read_query", {"sql": "SELECT 1"}, "allow"),
        ("mcp__db__execute_sql", {"sql": "DROP TABLE accounts"}, "deny"),
        ("mcp__db__describe_schema", {}, "deny"),  # outside the agent's capabilities
    ]
    for tool, args, expected in cases:
        out = ms.run_hook(w, ms.hook_event(tool, args, session_id="hook-session-1"))
        assert out["hookEventName"] == "PreToolUse"
        assert out["permissionDecision"] == expected, (tool, args, out)
        assert out["permissionDecisionReason"].startswith("Airlock "), out
        if expected != "allow":
            assert "approval id: apr_" in out["permissionDecisionReason"] or "scope" in out["permissionDecisionReason"].lower(), out
    # The hook's checks are in the decision log of the Claude Code session.
    r = airlock.http("GET", "/api/v1/sessions/hook-session-1/decisions")
    assert r.status == 200, r.text
    decisions = r.json.get("decisions", r.json)
    assert [d["source"] for d in decisions] == ["hook"] * len(cases)
    assert [d["action_name"] for d in decisions][:4] == ["shell.exec", "shell.exec", "shell.exec", "file.write"]


def test_capabilities_in_claude_code_tool_names(airlock, db_http):
    """An agent registered with Claude Code's own tool names: `Bash` allows the hook's Bash
    calls (checked as `shell.exec`) and nothing else; `Read` does not allow Bash."""
    w = ms.world(airlock, db_http.url, ["Bash", "Read", "mcp__db__read_query"])
    ev = lambda tool, args: ms.hook_event(tool, args, session_id="hook-names-1")  # noqa: E731
    assert ms.run_hook(w, ev("Bash", {"command": "ls"}))["permissionDecision"] == "allow"
    assert ms.run_hook(w, ev("Read", {"file_path": "/tmp/x"}))["permissionDecision"] == "allow"
    assert ms.run_hook(w, ev("mcp__db__read_query", {"sql": "SELECT 1"}))["permissionDecision"] == "allow"
    # Twins: `Bash` does not allow Write; another server's tool of the same name is outside.
    out = ms.run_hook(w, ev("Write", {"file_path": "/tmp/x", "content": "x"}))
    assert out["permissionDecision"] == "deny" and "scope ceiling" in out["permissionDecisionReason"], out
    out = ms.run_hook(w, ev("mcp__db2__read_query", {"sql": "SELECT 1"}))
    assert out["permissionDecision"] == "deny", out
    # `Read` alone does not allow Bash.
    w2 = ms.world(airlock, db_http.url, ["Read"])
    out = ms.run_hook(w2, ms.hook_event("Bash", {"command": "ls"}, session_id="hook-names-2"))
    assert out["permissionDecision"] == "deny" and "scope ceiling" in out["permissionDecisionReason"], out
    # Not through the HTTP API: a Claude Code name allows only the hook's call.
    r = w.airlock.http("POST", "/api/v1/agenttrust/check", body={
        "agent_id": w.agent, "session_id": "hook-names-3", "action_name": "shell.exec",
        "action_input": "ls", "action_source": "api"})
    assert r.status == 200 and r.json["allowed"] is False, r.text
