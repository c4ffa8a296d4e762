"""Federation with the published Python SDK (`agenttrustid==0.4.0`, `client.federation`)
against a real `airlock serve` (docs/identity.md#federation). The external identity provider
is a local OIDC issuer the test starts (oidc_issuer.py: its own RSA keys, discovery document
and JWKS), a stand-in for one that cannot run here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from agenttrustid.exceptions import AgentTrustError, AuthenticationError

from oidc_issuer import Issuer
from support import http


@pytest.fixture
def issuer():
    i = Issuer()
    yield i
    i.stop()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict) -> str:
    return b64(json.dumps(value).encode())


def test_a_federated_token_names_an_agent_and_opens_a_session(airlock, client, issuer):
    provider = client.federation.register_provider(issuer=issuer.url, name="local-idp", trust_level="high")
    assert provider.id and provider.issuer == issuer.url
    assert provider.jwks_uri == issuer.url + "/jwks"
    assert (provider.trust_level, provider.status) == ("high", "active")
    assert [p.id for p in client.federation.list_providers()] == [provider.id]

    agent = client.agents.create(name="federated", capabilities=["files:read", "web:fetch"])
    token = issuer.token(agent.id)
    result = client.federation.introspect_token(token)
    assert result.active and result.valid, result.error
    assert result.agent_id == agent.id and result.issuer == issuer.url
    assert result.expires_at is not None
    # The other path, as the TS, Go and Rust SDKs call it: both `active` and `valid`.
    r = http("POST", airlock.url + "/api/v1/federation/tokens/verify", key=airlock.key,
             body={"token": token, "issuer_hint": issuer.url})
    assert r.status == 200 and r.json["valid"] is True and r.json["active"] is True, r.text

    session = client.federation.init_session(token, issuer_hint=issuer.url)
    assert session.source == "federation"
    assert (session.provider_id, session.issuer, session.trust_level) == (provider.id, issuer.url, "high")
    assert session.agent_id == agent.id
    assert sorted(session.scope_ceiling) == ["files:read", "web:fetch"]
    again = client.sessions.get_session(session.session_id)
    assert (again.source, again.provider_id, again.issuer, again.trust_level) == (
        "federation", provider.id, issuer.url, "high")
    allowed = client.actions.check(agent_id=agent.id, action="files:read", session_id=session.session_id)
    assert allowed.allowed, allowed.reason

    # An `agent_id` claim names the agent when `sub` is the provider's own user id.
    assert client.federation.introspect_token(issuer.token("user-123", agent_id=agent.id)).active

    # Revoked: inactive until it expires, and no session.
    r = http("POST", airlock.url + "/api/v1/federation/tokens/revoke", key=airlock.key, body={"token": token})
    assert r.status == 200 and r.json["revoked"] is True, r.text
    revoked = client.federation.introspect_token(token)
    assert not revoked.active and revoked.error == "token revoked"
    with pytest.raises(AuthenticationError):
        client.federation.init_session(token)

    # Deleted provider: its tokens mean nothing here.
    client.federation.delete_provider(provider.id)
    assert client.federation.list_providers() == []
    assert not client.federation.introspect_token(issuer.token(agent.id)).active


def test_forged_stale_and_misdirected_tokens_are_refused(airlock, client, issuer):
    client.federation.register_provider(issuer=issuer.url, name="local-idp")
    agent = client.agents.create(name="federated", capabilities=["files:read"])
    now = int(time.time())

    def refused(token: str, why: str) -> None:
        result = client.federation.introspect_token(token)
        assert not result.active, why
        assert result.error, why
        with pytest.raises(AgentTrustError):
            client.federation.init_session(token)

    refused(issuer.token(agent.id, ttl=-120), "expired")
    refused(issuer.token(agent.id, nbf=now + 600), "not yet valid")
    refused(issuer.token(agent.id, aud="someone-else"), "another audience")
    refused(issuer.token("agt_nobody"), "no such agent")
    refused(issuer.token(agent.id, iss="http://127.0.0.1:1"), "an issuer nobody registered")
    # `alg: none`, unsigned.
    payload = {"iss": issuer.url, "sub": agent.id, "aud": "airlock.local", "exp": now + 300}
    refused(f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(payload)}.", "alg none")
    # Key confusion: HS256 with the issuer's public key as the shared secret.
    pem = issuer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    head = segment({"alg": "HS256", "typ": "JWT", "kid": issuer.kid})
    signing_input = f"{head}.{segment(payload)}"
    mac = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    refused(f"{signing_input}.{b64(mac)}", "HS256 with the public key")
    # Signed by another key under the issuer's kid.
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(payload, other, algorithm="RS256", headers={"kid": issuer.kid})
    refused(forged, "another key")
    # A revoked agent's tokens are refused.
    good = issuer.token(agent.id)
    assert client.federation.introspect_token(good).active
    client.agents.revoke(agent.id)
    refused(good, "revoked agent")


def test_the_issuer_rotates_its_key(airlock, client, issuer):
    client.federation.register_provider(issuer=issuer.url, name="local-idp")
    agent = client.agents.create(name="federated", capabilities=["files:read"])
    old = issuer.token(agent.id)
    assert client.federation.introspect_token(old).active
    fetches = issuer.jwks_fetches
    # Cached: a second token with the same key fetches nothing.
    assert client.federation.introspect_token(issuer.token(agent.id)).active
    assert issuer.jwks_fetches == fetches

    issuer.rotate()
    time.sleep(2.2)  # unknown kids refetch the JWKS at most every 2 seconds
    new = issuer.token(agent.id)
    result = client.federation.introspect_token(new)
    assert result.active, result.error
    assert issuer.jwks_fetches == fetches + 1
    # The old key left the JWKS: its tokens are no longer accepted.
    time.sleep(2.2)
    assert not client.federation.introspect_token(old).active


def test_registration_checks_the_issuer(airlock, client, issuer):
    with pytest.raises(AgentTrustError):
        client.federation.register_provider(issuer="http://127.0.0.1:1", name="nobody")
    # The discovery document must name the issuer as registered.
    with pytest.raises(AgentTrustError):
        client.federation.register_provider(issuer=issuer.url + "/other", name="wrong")
    client.federation.register_provider(issuer=issuer.url, name="idp")
    r = http("POST", airlock.url + "/api/v1/federation/providers", key=airlock.key,
             body={"issuer": issuer.url, "name": "again"})
    assert r.status == 409, r.text
    r = http("DELETE", airlock.url + "/api/v1/federation/providers/fedp_nope", key=airlock.key)
    assert r.status == 404, r.text
