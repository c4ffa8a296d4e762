-- The Deep tier's reviewers of each organization, in order, as one JSON list (`PUT
-- /api/v1/reviewers` replaces it whole). Webhook secrets are kept here because they sign each
-- request; LLM API keys are not: the list names the environment variable or file that holds them.
CREATE TABLE reviewer_sets (
    org_id     TEXT NOT NULL PRIMARY KEY,
    reviewers  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
