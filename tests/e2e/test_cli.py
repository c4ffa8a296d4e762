"""The `airlock` command line: serve's flags and bootstrap, migrate, keys, classify."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from support import Airlock, free_port, new_bootstrap_key


def run(bin_path: Path, *args: str, stdin: str = "", env: dict | None = None, timeout: float = 60):
    full_env = dict(os.environ)
    full_env.pop("AIRLOCK_BOOTSTRAP_API_KEY", None)
    full_env.pop("AIRLOCK_DATA_DIR", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [str(bin_path), *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def serve_once(bin_path: Path, data_dir: Path, *flags: str, env: dict | None = None):
    """`airlock serve` that is expected to refuse to start."""
    return run(
        bin_path, "serve", "--data-dir", str(data_dir), "--addr", f"127.0.0.1:{free_port()}",
        *flags, env=env, timeout=30,
    )


def test_migrate_is_idempotent(bin_path: Path, tmp_path: Path):
    first = run(bin_path, "migrate", "--data-dir", str(tmp_path / "d"))
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "d" / "airlock.db").exists()
    second = run(bin_path, "migrate", "--data-dir", str(tmp_path / "d"))
    assert second.returncode == 0, second.stderr
    assert "up to date" in second.stdout


@pytest.mark.parametrize(
    "flags",
    [
        ["--elevation-window-secs", "0"],
        ["--elevation-window-secs", "301"],
        ["--approval-ttl-secs", "0"],
        ["--addr", "not-an-address"],
        ["--public-url", "ftp://airlock.example.test"],
    ],
)
def test_serve_refuses_bad_flags(bin_path: Path, tmp_path: Path, flags):
    cp = serve_once(bin_path, tmp_path / "d", *flags)
    assert cp.returncode != 0
    assert cp.stderr.strip(), "a refusal says why"


def test_serve_refuses_a_malformed_bootstrap_key(bin_path: Path, tmp_path: Path):
    cp = serve_once(bin_path, tmp_path / "d", env={"AIRLOCK_BOOTSTRAP_API_KEY": "short"})
    assert cp.returncode != 0
    assert "AIRLOCK_BOOTSTRAP_API_KEY" in cp.stderr


def test_serve_announces_its_address(airlock: Airlock):
    out = (airlock.log_dir / f"serve-{airlock.starts}.out").read_text()
    assert f"airlock listening on http://127.0.0.1:{airlock.port}" in out


def test_sigterm_stops_the_server_cleanly(airlock: Airlock):
    assert airlock.http("GET", "/health").status == 200
    assert airlock.stop() == 0, airlock.logs()


def test_restart_keeps_everything(airlock: Airlock):
    client = airlock.client()
    agent = client.agents.create(name="keeper", capabilities=["files.read", "files.write"])
    server = client.mcp.register_server(name="s", url="http://127.0.0.1:9", capabilities=["files.*"])
    session = client.sessions.init_session(agent_id=agent.id, server_id=server.id)
    denied = client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.write", action_effect="mutating"
    )
    client.approvals.approve(denied.approval_id)
    token = client.tokens.issue(agent_id=agent.id, scopes=["files.read"], use_cache=False)

    airlock.restart()
    client = airlock.client()
    assert client.agents.get(agent.id).name == "keeper"
    assert [s.id for s in client.mcp.list_servers()] == [server.id]
    state = client.sessions.get_session(session.session_id)
    assert state.mode == "elevated" and state.total_calls == 1
    assert client.approvals.get(denied.approval_id).status == "approved"
    assert client.tokens.introspect(token.token).active is True
    assert client.actions.check(
        agent_id=agent.id, session_id=session.session_id, tool_name="files.write", action_effect="mutating"
    ).allowed


def test_a_new_bootstrap_key_joins_the_existing_organization(airlock_factory, tmp_path: Path):
    first = airlock_factory()
    agent = first.client().agents.create(name="before")
    data_dir = first.data_dir
    first.stop()
    second = airlock_factory(data_dir=data_dir, key=new_bootstrap_key())
    assert [a.id for a in second.client().agents.list()] == [agent.id]
    # The first key still works too.
    assert second.http("GET", "/api/v1/agents", key=first.key).status == 200


def test_keys_create_list_revoke(airlock: Airlock):
    key = airlock.new_org_key("acme")
    assert len(key) > 20
    listing = airlock.cli("keys", "list").stdout
    row = [line for line in listing.splitlines() if key[:14] in line]
    assert len(row) == 1 and "acme" in row[0] and row[0].endswith("active")
    assert airlock.http("GET", "/api/v1/agents", key=key).status == 200
    key_id = row[0].split()[0]
    airlock.cli("keys", "revoke", key_id)
    assert airlock.http("GET", "/api/v1/agents", key=key).status == 401
    again = airlock.cli("keys", "revoke", key_id, check=False)
    assert again.returncode != 0, "revoking twice is an error"


def test_keys_create_for_an_existing_org_shares_its_data(airlock: Airlock):
    a = airlock.new_org_key("team")
    b = airlock.new_org_key("team")
    assert a != b
    created = airlock.http("POST", "/api/v1/agents", key=a, body={"name": "shared"}).json
    listed = airlock.http("GET", "/api/v1/agents", key=b).json["agents"]
    assert [x["id"] for x in listed] == [created["id"]]
    assert airlock.http("GET", "/api/v1/agents").json["agents"] == [], "the default org sees nothing of team"


def test_classify_answers_one_line_per_line(bin_path: Path):
    lines = [
        {"tool": "db.drop_database", "input": "DROP DATABASE production"},
        "not json",
        {"tool": "files.read", "input": "path=/a", "effect": "read"},
        {"input": "no tool"},
        {"tool": "files.read", "input": "x", "effect": "write"},
        {"tool": "files.read", "input": "x", "effect": "destructive"},
        {"tool": "removeMember", "input": {"user": "bob"}},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n"
    cp = run(bin_path, "classify", stdin=stdin)
    assert cp.returncode == 0, cp.stderr
    out = [json.loads(line) for line in cp.stdout.splitlines()]
    assert len(out) == len(lines), cp.stdout
    assert out[0]["effect"] == "destructive" and out[0]["reasons"]
    assert "error" in out[1]
    assert out[2]["effect"] == "read"
    assert "error" in out[3]
    assert "error" in out[4], "unknown effect hint"
    assert out[5]["effect"] == "destructive", "the hint raises the effect"
    assert out[6]["effect"] == "destructive"
    for o in out:
        assert set(o) in ({"effect", "reasons"}, {"error"}), o
