-- Fewer index pages written per decision (issue 14; the SQLite migration of the same number
-- says what it cost): no `decisions_agent_time`. An agent's search walks `decisions_time`,
-- newest first, the agent read from the index itself, as the log's other filters do.
DROP INDEX IF EXISTS decisions_agent_time;
