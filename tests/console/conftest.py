"""Fixtures of the console's browser suite: a real `airlock serve` and Debian's Chromium driven
by Playwright (the Python package; never `playwright install`: the browser is /usr/bin/chromium).

- `airlock`: a fresh `airlock serve` for the test (free port, new data dir, the bootstrap admin
  key of the `default` organization); unpacks as `(url, key, data_dir)`. The server process
  and its helpers come from tests/e2e/support.py.
- `airlock_factory(*extra_args)`: more servers, with flags.
- `browser`: one Chromium for the whole run; `context`/`page`: a fresh browser profile per test
  with `base_url` set to `airlock.url`.
- `signed_in_page`: `page`, signed in through the form with the bootstrap key.
- `agent_key(airlock)`, `admin_key(airlock)`: new API keys, made with `airlock keys create`.
A failed test prints the server's logs and saves a screenshot next to them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright  # noqa: E402

from support import Airlock, airlock_bin, http, new_bootstrap_key  # noqa: E402,F401

CHROMIUM = os.environ.get("AIRLOCK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's default is 30 s; pages here answer in milliseconds, a slow CI machine aside.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def bin_path() -> Path:
    path = airlock_bin()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"airlock binary not found at {path}: build it with `cargo build` or set AIRLOCK_BIN",
            pytrace=False,
        )
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def _failed(request) -> bool:
    rep = getattr(request.node, "rep_call", None)
    return rep is not None and rep.failed


@pytest.fixture
def airlock_factory(bin_path: Path, tmp_path_factory, request):
    """Starts servers: `airlock_factory(*extra_args, key=None)`; stops them all at the end."""
    started: list[Airlock] = []

    def start(*args: str, key: Optional[str] = None) -> Airlock:
        base = tmp_path_factory.mktemp("airlock")
        server = Airlock(
            url="",
            key=key or new_bootstrap_key(),
            data_dir=base / "data",
            bin=bin_path,
            args=list(args),
            log_dir=base,
        )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        if _failed(request):
            print(f"\n--- airlock serve logs ({server.log_dir}) ---\n{server.logs()}")
        server.stop()


@pytest.fixture
def airlock(airlock_factory) -> Airlock:
    return airlock_factory()


def new_key(airlock: Airlock, role: str, name: str = "console-test") -> str:
    """A new API key of the `default` organization, made by the CLI on the server's store."""
    out = subprocess.run(
        [
            str(airlock.bin),
            "keys",
            "create",
            "--org",
            "default",
            "--name",
            name,
            "--role",
            role,
            "--data-dir",
            str(airlock.data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    key = out.stdout.strip().splitlines()[-1].strip()
    assert key.startswith("sk_live_"), out.stdout
    return key


@pytest.fixture
def agent_key(airlock: Airlock) -> str:
    return new_key(airlock, "agent", "agent-for-console-test")


@pytest.fixture
def admin_key(airlock: Airlock) -> str:
    return new_key(airlock, "admin", "second-admin")


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (scripts/test.sh does)",
            pytrace=False,
        )
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def context(browser: Browser, airlock: Airlock, request) -> BrowserContext:
    ctx = browser.new_context(base_url=airlock.url, viewport={"width": 1440, "height": 900})
    yield ctx
    if _failed(request):
        for i, p in enumerate(ctx.pages):
            try:
                shot = airlock.log_dir / f"failure-{request.node.name}-{i}.png"
                p.screenshot(path=str(shot), full_page=True)
                print(f"\nscreenshot: {shot}")
            except Exception as e:  # noqa: BLE001 - best effort on a failure path
                print(f"\nno screenshot: {e}")
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, key: str) -> None:
    """Signs in through the form, as a person would, and lands on the approvals page."""
    page.goto("/console")
    expect(page).to_have_url(re.compile(r"/console/sign-in"))
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console/approvals$"))


@pytest.fixture
def signed_in_page(page: Page, airlock: Airlock) -> Page:
    sign_in(page, airlock.key)
    return page
