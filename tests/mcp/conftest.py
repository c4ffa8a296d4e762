"""Fixtures of the MCP suite (see mcp_support.py).

- `airlock`: a fresh `airlock serve` (free port, new data dir, bootstrap key).
- `db`: a new SQLite file with three accounts.
- `db_http`: the database MCP server over streamable HTTP on that file (SSE answers).
- `npm_servers`: the path of the pinned npm MCP servers (skips nothing: fails if missing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import mcp_support as ms
from support import new_bootstrap_key


@pytest.fixture(scope="session")
def bin_path() -> Path:
    path = ms.airlock_bin()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"airlock binary not found at {path}: run `cargo build` or set AIRLOCK_BIN", pytrace=False)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def airlock(bin_path, tmp_path_factory, request):
    base = tmp_path_factory.mktemp("airlock")
    server = ms.Airlock(url="", key=new_bootstrap_key(), data_dir=base / "data", bin=bin_path, log_dir=base)
    server.start()
    yield server
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        print(f"\n[{server.url}] " + server.logs())
    server.stop()


@pytest.fixture
def db(tmp_path) -> Path:
    return ms.make_db(tmp_path / "bank.db")


@pytest.fixture
def db_http(db, tmp_path, request):
    server = ms.HttpDbServer(db=db, log_dir=tmp_path).start()
    yield server
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        print("\n[db server] " + server.logs())
    server.stop()


@pytest.fixture(scope="session")
def npm_servers() -> Path:
    for name in ("mcp-server-filesystem", "mcp-server-memory"):
        if not (ms.NODE_BIN / name).exists():
            pytest.fail(f"{name} is not installed: run `npm ci` in tests/mcp", pytrace=False)
    return ms.NODE_BIN
