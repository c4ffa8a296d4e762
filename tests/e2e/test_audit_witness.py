"""The checkpoint witness (issue 13, docs/audit.md): with `--witness-url` every signed checkpoint
is also POSTed to a service the database's writer does not control. The receiver here is a
local HTTP server standing in for such a witness (a real one would be another organization's
log); it keeps each body as a line of its own file, and that file alone is enough for
`airlock audit verify --checkpoints` to catch a truncated chain even after the server's own
checkpoint folder was deleted.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from support import Airlock, new_bootstrap_key

SESSION = "witness-s1"


class Witness:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.events: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                n = int(self.headers.get("Content-Length") or 0)
                outer.bodies.append(self.rfile.read(n))
                outer.events.append(self.headers.get("x-airlock-event") or "")
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/witness"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def checkpoints(self) -> list[dict]:
        return [json.loads(b) for b in list(self.bodies)]

    def close(self) -> None:
        self.server.shutdown()


def run(bin_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_path), *args], capture_output=True, text=True, timeout=60)


def test_every_checkpoint_reaches_the_witness_and_its_copy_catches_a_truncation(
    bin_path: Path, tmp_path: Path
):
    witness = Witness()
    try:
        data = tmp_path / "data"
        server = Airlock(
            url="",
            key=new_bootstrap_key(),
            data_dir=data,
            bin=bin_path,
            args=["--checkpoint-interval-secs", "1", "--witness-url", witness.url],
            log_dir=tmp_path,
        ).start()
        for i in range(4):
            r = server.http(
                "POST",
                "/api/v1/actions/check",
                body={
                    "agent_id": "agent-w",
                    "session_id": SESSION,
                    "action_name": "db.query",
                    "action_input": {"query": f"SELECT {i}"},
                },
            )
            assert r.status == 200, r.text
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if any(
                s["session_id"] == SESSION and s["count"] == 4
                for c in witness.checkpoints()
                for s in c["sessions"]
            ):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the witness never got a checkpoint of the traffic:\n" + server.logs())
        assert server.stop() == 0
        time.sleep(0.5)  # the shutdown checkpoint's POST runs in the background

        # What the witness got is what the server wrote, line for line (signed, linked).
        assert set(witness.events) == {"audit.checkpoint"}
        local = {
            line
            for f in (data / "checkpoints").glob("*.jsonl")
            for line in f.read_text().splitlines()
        }
        got = [b.decode().rstrip("\n") for b in witness.bodies]
        assert got and all(line in local for line in got), (got, local)
        for c in witness.checkpoints():
            assert c["signature"] and c["key_id"]

        witnessed = tmp_path / "witnessed"
        witnessed.mkdir()
        # One file, in the server's order (the POSTs may arrive out of order).
        ordered = sorted(witness.checkpoints(), key=lambda c: c["seq"])
        by_seq = {json.loads(line)["seq"]: line for line in got}
        (witnessed / "witness.jsonl").write_text(
            "".join(by_seq[c["seq"]] + "\n" for c in ordered)
        )
        clean = run(
            bin_path, "audit", "verify", "--data-dir", str(data),
            "--checkpoints", str(witnessed), "--json",
        )
        assert clean.returncode == 0, clean.stdout + clean.stderr

        # Someone with the database and the server's files, but not the witness: the last two
        # decisions go, the head and counters are set back, the local checkpoints deleted.
        shutil.rmtree(data / "checkpoints")
        db = sqlite3.connect(data / "airlock.db")
        with db:
            head = db.execute(
                "SELECT hash FROM decisions WHERE session_id = ? AND seq = 2", (SESSION,)
            ).fetchone()[0]
            db.execute("DELETE FROM decisions WHERE session_id = ? AND seq > 2", (SESSION,))
            db.execute(
                "UPDATE sessions SET head = ?, total_calls = 2, read_calls = 2 WHERE id = ?",
                (head, SESSION),
            )
        db.close()
        caught = run(
            bin_path, "audit", "verify", "--data-dir", str(data),
            "--checkpoints", str(witnessed), "--json",
        )
        assert caught.returncode == 1, caught.stdout + caught.stderr
        assert SESSION in caught.stdout
    finally:
        witness.close()
