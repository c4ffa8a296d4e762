-- Airlock schema, version 1 (PostgreSQL). The same tables as SQLite's 0001: timestamps are
-- RFC 3339 UTC text with microseconds and sort as text (COLLATE "C": byte order, as in SQLite);
-- JSON columns hold arrays or objects as text, so they read back byte for byte as written.
CREATE TABLE orgs (
    id           TEXT COLLATE "C" PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    default_mode TEXT NOT NULL DEFAULT 'read_only',
    created_at   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT COLLATE "C" PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    hash       TEXT COLLATE "C" NOT NULL UNIQUE,
    prefix     TEXT COLLATE "C" NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT COLLATE "C" NOT NULL,
    revoked_at TEXT COLLATE "C"
);
CREATE INDEX api_keys_prefix ON api_keys(prefix);

CREATE TABLE agents (
    id            TEXT COLLATE "C" PRIMARY KEY,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    name          TEXT NOT NULL,
    framework     TEXT NOT NULL,
    public_key    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    capabilities  TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    revoked_at    TEXT COLLATE "C",
    revoke_reason TEXT
);
CREATE INDEX agents_org ON agents(org_id, created_at);

CREATE TABLE servers (
    id           TEXT COLLATE "C" PRIMARY KEY,
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    name         TEXT NOT NULL,
    url          TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    capabilities TEXT,
    tools        TEXT NOT NULL,
    default_mode TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX servers_org ON servers(org_id, created_at);

-- A check locks its session row (SELECT … FOR UPDATE) from its first read to its commit, so
-- checks of one session on any replica are serialised and its counters and chain stay exact.
CREATE TABLE sessions (
    org_id           TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    id               TEXT COLLATE "C" NOT NULL,
    agent_id         TEXT COLLATE "C" NOT NULL,
    server_id        TEXT COLLATE "C",
    source           TEXT NOT NULL,
    scope_ceiling    TEXT NOT NULL,
    base_mode        TEXT NOT NULL,
    elevated_until   TEXT COLLATE "C",
    total_calls      BIGINT NOT NULL DEFAULT 0,
    read_calls       BIGINT NOT NULL DEFAULT 0,
    write_calls      BIGINT NOT NULL DEFAULT 0,
    denied_calls     BIGINT NOT NULL DEFAULT 0,
    head             TEXT NOT NULL,
    created_at       TEXT COLLATE "C" NOT NULL,
    last_activity_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE decisions (
    org_id        TEXT COLLATE "C" NOT NULL,
    session_id    TEXT COLLATE "C" NOT NULL,
    seq           BIGINT NOT NULL,
    check_id      TEXT COLLATE "C" NOT NULL UNIQUE,
    agent_id      TEXT COLLATE "C" NOT NULL,
    action_name   TEXT NOT NULL,
    effect        TEXT NOT NULL,
    risk          TEXT NOT NULL,
    allowed       BOOLEAN NOT NULL,
    reason        TEXT NOT NULL,
    reasons       TEXT NOT NULL,
    guard_tier    TEXT NOT NULL,
    confidence    DOUBLE PRECISION NOT NULL,
    input_digest  TEXT NOT NULL,
    input_summary TEXT NOT NULL,
    approval_id   TEXT,
    source        TEXT NOT NULL,
    latency_us    BIGINT NOT NULL,
    decided_at    TEXT COLLATE "C" NOT NULL,
    hash          TEXT NOT NULL,
    PRIMARY KEY (org_id, session_id, seq)
);

CREATE TABLE approvals (
    id            TEXT COLLATE "C" PRIMARY KEY,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    session_id    TEXT COLLATE "C" NOT NULL,
    agent_id      TEXT COLLATE "C" NOT NULL,
    kind          TEXT NOT NULL,
    action_name   TEXT NOT NULL,
    action_effect TEXT NOT NULL,
    input_digest  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    expires_at    TEXT COLLATE "C" NOT NULL,
    decided_by    TEXT,
    decided_at    TEXT COLLATE "C",
    used_at       TEXT COLLATE "C"
);
CREATE INDEX approvals_session ON approvals(org_id, session_id, kind, status);
CREATE INDEX approvals_status ON approvals(org_id, status, created_at);

CREATE TABLE tokens (
    id            TEXT COLLATE "C" PRIMARY KEY,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    agent_id      TEXT COLLATE "C" NOT NULL,
    hash          TEXT COLLATE "C" NOT NULL UNIQUE,
    scopes        TEXT NOT NULL,
    session_id    TEXT COLLATE "C",
    issued_at     TEXT COLLATE "C" NOT NULL,
    expires_at    TEXT COLLATE "C" NOT NULL,
    revoked_at    TEXT COLLATE "C",
    revoke_reason TEXT
);
CREATE INDEX tokens_agent ON tokens(org_id, agent_id);

CREATE TABLE telemetry (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      TEXT COLLATE "C" NOT NULL,
    agent_id    TEXT COLLATE "C" NOT NULL,
    session_id  TEXT COLLATE "C" NOT NULL,
    event_type  TEXT NOT NULL,
    tool_name   TEXT NOT NULL,
    duration_ms BIGINT,
    success     BOOLEAN,
    error_type  TEXT,
    timestamp   TEXT,
    received_at TEXT COLLATE "C" NOT NULL
);
