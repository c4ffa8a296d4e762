"""schemathesis against the real `airlock serve` and the OpenAPI document it serves.

Starts the binary (AIRLOCK_BIN) on a new data dir with a bootstrap admin key, seeds one of each
object (agent, server, session, check, policy, webhook, SIEM destination with a delivery log) so
the list routes answer real rows, then runs `schemathesis run` on every operation of `GET /api/v1/openapi.json` with that key, in
positive and negative modes, checking that no answer is a 5xx and that every answer's status,
content type and body are the ones the document states.

SCHEMATHESIS_MAX_EXAMPLES (default 25) bounds the examples per operation; the run is also
capped by SCHEMATHESIS_MAX_TIME seconds (default 210).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import requests
import schemathesis

KEY = "sk_live_openapi0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url: str, method: str = "GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("X-API-Key", KEY)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read() or b"null")


def bin_path() -> Path:
    path = os.environ.get("AIRLOCK_BIN")
    found = Path(path) if path else ROOT / "target" / "debug" / "airlock"
    assert found.exists(), f"no airlock binary at {found}; set AIRLOCK_BIN"
    return found


def schemathesis_bin() -> str:
    beside = Path(sys.executable).parent / "schemathesis"
    return str(beside) if beside.exists() else (shutil.which("schemathesis") or "schemathesis")


def seed(url: str) -> dict:
    s, agent = call(url + "/api/v1/agents", "POST", {"name": "seed", "capabilities": ["db.read", "db.write"]})
    assert s == 201, agent
    s, server = call(url + "/mcp/servers", "POST", {"name": "db", "url": "http://127.0.0.1:9", "capabilities": ["db.read"]})
    assert s == 201, server
    s, session = call(url + "/mcp/sessions/init", "POST", {"agent_id": agent["id"], "server_id": server["id"]})
    assert s == 201, session
    s, checked = call(url + "/api/v1/agenttrust/check", "POST", {"agent_id": agent["id"], "action_name": "db.read", "action_input": {"q": 1}})
    assert s == 200
    s, _ = call(url + "/api/v1/agenttrust/check", "POST", {"agent_id": agent["id"], "action_name": "db.drop_table"})
    assert s == 200
    s, _ = call(url + "/api/v1/policies", "POST", {"id": "seed", "description": "d", "text": 'forbid(principal, action, resource) when { context.action_name == "x" };'})
    s, _ = call(url + "/api/v1/notifications/webhooks", "POST", {"url": "http://127.0.0.1:9/hook", "secret": "0123456789abcdef0123"})
    assert s == 201
    # A SIEM destination to a closed local port: deliveries fail and are logged, which is fine.
    s, dest = call(url + "/api/v1/siem/destinations", "POST", {"name": "seed", "destination_type": "webhook", "endpoint_url": "http://127.0.0.1:9/siem", "batch_size": 1, "flush_interval_seconds": 1})
    assert s == 201, dest
    s, tested = call(url + f"/api/v1/siem/destinations/{dest['id']}/test", "POST")
    assert s == 200 and tested["success"] is False, tested
    s, logs = call(url + f"/api/v1/siem/destinations/{dest['id']}/logs")
    assert s == 200 and logs["total"] >= 1, logs
    # Unauthenticated, but a request with a key is answered too.
    s, keys = call(url + "/api/v1/audit/public-key")
    assert s == 200 and any(k["current"] for k in keys["keys"]), keys
    return {"agent": agent["id"], "session": checked["session_id"], "destination": dest["id"]}


def answers_conform(url: str, ids: dict) -> None:
    """The operations schemathesis reaches only with ids it cannot guess (it answers 404 to
    random ones), called once with the seeded ids, each answer checked against the document."""
    doc = schemathesis.openapi.from_url(url + "/api/v1/openapi.json")
    dest = f"/api/v1/siem/destinations/{ids['destination']}"
    calls = [
        ("GET", "/api/v1/siem/destinations/{id}", dest, None),
        ("PUT", "/api/v1/siem/destinations/{id}", dest, {"is_active": True, "batch_size": 2}),
        ("GET", "/api/v1/siem/destinations/{id}/logs", dest + "/logs", None),
        ("POST", "/api/v1/siem/destinations/{id}/test", dest + "/test", None),
        ("GET", "/api/v1/siem/destinations", "/api/v1/siem/destinations", None),
        ("GET", "/api/v1/audit/public-key", "/api/v1/audit/public-key", None),
        ("GET", "/api/v1/sessions/{id}/verify", f"/api/v1/sessions/{ids['session']}/verify", None),
        ("POST", "/api/v1/agenttrust/check", "/api/v1/agenttrust/check", {"agent_id": ids["agent"], "session_id": ids["session"], "action_name": "db.read"}),
        ("POST", "/access/v1/evaluation", "/access/v1/evaluation", {"subject": {"type": "agent", "id": ids["agent"]}, "action": {"name": "db.read"}, "resource": {"type": "tool", "id": "db.read"}, "context": {"session_id": ids["session"]}}),
    ]
    for method, template, path, body in calls:
        r = requests.request(method, url + path, json=body, headers={"X-API-Key": KEY}, timeout=10)
        assert r.status_code == 200, (method, path, r.status_code, r.text)
        doc[template][method].validate_response(r)
        answer = r.json()
        if template == "/api/v1/agenttrust/check":
            assert answer["receipt"]["session_id"] == ids["session"], answer
        if template == "/access/v1/evaluation":
            assert answer["context"]["receipt"]["check_id"] == answer["context"]["check_id"], answer
        if template.endswith("/verify"):
            assert answer["valid"] is True and "checkpoints_checked" in answer, answer


def test_the_api_conforms_to_its_openapi_document(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, AIRLOCK_BOOTSTRAP_API_KEY=KEY)
    env.setdefault("AIRLOCK_LOG", "airlock=warn")
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        [str(bin_path()), "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", str(tmp_path / "data")],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if call(url + "/health")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "airlock serve did not start"
            time.sleep(0.2)
        answers_conform(url, seed(url))
        cmd = [
            schemathesis_bin(), "run", url + "/api/v1/openapi.json",
            "--header", f"X-API-Key: {KEY}",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--mode", "all",
            "--phases", "examples,coverage,fuzzing",
            "--max-examples", os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"),
            "--max-time", os.environ.get("SCHEMATHESIS_MAX_TIME", "210"),
            "--workers", "2",
            "--seed", os.environ.get("SCHEMATHESIS_SEED", "1"),
            "--generation-database", "none",
            "--request-timeout", "20",
            "--suppress-health-check", "all",
            "--no-color",
        ]
        started = time.monotonic()
        # In the temp dir: schemathesis and hypothesis leave caches in the working directory.
        run = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=400, cwd=tmp_path
        )
        took = time.monotonic() - started
        print(run.stdout[-20000:])
        print(run.stderr[-5000:], file=sys.stderr)
        print(f"schemathesis took {took:.0f}s")
        assert proc.poll() is None, "the server died during the run"
        assert run.returncode == 0, "schemathesis found failures (see the output above)"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
