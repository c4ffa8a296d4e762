"""Support of the MCP suite: real MCP servers, MCP clients (the official Python SDK) and the
four entry points that must agree (HTTP gateway, `airlock mcp wrap`, the Claude Code hook and
`/api/v1/agenttrust/check`).

The servers:
- `db_server.py` (this folder): SQLite over MCP, tools `describe_schema`, `read_query`,
  `execute_sql`; over stdio or streamable HTTP.
- `@modelcontextprotocol/server-filesystem` and `@modelcontextprotocol/server-memory`, pinned
  in package.json and installed into node_modules with `npm ci`.
"""

from __future__ import annotations

import json
import os
import select
import sqlite3
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

import httpx2  # noqa: E402  (the MCP SDK's HTTP client)
from mcp.client.client import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402

from support import Airlock, airlock_bin, free_port, http  # noqa: E402,F401

DB_SERVER = HERE / "db_server.py"
NODE_BIN = HERE / "node_modules" / ".bin"
PYTHON = os.path.abspath(sys.executable)

ACCOUNTS = [(1, "alice", 100), (2, "bob", 250), (3, "carol", 75)]


def make_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance INTEGER);"
    )
    conn.executemany("INSERT INTO accounts VALUES (?, ?, ?)", ACCOUNTS)
    conn.commit()
    conn.close()
    return path


