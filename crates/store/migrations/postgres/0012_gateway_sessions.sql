-- The MCP gateway's own session of an agent on a server: one per (organization, agent,
-- server), found by that key rather than by an id anyone could compute. Its session id is
-- random; the primary key keeps two first requests (or two replicas) from creating two.
CREATE TABLE gateway_sessions (
    org_id     TEXT COLLATE "C" NOT NULL,
    agent_id   TEXT COLLATE "C" NOT NULL,
    server_id  TEXT COLLATE "C" NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, agent_id, server_id)
);
