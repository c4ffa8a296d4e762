-- Console sign-in sessions, shared by every replica. The token lives only in the browser's
-- cookie; the row keeps its SHA-256 (hex). A session ends after 30 minutes idle
-- (last_seen_at), at expires_at (12 hours after sign-in), on sign out (the row is deleted) or
-- when the admin key that started it is revoked.
CREATE TABLE console_sessions (
    token_hash   TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    key_id       TEXT NOT NULL REFERENCES api_keys(id),
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
