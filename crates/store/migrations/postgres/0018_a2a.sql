-- Agent-to-agent work (docs/a2a.md): agents' signed A2A cards and the tasks of the A2A gateway.
--
-- An agent's card, as generated and signed (JSON text, exactly as served). `endpoint_url` is
-- the agent's own A2A endpoint the gateway forwards to (NULL: tasks stay in Airlock's store).
-- Only a published card is served at the public `/a2a/agents/{id}/agent.json`.
CREATE TABLE agent_cards (
    org_id       TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    agent_id     TEXT COLLATE "C" NOT NULL,
    card         TEXT NOT NULL,
    endpoint_url TEXT,
    published    BOOLEAN NOT NULL,
    published_at TEXT COLLATE "C",
    created_at   TEXT COLLATE "C" NOT NULL,
    updated_at   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, agent_id)
);
CREATE INDEX agent_cards_agent ON agent_cards(agent_id);

-- A task of the A2A gateway. `state` follows the A2A lifecycle; a terminal state (completed,
-- canceled, failed, rejected) is never changed again (the update says so in its WHERE).
-- `protocol` is the shape the task is answered in: `v1` (message/send) or `legacy`
-- (tasks/send). Messages, history, artifacts and metadata are JSON text.
CREATE TABLE a2a_tasks (
    id               TEXT COLLATE "C" PRIMARY KEY,
    org_id           TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    context_id       TEXT COLLATE "C" NOT NULL,
    source_agent_id  TEXT COLLATE "C" NOT NULL,
    target_agent_id  TEXT COLLATE "C" NOT NULL,
    session_id       TEXT COLLATE "C" NOT NULL,
    protocol         TEXT NOT NULL,
    state            TEXT NOT NULL,
    message          TEXT NOT NULL,
    history          TEXT NOT NULL,
    artifacts        TEXT NOT NULL,
    metadata         TEXT NOT NULL,
    upstream_task_id TEXT,
    created_at       TEXT COLLATE "C" NOT NULL,
    updated_at       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX a2a_tasks_org ON a2a_tasks(org_id, created_at);
