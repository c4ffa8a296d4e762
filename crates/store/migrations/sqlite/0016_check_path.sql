-- Fewer index pages written per decision (issue 14). Each index a decision enters costs a
-- B-tree page in the WAL at every commit, and an index keyed by a random value costs a page
-- per decision:
-- - `check_id` was UNIQUE: an index on a random id that no query reads (ids are 128 random
--   bits). The table is rebuilt without it (SQLite cannot drop a column constraint).
-- - `decisions_rule` could not serve the log search (its rule filter is optional, so the
--   planner never used it), and `decisions_session_time` duplicates the primary key: a
--   session's decisions are read in the order of their sequence numbers.
-- A check's approval lookup reads only the approvals of the same input (`approvals_call`),
-- not every approval the session ever had.
CREATE TABLE decisions_rebuilt (
    org_id        TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    check_id      TEXT NOT NULL,
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
    rule          TEXT NOT NULL DEFAULT '',
    key_id        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, session_id, seq)
);
INSERT INTO decisions_rebuilt (org_id, session_id, seq, check_id, agent_id, action_name, effect,
    risk, allowed, reason, reasons, guard_tier, confidence, input_digest, input_summary,
    approval_id, source, latency_us, decided_at, hash, rule, key_id)
SELECT org_id, session_id, seq, check_id, agent_id, action_name, effect, risk, allowed, reason,
    reasons, guard_tier, confidence, input_digest, input_summary, approval_id, source,
    latency_us, decided_at, hash, rule, key_id
FROM decisions ORDER BY rowid;
DROP TABLE decisions;
ALTER TABLE decisions_rebuilt RENAME TO decisions;
CREATE INDEX decisions_time ON decisions(org_id, decided_at, session_id, seq, agent_id, effect, allowed,
    guard_tier, action_name);
CREATE INDEX decisions_agent_time ON decisions(org_id, agent_id, decided_at, session_id, seq);

CREATE INDEX approvals_call ON approvals(org_id, session_id, input_digest);
