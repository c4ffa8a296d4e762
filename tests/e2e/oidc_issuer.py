"""A local OIDC issuer for the federation tests: a stand-in for an external identity
provider, which cannot run here. A small HTTP server the test starts on 127.0.0.1 with its
own RSA keys, serving `/.well-known/openid-configuration` and its JWKS, and minting ID tokens
with PyJWT. `rotate()` replaces its signing key (new `kid`; the old key leaves the JWKS)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class Issuer:
    def __init__(self) -> None:
        self.keys: list[tuple[str, rsa.RSAPrivateKey]] = []
        self.jwks_fetches = 0
        self._new_key()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/.well-known/openid-configuration":
                    body = {
                        "issuer": issuer.url,
                        "jwks_uri": issuer.url + "/jwks",
                        "authorization_endpoint": issuer.url + "/authorize",
                        "token_endpoint": issuer.url + "/token",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                elif self.path == "/jwks":
                    issuer.jwks_fetches += 1
                    body = {"keys": [issuer.public_jwk(kid, key) for kid, key in issuer.keys]}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _new_key(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys = [(uuid.uuid4().hex[:12], key)]

    @staticmethod
    def public_jwk(kid: str, key: rsa.RSAPrivateKey) -> dict:
        jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        jwk.update({"kid": kid, "use": "sig", "alg": "RS256"})
        return jwk

    @property
    def kid(self) -> str:
        return self.keys[0][0]

    @property
    def private_key(self) -> rsa.RSAPrivateKey:
        return self.keys[0][1]

    def rotate(self) -> None:
        self._new_key()

    def token(self, sub: str, aud: str = "airlock.local", ttl: int = 300, **claims) -> str:
        now = int(time.time())
        payload = {"iss": self.url, "sub": sub, "aud": aud, "iat": now, "exp": now + ttl, **claims}
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
