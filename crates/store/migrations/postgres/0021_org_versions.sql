-- A replica's cache of what a check reads that people change, not checks (issue 14): keys,
-- organizations and their security settings, agents, servers, tool pins, reviewer sets, policy
-- generations and SIEM destinations. Each organization has a version, replaced by a trigger in
-- the same transaction as any change to one of its rows in those tables, so a statement that
-- reads the version reads it in the same snapshot as the rows: a replica may answer from the
-- rows it read at that version and read only the session. Triggers, not the writing code, so
-- that every writer (a console, a script, `psql`) bumps it. The version is a random value, not
-- a counter: a database restored from a backup never hands out again a version that named other
-- rows.
CREATE TABLE org_versions (
    org_id  TEXT COLLATE "C" PRIMARY KEY,
    version TEXT COLLATE "C" NOT NULL
);

INSERT INTO org_versions (org_id, version) SELECT id, gen_random_uuid()::text FROM orgs;

-- The trigger's argument names the table's organization column. A row moved to another
-- organization bumps both. TRUNCATE bumps every organization.
CREATE FUNCTION airlock_bump_org_version() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    old_org TEXT;
    new_org TEXT;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE org_versions SET version = gen_random_uuid()::text;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_org := to_jsonb(OLD) ->> TG_ARGV[0];
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_org := to_jsonb(NEW) ->> TG_ARGV[0];
    END IF;
    INSERT INTO org_versions (org_id, version)
        SELECT o, gen_random_uuid()::text
          FROM (SELECT DISTINCT o FROM (VALUES (old_org), (new_org)) AS changed(o)
                 WHERE o IS NOT NULL) AS orgs
        ON CONFLICT (org_id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$;

-- Each table with its organization column: a trigger for its rows, one for TRUNCATE.
DO $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('orgs', 'id'), ('api_keys', 'org_id'),
            ('org_security_settings', 'org_id'), ('agents', 'org_id'), ('servers', 'org_id'),
            ('tool_pins', 'org_id'), ('reviewer_sets', 'org_id'),
            ('policy_generations', 'org_id')) AS tables(name, org_column)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
            'FOR EACH ROW EXECUTE FUNCTION airlock_bump_org_version(%L)',
            t.name || '_version', t.name, t.org_column);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION airlock_bump_org_version(%L)',
            t.name || '_version_truncate', t.name, t.org_column);
    END LOOP;
END
$$;

-- A destination's delivery lease changes every few seconds and no check reads it: only the
-- columns a check reads bump the version.
CREATE TRIGGER siem_destinations_version AFTER INSERT OR DELETE
    OR UPDATE OF id, org_id, is_active, filter_event_types, backlog ON siem_destinations
    FOR EACH ROW EXECUTE FUNCTION airlock_bump_org_version('org_id');
CREATE TRIGGER siem_destinations_version_truncate AFTER TRUNCATE ON siem_destinations
    FOR EACH STATEMENT EXECUTE FUNCTION airlock_bump_org_version('org_id');
