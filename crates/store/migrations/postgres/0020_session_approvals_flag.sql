-- One statement fewer for most checks (issue 14): a session that has never had an approval
-- needs no approvals read. `may_have_approvals` is set by every approval's insert
-- (`Tx::insert_approval`, in the same transaction, on the session's row: a check that locks
-- the session sees it), never cleared. Sessions from before this migration may have approvals:
-- TRUE for them (the value stored for existing rows), FALSE for sessions created from now on.
ALTER TABLE sessions ADD COLUMN may_have_approvals BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE sessions ALTER COLUMN may_have_approvals SET DEFAULT FALSE;
