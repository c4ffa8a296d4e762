"""Fixtures of the end-to-end suite (see support.py for the server process and HTTP helpers).

- `airlock`: a fresh `airlock serve` for the test (free port, new data dir, bootstrap key of
  the `default` organization); unpacks as `(url, key, data_dir)`.
- `airlock_factory(*extra_args, data_dir=None)`: more servers, e.g. with
  `--elevation-window-secs 2`; each can `.stop()` and `.restart()` on the same data dir.
- `client`: the published SDK's `AgentTrustClient` for `airlock`.
Servers are stopped at the end of the test; a failed test prints their logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import pytest

from agenttrustid import AgentTrustClient
from support import Airlock, airlock_bin, new_bootstrap_key


@pytest.fixture(scope="session")
def bin_path() -> Path:
    path = airlock_bin()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"airlock binary not found at {path}: build it with `cargo build` "
            "or set AIRLOCK_BIN",
            pytrace=False,
        )
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def airlock_factory(bin_path: Path, tmp_path_factory, request):
    """Starts servers: `airlock_factory(*extra_args, data_dir=None)`; stops them all at the end."""
    started: list[Airlock] = []

    def start(*args: str, data_dir: Optional[Path] = None, key: Optional[str] = None) -> Airlock:
        base = tmp_path_factory.mktemp("airlock")
        server = Airlock(
            url="",
            key=key or new_bootstrap_key(),
            data_dir=Path(data_dir) if data_dir else base / "data",
            bin=bin_path,
            args=list(args),
            log_dir=base,
        )
        started.append(server)
        return server.start()

    yield start

    failed = getattr(request.node, "rep_call", None)
    for server in started:
        if failed is not None and failed.failed:
            print(f"\n[{server.url}] " + server.logs())
        server.stop()


@pytest.fixture
def airlock(airlock_factory) -> Airlock:
    """A fresh `airlock serve` with default flags."""
    return airlock_factory()


@pytest.fixture
def client(airlock: Airlock) -> AgentTrustClient:
    return airlock.client()


