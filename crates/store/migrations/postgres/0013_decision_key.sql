-- The audit key that made a decision's chain link (its key id, see docs/audit.md). Rows written
-- before keyed links keep an empty key id and verify as legacy entries.
ALTER TABLE decisions ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
