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
