"""The seed: "Stopping a production database wipe" runs verbatim against `airlock serve`.

`seed_example.py` is the article's Python example exactly as published (the article is
shared/reference/seed-stopping-a-production-database-wipe.txt). The only thing the test changes
is the placeholder `mcp-server-id-from-dashboard`, replaced at run time by the id of a server
registered through the SDK with the article's scope ceiling. The script runs in a subprocess
with the environment the article assumes (AGENTTRUST_URL, AGENTTRUST_API_KEY).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO_ROOT, Airlock

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE / "seed_example.py"
PLACEHOLDER = '"mcp-server-id-from-dashboard"'
SEED_CAPABILITIES = ["db.schema.read", "db.query.read", "db.migration.plan"]
# SHA-256 of seed_example.py as copied from the article: the copy must stay verbatim.
EXAMPLE_SHA256 = "cb790d999b33798302345d378b78cd6f3fc5374fdd218bde5a2e93663adb8820"
ARTICLE_NAMES = [
    REPO_ROOT.parent / "shared" / "reference" / "seed-stopping-a-production-database-wipe.txt",
    REPO_ROOT / "shared" / "reference" / "seed-stopping-a-production-database-wipe.txt",
]


def example_text() -> str:
    return EXAMPLE.read_text("utf-8")


def register_seed_server(airlock: Airlock) -> str:
    """Registers the article's MCP server with the SDK; returns its id."""
    server = airlock.client().mcp.register_server(
        name="production-db",
        url="http://127.0.0.1:9/mcp",
        capabilities=list(SEED_CAPABILITIES),
    )
    assert server.id, server
    assert sorted(server.capabilities) == sorted(SEED_CAPABILITIES)
    return server.id


def seed_script(server_id: str) -> str:
    text = example_text()
    assert text.count(PLACEHOLDER) == 1
    return text.replace(PLACEHOLDER, repr(server_id).replace("'", '"'))


def test_example_is_the_article_verbatim():
    text = example_text()
    assert hashlib.sha256(text.encode()).hexdigest() == EXAMPLE_SHA256, (
        "seed_example.py no longer matches the article's example"
    )
    for article in ARTICLE_NAMES:
        if article.exists():
            doc = article.read_text("utf-8")
            start = doc.index("from agenttrustid import AgentTrustClient")
            end = doc.index("print(drop.reason)") + len("print(drop.reason)")
            assert doc[start:end] + "\n" == text


def test_seed_example_runs_unchanged(airlock: Airlock, tmp_path: Path):
    server_id = register_seed_server(airlock)
    script = tmp_path / "seed.py"
    script.write_text(seed_script(server_id), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTTRUST_")}
    env["AGENTTRUST_URL"] = airlock.url
    env["AGENTTRUST_API_KEY"] = airlock.key
    cp = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    assert cp.returncode == 0, f"seed example failed:\nstdout: {cp.stdout}\nstderr: {cp.stderr}"
    reason = cp.stdout.strip()
    assert "scope ceiling" in reason, reason
    assert "db.drop_database" in reason, reason

    # What the example did is on record: one agent, one session with two decisions.
    client = airlock.client()
    agents = [a for a in client.agents.list() if a.name == "migration-planner"]
    assert len(agents) == 1
    assert agents[0].capabilities == SEED_CAPABILITIES


def run_seed_in_process(airlock: Airlock, monkeypatch, capsys) -> dict:
    """Runs the example in this process and returns its globals (client, agent, session...)."""
    server_id = register_seed_server(airlock)
    monkeypatch.delenv("AGENTTRUST_BASE_URL", raising=False)
    monkeypatch.delenv("AGENTTRUST_AUTH_URL", raising=False)
    monkeypatch.delenv("AGENTTRUST_AUDIT_URL", raising=False)
    monkeypatch.setenv("AGENTTRUST_URL", airlock.url)
    monkeypatch.setenv("AGENTTRUST_API_KEY", airlock.key)
    namespace: dict = {"__name__": "seed_example"}
    exec(compile(seed_script(server_id), str(EXAMPLE), "exec"), namespace)
    printed = capsys.readouterr().out
    assert "scope ceiling" in printed
    return namespace


def test_seed_session_state_after_the_example(airlock: Airlock, monkeypatch, capsys):
    ns = run_seed_in_process(airlock, monkeypatch, capsys)
    client, agent, session = ns["client"], ns["agent"], ns["session"]
    assert session.mode == "read_only"
    assert sorted(session.scope_ceiling) == sorted(SEED_CAPABILITIES)
    state = client.sessions.get_session(session.session_id)
    assert (state.total_calls, state.read_calls, state.denied_calls) == (2, 1, 1)
    log = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/decisions").json
    assert [d["action_name"] for d in log["decisions"]] == ["db.schema.read", "db.drop_database"]
    assert [d["allowed"] for d in log["decisions"]] == [True, False]
    verify = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/verify").json
    assert verify["valid"] is True and verify["entries"] == 2


@pytest.mark.issue3
def test_issue3_drop_database_behind_a_read_tool_is_denied(airlock: Airlock, monkeypatch, capsys):
    """Issue 3's acceptance: the seed session, a tool in scope named as a read, a destructive input.

    The content classifier sees `DROP DATABASE` in the input of `db.query.read`, so the declared
    `read` cannot lower the effect; the read_only session denies it.
    """
    ns = run_seed_in_process(airlock, monkeypatch, capsys)
    client, agent, session = ns["client"], ns["agent"], ns["session"]
    result = client.actions.check(
        agent_id=agent.id,
        session_id=session.session_id,
        tool_name="db.query.read",
        tool_input_summary="DROP DATABASE production",
        action_effect="read",
    )
    assert result.allowed is False, result
    log = airlock.http("GET", f"/api/v1/sessions/{session.session_id}/decisions").json["decisions"]
    assert log[-1]["action_name"] == "db.query.read"
    assert log[-1]["effect"] == "destructive", log[-1]
