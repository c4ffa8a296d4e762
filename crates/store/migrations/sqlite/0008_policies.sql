-- Spot Guard: each organization's Cedar policies (current version), every version kept, and a
-- generation counter that changes with every policy change (caches of compiled policies are
-- keyed by it, so every replica sees a change on its next request).
CREATE TABLE policies (
    org_id      TEXT NOT NULL,
    id          TEXT NOT NULL,
    description TEXT NOT NULL,
    text        TEXT NOT NULL,
    mode        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE TABLE policy_versions (
    org_id      TEXT NOT NULL,
    policy_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    change      TEXT NOT NULL,
    description TEXT NOT NULL,
    text        TEXT NOT NULL,
    mode        TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, policy_id, version)
);
CREATE TABLE policy_generations (
    org_id     TEXT NOT NULL PRIMARY KEY,
    generation INTEGER NOT NULL
);
