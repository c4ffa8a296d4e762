"""Fixtures of the replica and crash suite.

- `database`: a fresh PostgreSQL database, migrated with `airlock migrate --database`; skipped
  without AIRLOCK_TEST_DATABASE_URL.
- `replicas(n)`: n `airlock serve --database URL` processes on that database, sharing the
  bootstrap key; each can `.restart()` or be killed.
- `airlock_factory`: SQLite servers, as in the end-to-end suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from replicas import airlock_cmd, create_database, drop_database, pg_base_url, PG_ENV
from support import Airlock, airlock_bin, new_bootstrap_key


@pytest.fixture(scope="session")
def bin_path() -> Path:
    path = airlock_bin()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"airlock binary not found at {path}: build it or set AIRLOCK_BIN", pytrace=False)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def database(bin_path: Path):
    base = pg_base_url()
    if base is None:
        pytest.skip(f"set {PG_ENV} to run the PostgreSQL replica tests")
    name, url = create_database(base)
    airlock_cmd(bin_path, "migrate", "--database", url)
    yield url
    drop_database(base, name)


def _factory(bin_path, tmp_path_factory, request, extra):
    started: list = []

    def start(*args: str, data_dir=None, key=None) -> Airlock:
        base = tmp_path_factory.mktemp("airlock")
        server = Airlock(
            url="",
            key=key or new_bootstrap_key(),
            data_dir=Path(data_dir) if data_dir else base / "data",
            bin=bin_path,
            args=[*extra, *args],
            log_dir=base,
        )
        started.append(server)
        return server.start()

    def finish():
        failed = getattr(request.node, "rep_call", None)
        for server in started:
            if failed is not None and failed.failed:
                print(f"\n[{server.url}] " + server.logs())
            server.stop()

    return start, finish


@pytest.fixture
def airlock_factory(bin_path: Path, tmp_path_factory, request):
    start, finish = _factory(bin_path, tmp_path_factory, request, [])
    yield start
    finish()


@pytest.fixture
def replicas(bin_path: Path, tmp_path_factory, request, database: str):
    """`replicas(n, *args)`: n replicas on the test's database with one bootstrap key."""
    # The replicas share one audit key folder and one checkpoint folder (one file each).
    audit = tmp_path_factory.mktemp("audit")
    extra = [
        "--database", database,
        "--audit-key-dir", str(audit / "keys"),
        "--checkpoint-dir", str(audit / "checkpoints"),
        "--checkpoint-interval-secs", "1",
    ]
    start, finish = _factory(bin_path, tmp_path_factory, request, extra)
    key = new_bootstrap_key()

    def many(n: int = 2, *args: str) -> list:
        return [start(*args, key=key) for _ in range(n)]

    many.url = database
    many.audit_dir = audit
    yield many
    finish()
