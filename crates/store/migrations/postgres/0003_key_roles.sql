-- API key roles. `admin` keys manage the organization and decide approvals; `agent` keys are
-- for the code an agent runs: they can ask for decisions but cannot approve their own
-- requests, accept changed tool definitions, or register agents and servers.
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
