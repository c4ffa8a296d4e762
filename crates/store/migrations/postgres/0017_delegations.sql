-- Delegations between agents (docs/delegations.md). Shared by every replica: the check of a
-- delegated session reads its chain here at decision time, so a revocation on any replica
-- ends it everywhere at once.
--
-- `path` is `/<root id>/…/<id>/`: the ids of every hop from the root to this one. The hops
-- below a delegation are the rows whose path begins with its path.
CREATE TABLE delegations (
    id            TEXT COLLATE "C" PRIMARY KEY,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    from_agent_id TEXT COLLATE "C" NOT NULL,
    to_agent_id   TEXT COLLATE "C" NOT NULL,
    parent_id     TEXT COLLATE "C",
    path          TEXT COLLATE "C" NOT NULL,
    depth         BIGINT NOT NULL,
    scope         TEXT COLLATE "C" NOT NULL,
    restrictions  TEXT COLLATE "C" NOT NULL,
    token_hash    TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    expires_at    TEXT COLLATE "C" NOT NULL,
    revoked_at    TEXT COLLATE "C",
    revoke_reason TEXT COLLATE "C"
);
CREATE INDEX delegations_org ON delegations(org_id, created_at);
CREATE INDEX delegations_path ON delegations(org_id, path);

-- The delegation a delegated session (`source: "a2a"`) acts under.
CREATE TABLE delegated_sessions (
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    session_id    TEXT COLLATE "C" NOT NULL,
    delegation_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, session_id)
);
