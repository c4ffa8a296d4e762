-- Airlock schema, version 1 (SQLite). Timestamps are RFC 3339 UTC text with microseconds,
-- so they sort as text. JSON columns hold arrays or objects as text.
CREATE TABLE orgs (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    default_mode TEXT NOT NULL DEFAULT 'read_only',
    created_at   TEXT NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    hash       TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    name          TEXT NOT NULL,
    framework     TEXT NOT NULL,
    public_key    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    capabilities  TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoke_reason TEXT
);
CREATE INDEX agents_org ON agents(org_id, created_at);

CREATE TABLE servers (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    name         TEXT NOT NULL,
    url          TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    capabilities TEXT,
    tools        TEXT NOT NULL,
    default_mode TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX servers_org ON servers(org_id, created_at);

CREATE TABLE sessions (
    org_id           TEXT NOT NULL REFERENCES orgs(id),
    id               TEXT NOT NULL,
    agent_id         TEXT NOT NULL,
    server_id        TEXT,
    source           TEXT NOT NULL,
    scope_ceiling    TEXT NOT NULL,
    base_mode        TEXT NOT NULL,
    elevated_until   TEXT,
    total_calls      INTEGER NOT NULL DEFAULT 0,
    read_calls       INTEGER NOT NULL DEFAULT 0,
    write_calls      INTEGER NOT NULL DEFAULT 0,
    denied_calls     INTEGER NOT NULL DEFAULT 0,
    head             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    last_activity_at TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE decisions (
    org_id        TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    check_id      TEXT NOT NULL UNIQUE,
    agent_id      TEXT NOT NULL,
    action_name   TEXT NOT NULL,
    effect        TEXT NOT NULL,
    risk          TEXT NOT NULL,
    allowed       INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    reasons       TEXT NOT NULL,
    guard_tier    TEXT NOT NULL,
    confidence    REAL NOT NULL,
    input_digest  TEXT NOT NULL,
    input_summary TEXT NOT NULL,
    approval_id   TEXT,
    source        TEXT NOT NULL,
    latency_us    INTEGER NOT NULL,
    decided_at    TEXT NOT NULL,
    hash          TEXT NOT NULL,
    PRIMARY KEY (org_id, session_id, seq)
);

CREATE TABLE approvals (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    session_id    TEXT NOT NULL,
    agent_id      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    action_name   TEXT NOT NULL,
    action_effect TEXT NOT NULL,
    input_digest  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    decided_by    TEXT,
    decided_at    TEXT,
    used_at       TEXT
);
CREATE INDEX approvals_session ON approvals(org_id, session_id, kind, status);
CREATE INDEX approvals_status ON approvals(org_id, status, created_at);

CREATE TABLE tokens (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    agent_id      TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    scopes        TEXT NOT NULL,
    session_id    TEXT,
    issued_at     TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoke_reason TEXT
);
CREATE INDEX tokens_agent ON tokens(org_id, agent_id);

CREATE TABLE telemetry (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      TEXT NOT NULL,
    agent_id    TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    tool_name   TEXT NOT NULL,
    duration_ms INTEGER,
    success     INTEGER,
    error_type  TEXT,
    timestamp   TEXT,
    received_at TEXT NOT NULL
);
