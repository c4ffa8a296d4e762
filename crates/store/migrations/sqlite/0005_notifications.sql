-- Approvals keep what a person needs to decide them: the call's whole input (call approvals
-- only, as JSON, at most 64 KiB; NULL when larger or for an elevation), the classifier's
-- reasons, and the note the decider wrote.
ALTER TABLE approvals ADD COLUMN input TEXT;
ALTER TABLE approvals ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE approvals ADD COLUMN note TEXT;

-- Where an organization is told about each new approval. The secret signs every delivery
-- (X-Airlock-Signature) and is never returned by the API.
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    format     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id, created_at);
