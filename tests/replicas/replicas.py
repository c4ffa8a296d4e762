"""Support of the replica and crash suite: fresh PostgreSQL databases, airlock replicas on one
database, a load client that records every decision it was answered, and the checks that the
store kept all of them.

The servers are the end-to-end suite's `Airlock` processes (tests/e2e/support.py) started with
`--database URL`; the databases are made with `psql` from `AIRLOCK_TEST_DATABASE_URL`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from support import Airlock, http, unique  # noqa: E402

PG_ENV = "AIRLOCK_TEST_DATABASE_URL"


def pg_base_url() -> Optional[str]:
    url = os.environ.get(PG_ENV, "").strip()
    return url or None


def psql(url: str, sql: str) -> str:
    cp = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    if cp.returncode != 0:
        raise AssertionError(f"psql {sql!r} failed: {cp.stderr}")
    return cp.stdout.strip()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def create_database(base: str) -> tuple[str, str]:
    """A new empty database next to the one `base` names; returns (name, url)."""
    name = "airlock_r_" + secrets.token_hex(6)
    psql(base, f"CREATE DATABASE {name}")
    return name, with_database(base, name)


def drop_database(base: str, name: str) -> None:
    try:
        psql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except AssertionError:
        pass


def airlock_cmd(bin_path: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    cp = subprocess.run(
        [str(bin_path), *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    if check and cp.returncode != 0:
        raise AssertionError(f"`airlock {' '.join(args)}` exited {cp.returncode}\n{cp.stdout}\n{cp.stderr}")
    return cp


# ---------------------------------------------------------------------------------------------
# Checks and what the store must hold afterwards.


def check(server: Airlock, agent_id: str, session_id: str, action: str, effect: str, summary: str = "SELECT 1", timeout: float = 30.0):
    body = {
        "agent_id": agent_id,
        "session_id": session_id,
        "action_name": action,
        "action_input_summary": summary,
        "action_effect": effect,
    }
    return http("POST", server.url + "/api/v1/agenttrust/check", key=server.key, body=body, timeout=timeout)


def new_agent(server: Airlock, caps=("db.*",)) -> str:
    r = server.http("POST", "/api/v1/agents", body={"name": unique("agent"), "capabilities": list(caps)})
    assert r.status == 201, r.text
    return r.json["id"]


@dataclass
class Answered:
    """Decisions the load clients were answered (HTTP 200), per session."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    by_session: dict = field(default_factory=dict)
    errors: int = 0

    def add(self, session_id: str, check_id: str) -> None:
        with self.lock:
            self.by_session.setdefault(session_id, []).append(check_id)

    def count(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.by_session.values())


def log_of(server: Airlock, session_id: str) -> dict:
    r = server.http("GET", f"/api/v1/sessions/{session_id}/decisions?limit=10000")
    assert r.status == 200, r.text
    return r.json


def assert_session_intact(server: Airlock, session_id: str, answered: list, exact: Optional[int] = None) -> dict:
    """Every answered decision is in the log, the chain verifies, counters equal entries."""
    v = server.http("GET", f"/api/v1/sessions/{session_id}/verify")
    assert v.status == 200, v.text
    verdict = v.json
    assert verdict["valid"] is True, f"chain of {session_id} does not verify: {verdict}"
    assert verdict["entries"] == verdict["calls"], verdict
    log = log_of(server, session_id)
    decisions = log["decisions"]
    assert len(decisions) == verdict["entries"], (len(decisions), verdict)
    assert [d["seq"] for d in decisions] == list(range(1, len(decisions) + 1)), "sequence has gaps"
    s = server.http("GET", f"/api/v1/sessions/{session_id}").json
    assert s["total_calls"] == len(decisions), (s, len(decisions))
    assert s["denied_calls"] == sum(1 for d in decisions if not d["allowed"]), s
    assert s["head"] == (decisions[-1]["hash"] if decisions else s["head"])
    logged = {d["check_id"] for d in decisions}
    missing = [c for c in answered if c not in logged]
    assert not missing, f"{len(missing)} answered decisions of {session_id} are not in the log: {missing[:5]}"
    if exact is not None:
        assert len(decisions) == exact, (len(decisions), exact)
    return verdict


# ---------------------------------------------------------------------------------------------
# Load.


class Load:
    """Clients that send checks until stopped, round-robin over `servers` and `sessions`,
    recording the check id of every 200 answer. Connection errors (a killed server) and 5xx
    answers are counted, not recorded: the client was told nothing."""

    def __init__(self, servers: list, agent_id: str, sessions: list, clients: int = 8):
        self.servers = servers
        self.agent_id = agent_id
        self.sessions = sessions
        self.clients = clients
        self.answered = Answered()
        self._stop = threading.Event()
        self._threads: list = []

    def _client(self, n: int) -> None:
        i = n
        while not self._stop.is_set():
            server = self.servers[i % len(self.servers)]
            session = self.sessions[(i // len(self.servers)) % len(self.sessions)]
            write = i % 5 == 0
            i += self.clients
            try:
                r = check(
                    server,
                    self.agent_id,
                    session,
                    "db.update" if write else "db.query",
                    "mutating" if write else "read",
                    "UPDATE t SET a = 1 WHERE id = 7" if write else "SELECT 1",
                    timeout=10,
                )
            except OSError:
                with self.answered.lock:
                    self.answered.errors += 1
                time.sleep(0.01)
                continue
            if r.status == 200:
                self.answered.add(session, r.json["check_id"])
            else:
                with self.answered.lock:
                    self.answered.errors += 1
                time.sleep(0.01)

    def start(self) -> "Load":
        for n in range(self.clients):
            t = threading.Thread(target=self._client, args=(n,), daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> Answered:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        return self.answered

    def wait_for(self, answers: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.answered.count() < answers:
            assert time.monotonic() < deadline, f"only {self.answered.count()} answers in {timeout}s"
            time.sleep(0.02)


def run_concurrently(n: int, workers: int, fn) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, range(n)))
