"""Support of the end-to-end suite: real `airlock serve` processes on loopback.

Every test that takes `airlock` gets a server of its own: a free port, a fresh data directory
and the bootstrap API key of the `default` organization. `airlock_factory` starts servers with
extra flags (`--elevation-window-secs 2`) and can stop and restart one on the same data
directory. The binary comes from `AIRLOCK_BIN` (default: `target/debug/airlock` under the
repository root).

The published SDK (`agenttrustid==0.4.0`) is the client wherever it covers a route; `http()`
is a small urllib client for the routes, status codes and error bodies the SDK hides.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from agenttrustid import AgentTrustClient

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def airlock_bin() -> Path:
    """The `airlock` binary under test."""
    raw = os.environ.get("AIRLOCK_BIN", "target/debug/airlock")
    path = Path(raw)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


def new_bootstrap_key() -> str:
    return "sk_live_" + secrets.token_hex(24)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# A minimal HTTP client for what the SDK does not expose (status codes, raw bodies, headers).


@dataclass
class Response:
    status: int
    text: str
    headers: dict

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    def error_body(self) -> dict:
        """The body of an error answer, checked to be `{"error": str, "message": str}`."""
        try:
            body = json.loads(self.text)
        except ValueError as e:  # pragma: no cover - a failure message
            raise AssertionError(
                f"HTTP {self.status}: error body is not JSON: {self.text[:300]!r}"
            ) from e
        assert isinstance(body, dict), f"HTTP {self.status}: error body is not an object: {body!r}"
        assert isinstance(body.get("error"), str) and body["error"], (
            f"HTTP {self.status}: no `error` code in {body!r}"
        )
        assert isinstance(body.get("message"), str) and body["message"], (
            f"HTTP {self.status}: no `message` in {body!r}"
        )
        return body


def http(
    method: str,
    url: str,
    key: Optional[str] = None,
    body: Any = None,
    raw: Optional[bytes] = None,
    headers: Optional[dict] = None,
    timeout: float = 30.0,
) -> Response:
    """One HTTP request. `body` is sent as JSON; `raw` as given. Never raises on a status."""
    hdrs = {"Content-Type": "application/json"}
    if key is not None:
        hdrs["X-API-Key"] = key
    if headers:
        hdrs.update(headers)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return Response(r.status, r.read().decode("utf-8", "replace"), dict(r.headers))
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace") if e.fp else ""
        return Response(e.code, text, dict(e.headers or {}))


# ---------------------------------------------------------------------------------------------
# Server processes.


@dataclass
class Airlock:
    """A running `airlock serve`. Unpacks as `(url, key, data_dir)`."""

    url: str
    key: str
    data_dir: Path
    bin: Path
    args: list = field(default_factory=list)
    log_dir: Optional[Path] = None
    proc: Optional[subprocess.Popen] = None
    port: int = 0
    starts: int = 0

    def __iter__(self) -> Iterator:
        return iter((self.url, self.key, self.data_dir))

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> "Airlock":
        assert self.proc is None, "already running"
        last_error = ""
        for _attempt in range(3):
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.starts += 1
            out = open(self.log_dir / f"serve-{self.starts}.out", "wb")
            err = open(self.log_dir / f"serve-{self.starts}.err", "wb")
            env = dict(os.environ)
            env["AIRLOCK_BOOTSTRAP_API_KEY"] = self.key
            env.setdefault("AIRLOCK_LOG", "airlock=info,warn")
            cmd = [
                str(self.bin),
                "serve",
                "--addr",
                f"127.0.0.1:{self.port}",
                "--data-dir",
                str(self.data_dir),
                *self.args,
            ]
            self.proc = subprocess.Popen(
                cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env
            )
            out.close()
            err.close()
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    r = http("GET", self.url + "/health", timeout=2)
                    if r.status == 200 and r.json.get("status") == "healthy":
                        return self
                except (OSError, ValueError):
                    pass
                time.sleep(0.05)
            last_error = self.logs()
            self._kill()
            if "cannot listen" not in last_error:
                break
        raise RuntimeError(f"airlock serve did not become healthy: {' '.join(cmd)}\n{last_error}")

    def stop(self) -> Optional[int]:
        """Stops the server gracefully (SIGTERM), killing it if it does not exit in time.

        Returns its exit code (None if it had to be killed, or was not running)."""
        if self.proc is None:
            return None
        code: Optional[int] = self.proc.poll()
        if code is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT_S)
                code = None
        self.proc = None
        return code

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT_S)
        self.proc = None

    def restart(self) -> "Airlock":
        self.stop()
        return self.start()

    def logs(self) -> str:
        """stdout and stderr of the latest start, for failure messages."""
        parts = []
        for kind in ("out", "err"):
            p = self.log_dir / f"serve-{self.starts}.{kind}"
            if p.exists():
                parts.append(f"--- airlock serve std{kind} ---\n" + p.read_text("utf-8", "replace")[-4000:])
        return "\n".join(parts)

    # -- clients --------------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.data_dir / "airlock.db"

    def client(self, key: Optional[str] = None) -> AgentTrustClient:
        """The published SDK's client, pointed at this server."""
        return AgentTrustClient(base_url=self.url, api_key=key or self.key, timeout=30)

    def http(self, method: str, path: str, key: Any = "default", **kw) -> Response:
        """An HTTP request to this server with the bootstrap key (`key=None`: no key)."""
        if key == "default":
            key = self.key
        return http(method, self.url + path, key=key, **kw)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs `airlock ARGS --data-dir DIR` against this server's store."""
        cmd = [str(self.bin), *args, "--data-dir", str(self.data_dir)]
        cp = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if check and cp.returncode != 0:
            raise AssertionError(
                f"`{' '.join(cmd)}` exited {cp.returncode}\nstdout: {cp.stdout}\nstderr: {cp.stderr}"
            )
        return cp

    def new_org_key(self, org: str) -> str:
        """A key of organization `org` (created if new), made with `airlock keys create`."""
        out = self.cli("keys", "create", "--org", org).stdout.strip()
        assert out.startswith("sk_live_") and "\n" not in out, f"unexpected output: {out!r}"
        return out


# ---------------------------------------------------------------------------------------------
# Helpers shared by the suites.

RFC3339_Z = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"


def assert_timestamp(value: Any, what: str = "timestamp") -> None:
    """RFC 3339 UTC with `Z` and at most 6 fractional digits; parseable as the SDK parses it."""
    import re
    from datetime import datetime

    assert isinstance(value, str), f"{what}: expected a string, got {value!r}"
    assert re.match(RFC3339_Z, value), f"{what}: {value!r} is not RFC 3339 UTC with Z and <= 6 fractional digits"
    datetime.fromisoformat(value.replace("Z", "+00:00"))


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"
