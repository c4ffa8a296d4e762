-- The pipeline step that decided (its wire name: `read_only`, `policy_forbid`, `allowed`, ...),
-- so the decision log can be searched by rule. Older rows keep an empty rule.
ALTER TABLE decisions ADD COLUMN rule TEXT NOT NULL DEFAULT '';
CREATE INDEX decisions_rule ON decisions(org_id, rule, decided_at);
