-- One statement fewer for most checks (issue 14): a session that has never had an approval
-- needs no approvals read. `may_have_approvals` is set by a trigger on every approval's
-- insert (in the inserting transaction, on the session's row: a check that locks the session
-- sees it), never cleared. A trigger, not the inserting code, so that a replica still running
-- an older build during a rolling upgrade marks the sessions it creates approvals for too.
-- Sessions from before this migration may have approvals: TRUE for them (the value stored for
-- existing rows), FALSE for sessions created from now on.
ALTER TABLE sessions ADD COLUMN may_have_approvals BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE sessions ALTER COLUMN may_have_approvals SET DEFAULT FALSE;

-- The function's names are resolved in the schema this migration runs in, whatever the search
-- path of the connection that inserts (a data-only restore runs with an empty one).
CREATE FUNCTION airlock_mark_session_approvals() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE sessions SET may_have_approvals = TRUE
     WHERE org_id = NEW.org_id AND id = NEW.session_id AND NOT may_have_approvals;
    RETURN NULL;
END
$$;

CREATE TRIGGER approvals_mark_session AFTER INSERT ON approvals
    FOR EACH ROW EXECUTE FUNCTION airlock_mark_session_approvals();
