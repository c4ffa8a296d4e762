-- Pinned MCP tool definitions (rug-pull defence). A pin records a tool's definition the first
-- time it is seen; a later different definition is kept as pending and the tool is `changed`
-- until an operator accepts it.
CREATE TABLE tool_pins (
    org_id             TEXT COLLATE "C" NOT NULL,
    server_id          TEXT COLLATE "C" NOT NULL,
    name               TEXT COLLATE "C" NOT NULL,
    definition         TEXT NOT NULL,
    digest             TEXT NOT NULL,
    status             TEXT NOT NULL,
    pending_definition TEXT,
    pending_digest     TEXT,
    pinned_at          TEXT COLLATE "C" NOT NULL,
    changed_at         TEXT COLLATE "C",
    PRIMARY KEY (org_id, server_id, name)
);
