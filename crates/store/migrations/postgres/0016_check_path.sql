-- Fewer index pages written per decision (issue 14; the SQLite migration of the same number
-- says why each goes): no unique index on the random `check_id`, no `decisions_rule` (the log
-- search never used it), no `decisions_session_time` (a session's decisions are read in the
-- order of their sequence numbers, the primary key). A check's approval lookup reads only the
-- approvals of the same input.
ALTER TABLE decisions DROP CONSTRAINT IF EXISTS decisions_check_id_key;
DROP INDEX IF EXISTS decisions_rule;
DROP INDEX IF EXISTS decisions_session_time;
CREATE INDEX approvals_call ON approvals(org_id, session_id, input_digest);
