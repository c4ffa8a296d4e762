-- Who is asking, proven (docs/identity.md). Shared by every replica.
--
-- Proof-of-possession challenges: single use, short-lived, bound to one agent. The row keeps
-- the SHA-256 (hex) of the nonce, never the nonce; using it deletes it.
CREATE TABLE pop_challenges (
    nonce_hash TEXT COLLATE "C" PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    agent_id   TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX pop_challenges_expiry ON pop_challenges(expires_at);

-- DPoP proof ids (`jti`) already used, per key thumbprint, until the proof would be stale
-- anyway: a replayed proof is refused by whichever replica sees it second.
CREATE TABLE dpop_jtis (
    jkt        TEXT COLLATE "C" NOT NULL,
    jti        TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (jkt, jti)
);
CREATE INDEX dpop_jtis_expiry ON dpop_jtis(expires_at);

-- An organization's security settings; no row: both off.
CREATE TABLE org_security_settings (
    org_id                            TEXT COLLATE "C" PRIMARY KEY REFERENCES orgs(id),
    require_proof_of_possession       BOOLEAN NOT NULL,
    require_sender_constrained_tokens BOOLEAN NOT NULL,
    updated_at                        TEXT COLLATE "C" NOT NULL
);

-- Trusted external OIDC issuers (federation). Their keys are fetched from `jwks_uri` and
-- cached in memory, never stored.
CREATE TABLE federation_providers (
    id                     TEXT COLLATE "C" PRIMARY KEY,
    org_id                 TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    issuer                 TEXT COLLATE "C" NOT NULL,
    name                   TEXT NOT NULL,
    audience               TEXT COLLATE "C" NOT NULL,
    jwks_uri               TEXT NOT NULL,
    authorization_endpoint TEXT NOT NULL,
    token_endpoint         TEXT NOT NULL,
    trust_level            TEXT NOT NULL,
    status                 TEXT NOT NULL,
    created_at             TEXT COLLATE "C" NOT NULL,
    updated_at             TEXT COLLATE "C" NOT NULL,
    UNIQUE (org_id, issuer)
);

-- Federated tokens revoked before they expire: the SHA-256 of the token, until its expiry.
CREATE TABLE federation_revocations (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    expires_at TEXT COLLATE "C" NOT NULL,
    revoked_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX federation_revocations_expiry ON federation_revocations(expires_at);

-- Where a federated session's agent was vouched for: shown with the session.
CREATE TABLE federated_sessions (
    org_id      TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    session_id  TEXT COLLATE "C" NOT NULL,
    provider_id TEXT COLLATE "C" NOT NULL,
    issuer      TEXT NOT NULL,
    trust_level TEXT NOT NULL,
    PRIMARY KEY (org_id, session_id)
);