def accounts(path: Path) -> list:
    """The rows, read straight from the SQLite file (not through any MCP server)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, name, balance FROM accounts ORDER BY id").fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# The database server over streamable HTTP.


@dataclass
class HttpDbServer:
    db: Path
    log_dir: Path
    json_response: bool = False
    suffix: str = ""
    elicitation: bool = False
    port: int = 0
    proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def start(self) -> "HttpDbServer":
        if not self.port:
            self.port = free_port()
        cmd = [PYTHON, str(DB_SERVER), "--db", str(self.db), "--http", str(self.port)]
        if self.json_response:
            cmd.append("--json-response")
        if self.suffix:
            cmd += ["--suffix", self.suffix]
        if self.elicitation:
            cmd.append("--elicitation")
        log = open(self.log_dir / f"db-{self.port}.log", "ab")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"db server exited: {self.logs()}")
            try:
                r = http("POST", self.url, raw=b"{}", headers={"Accept": "application/json, text/event-stream"}, timeout=2)
                if r.status:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"db server did not start: {self.logs()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def restart(self, suffix: str) -> "HttpDbServer":
        self.stop()
        self.suffix = suffix
        return self.start()

    def logs(self) -> str:
        p = self.log_dir / f"db-{self.port}.log"
        return p.read_text("utf-8", "replace")[-3000:] if p.exists() else ""


# ---------------------------------------------------------------------------------------------
# Airlock objects.


@dataclass
class World:
    """An Airlock with one agent and one registered server."""

    airlock: Airlock
    agent: str
    server: str
    env: dict = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"{self.airlock.url}/mcp/{self.server}"


def create_agent(airlock: Airlock, capabilities: list) -> str:
    r = airlock.http("POST", "/api/v1/agents", body={"name": "mcp-test-agent", "capabilities": capabilities})
    assert r.status in (200, 201), r.text
    return r.json["id"]


def register_server(airlock: Airlock, url: str, capabilities: Optional[list] = None, name: str = "db") -> str:
    body: dict = {"name": name, "url": url}
    if capabilities is not None:
        body["capabilities"] = capabilities
    r = airlock.http("POST", "/mcp/servers", body=body)
    assert r.status in (200, 201), r.text
    return r.json["id"]


def world(airlock: Airlock, url: str, agent_caps: list, server_caps: Optional[list] = None) -> World:
    agent = create_agent(airlock, agent_caps)
    server = register_server(airlock, url, server_caps)
    env = {"AGENTTRUST_URL": airlock.url, "AGENTTRUST_API_KEY": airlock.key}
    return World(airlock, agent, server, env)


def init_session(w: World) -> str:
    r = w.airlock.http("POST", "/mcp/sessions/init", body={"agent_id": w.agent, "server_id": w.server})
    assert r.status in (200, 201), r.text
    return r.json["session_id"]


# ---------------------------------------------------------------------------------------------
# MCP clients (official Python SDK, `mcp` 2.x, initialize handshake unless told otherwise).


@asynccontextmanager
async def http_client(url: str, headers: Optional[dict] = None, mode: str = "legacy") -> AsyncIterator[Client]:
    h = httpx2.AsyncClient(headers=headers or {}, timeout=30)
    async with h:
        async with Client(streamable_http_client(url, http_client=h), mode=mode) as c:
            yield c


def gateway(w: World, session: Optional[str] = None, mode: str = "legacy"):
    headers = {"X-API-Key": w.airlock.key, "X-Agent-ID": w.agent}
    if session:
        headers["X-Session-ID"] = session
    return http_client(w.gateway_url, headers, mode)


def stdio_params(command: str, args: list, env: Optional[dict] = None) -> StdioServerParameters:
    return StdioServerParameters(command=command, args=args, env=env or {})


def direct_params(server_cmd: list) -> StdioServerParameters:
    """The same server without Airlock."""
    return stdio_params(server_cmd[0], server_cmd[1:])


def db_stdio_args(db: Path, suffix: str = "", elicitation: bool = False) -> list:
    args = [PYTHON, str(DB_SERVER), "--db", str(db)]
    if suffix:
        args += ["--suffix", suffix]
    if elicitation:
        args.append("--elicitation")
    return args


def wrap_params(w: World, server_cmd: list, session: Optional[str] = None, env: Optional[dict] = None) -> StdioServerParameters:
    args = ["mcp", "wrap", "--agent", w.agent, "--server", w.server]
    if session:
        args += ["--session", session]
    args += ["--", *server_cmd]
    return stdio_params(str(airlock_bin()), args, {**w.env, **(env or {})})


@asynccontextmanager
async def stdio_client(params: StdioServerParameters, mode: str = "legacy") -> AsyncIterator[Client]:
    async with Client(params, mode=mode) as c:
        yield c


def text(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def dump(result: Any) -> dict:
    """A CallToolResult as comparable JSON (content, structured content, error flag)."""
    return {
        "content": [c.model_dump(exclude_none=True) for c in result.content],
        "structured": result.structured_content,
        "is_error": result.is_error,
    }


# ---------------------------------------------------------------------------------------------
# The hook and the check route.


def run_hook(w: World, event: dict, env: Optional[dict] = None, args: Optional[list] = None) -> dict:
    cmd = [str(airlock_bin()), "hook", "claude-code", "--agent", w.agent, *(args or [])]
    full_env = {**os.environ, **w.env, **(env or {})}
    cp = subprocess.run(cmd, input=json.dumps(event), capture_output=True, text=True, timeout=60, env=full_env)
    assert cp.returncode == 0, f"hook exited {cp.returncode}: {cp.stderr}"
    out = json.loads(cp.stdout)
    return out["hookSpecificOutput"]


def hook_event(tool_name: str, tool_input: dict, session_id: str = "claude-session-1") -> dict:
    return {
        "session_id": session_id,
        "transcript_path": "/tmp/transcript.jsonl",
        "cwd": "/tmp",
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool_name,
        "tool_input": tool_input,
        "tool_use_id": "toolu_01",
    }


def check(w: World, session: str, action: str, args: Any, effect: Optional[str] = None) -> dict:
    body = {
        "agent_id": w.agent,
        "session_id": session,
        "action_name": action,
        "action_input": args,
        "action_source": "mcp",
    }
    if effect:
        body["action_effect"] = effect
    r = w.airlock.http("POST", "/api/v1/agenttrust/check", body=body)
    assert r.status == 200, r.text
    return r.json


def airlock_meta(result: Any) -> dict:
    meta = result.meta or {}
    return meta.get("airlock", {})


# ---------------------------------------------------------------------------------------------
# Raw JSON-RPC through the gateway and the wrapper (messages an SDK would not send).


def post(w: World, msg, headers: dict | None = None, session: str | None = None):
    h = {"X-Agent-ID": w.agent, **(headers or {})}
    if session:
        h["X-Session-ID"] = session
    return http("POST", w.gateway_url, key=w.airlock.key, body=msg, headers=h)


def decisions(w: World, session: str) -> list:
    r = w.airlock.http("GET", f"/api/v1/sessions/{session}/decisions?limit=500")
    assert r.status == 200, r.text
    return r.json["decisions"]


def request(i: int, method: str, params: dict) -> dict:
    return {"jsonrpc": "2.0", "id": i, "method": method, "params": params}


def verdict(answer: dict) -> str:
    """`deny` when Airlock answered (its error or denial carries `airlock` data), else `allow`."""
    err = answer.get("error") or {}
    if "airlock" in (err.get("data") or {}):
        return "deny"
    if (answer.get("result") or {}).get("isError") and "airlock" in (answer["result"].get("_meta") or {}):
        return "deny"
    return "allow"


def wrap_process(w: World, cmd: list, session: str) -> subprocess.Popen:
    args = [str(airlock_bin()), "mcp", "wrap", "--agent", w.agent, "--server", w.server,
            "--session", session, "--", *cmd]
    return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **w.env}, text=True, bufsize=1)


def exchange(proc: subprocess.Popen, msg: dict, timeout: float = 20.0) -> dict:
    """Sends one request and reads lines until its response."""
    proc.stdin.write(json.dumps(msg) + "\n")
    proc.stdin.flush()
    while True:
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        assert ready, f"no answer to {msg}"
        line = proc.stdout.readline()
        assert line, f"the wrapper closed its output: {proc.stderr.read()}"
        answer = json.loads(line)
        if answer.get("id") == msg["id"] and "method" not in answer:
            return answer


