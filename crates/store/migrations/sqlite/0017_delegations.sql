-- Delegations between agents (docs/delegations.md). Shared by every replica: the check of a
-- delegated session reads its chain here at decision time, so a revocation on any replica
-- ends it everywhere at once.
--
-- `path` is `/<root id>/…/<id>/`: the ids of every hop from the root to this one. The hops
-- below a delegation are the rows whose path begins with its path.
CREATE TABLE delegations (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    from_agent_id TEXT NOT NULL,
    to_agent_id   TEXT NOT NULL,
    parent_id     TEXT,
    path          TEXT NOT NULL,
    depth         INTEGER NOT NULL,
    scope         TEXT NOT NULL,
    restrictions  TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoke_reason TEXT
);
CREATE INDEX delegations_org ON delegations(org_id, created_at);
CREATE INDEX delegations_path ON delegations(org_id, path);

-- The delegation a delegated session (`source: "a2a"`) acts under.
CREATE TABLE delegated_sessions (
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    session_id    TEXT NOT NULL,
    delegation_id TEXT NOT NULL,
    PRIMARY KEY (org_id, session_id)
);
