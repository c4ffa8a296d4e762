-- Console sign-in sessions, shared by every replica. The token lives only in the browser's
-- cookie; the row keeps its SHA-256 (hex). A session ends after 30 minutes idle
-- (last_seen_at), at expires_at (12 hours after sign-in), on sign out (the row is deleted) or
-- when the admin key that started it is revoked.
CREATE TABLE console_sessions (
    token_hash   TEXT COLLATE "C" PRIMARY KEY,
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    key_id       TEXT COLLATE "C" NOT NULL REFERENCES api_keys(id),
    csrf         TEXT NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    last_seen_at TEXT COLLATE "C" NOT NULL,
    expires_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
