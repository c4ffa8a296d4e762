-- Fewer index pages written per decision (issue 14). `decisions_agent_time` was the costliest
-- index a decision entered: keyed by agent, each decision's entry lands in the middle of the
-- tree, where a full leaf is split with its neighbours; on the benchmark's mix it was 2.0 of
-- the 5.7 WAL pages a check wrote. And it was never read: without statistics (Airlock does
-- not run ANALYZE) the planner walks `decisions_time` for an agent's search too, newest first,
-- the agent read from the index itself (EXPLAIN QUERY PLAN).
DROP INDEX IF EXISTS decisions_agent_time;
