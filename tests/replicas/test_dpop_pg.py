"""DPoP across two replicas on PostgreSQL (docs/identity.md): a challenge issued by one replica
is used up on the other, a WIMSE token issued by one is accepted by the other (one shared
`--wimse-key-file`), and a DPoP proof accepted by one is refused as a replay by the other —
its `jti` is in the database, not in a replica's memory. Both replicas are given the same
`--public-url`, as behind one load balancer, so the proof's `htu` names either."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from support import http

PUBLIC = "http://airlock.test"
CHECK = "/api/v1/agenttrust/check"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def dpop(key: Ed25519PrivateKey, token: str, jti: str) -> str:
    """A DPoP proof shaped as the SDKs make it (compact JSON, EdDSA, embedded OKP key)."""
    x = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = {"typ": "dpop+jwt", "alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64(x)}}
    payload = {
        "htm": "POST",
        "htu": PUBLIC + CHECK,
        "iat": int(time.time()),
        "jti": jti,
        "ath": b64(hashlib.sha256(token.encode()).digest()),
    }
    compact = lambda v: b64(json.dumps(v, separators=(",", ":")).encode())  # noqa: E731
    signing_input = f"{compact(header)}.{compact(payload)}"
    return f"{signing_input}.{b64(key.sign(signing_input.encode()))}"


def check(server, agent_id: str, token: str, proof: str):
    return http(
        "POST",
        server.url + CHECK,
        key=server.key,
        headers={"Authorization": f"Bearer {token}", "DPoP": proof},
        body={"agent_id": agent_id, "action_name": "files.read", "action_input_summary": "README.md"},
    )


def test_a_dpop_proof_is_used_once_across_replicas(replicas, tmp_path):
    key_file = tmp_path / "wimse.key"
    a, b = replicas(2, "--public-url", PUBLIC, "--wimse-key-file", str(key_file))
    agent_key = Ed25519PrivateKey.generate()
    pem = agent_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    r = http("POST", a.url + "/api/v1/agents", key=a.key, body={"name": "r", "capabilities": ["files.read"], "public_key": pem})
    assert r.status == 201, r.text
    agent_id = r.json["id"]
    r = http("PUT", b.url + "/api/v1/orgs/security-settings", key=b.key, body={"require_proof_of_possession": True})
    assert r.status == 200 and r.json["require_proof_of_possession"] is True, r.text

    # Challenge on A, token on B: one challenge store, one signing key.
    nonce = http("POST", f"{a.url}/api/v1/agents/{agent_id}/challenge", key=a.key).json["nonce"]
    ts = int(time.time())
    proof = {"nonce": nonce, "ts": ts, "signature": b64(agent_key.sign(f"pop-v1:{nonce}:{agent_id}::{ts}".encode()))}
    r = http("POST", b.url + "/api/v1/wimse/token", key=b.key, body={"agent_id": agent_id, "proof": proof})
    assert r.status == 200 and r.json["bound"] is True, r.text
    token = r.json["token"]
    # The nonce is used up for A too.
    r = http("POST", a.url + "/api/v1/wimse/token", key=a.key, body={"agent_id": agent_id, "proof": proof})
    assert r.status == 401, r.text

    # Without a proof, neither replica decides (nor reads or locks the session: the key
    # alone reads nothing of an organization that requires proof).
    for server in (a, b):
        r = http("POST", server.url + CHECK, key=server.key, body={"agent_id": agent_id, "action_name": "files.read"})
        assert r.status == 401 and "proof of possession" in r.json["message"], r.text

    # One proof: accepted by A, a replay on B.
    p = dpop(agent_key, token, uuid.uuid4().hex)
    r = check(a, agent_id, token, p)
    assert r.status == 200 and r.json["allowed"] is True, r.text
    r = check(b, agent_id, token, p)
    assert r.status == 401, r.text
    assert "replayed" in r.json["message"], r.text
    # And the other way round, with a fresh proof.
    p = dpop(agent_key, token, uuid.uuid4().hex)
    assert check(b, agent_id, token, p).status == 200
    r = check(a, agent_id, token, p)
    assert r.status == 401 and "replayed" in r.json["message"], r.text

    # Revoked on B: A refuses the token at once.
    r = http("POST", f"{b.url}/api/v1/agents/{agent_id}/revoke", key=b.key, body={})
    assert r.status == 200, r.text
    r = check(a, agent_id, token, dpop(agent_key, token, uuid.uuid4().hex))
    assert r.status == 401 and "revoked" in r.json["message"], r.text
