-- The console's searches: sessions by latest activity, the decision log newest first (for the
-- whole organization, one agent, one session), each in the order its keyset pages walk.
CREATE INDEX sessions_activity ON sessions(org_id, last_activity_at, id);
CREATE INDEX decisions_time ON decisions(org_id, decided_at, session_id, seq, agent_id, effect, allowed,
    guard_tier, action_name);
CREATE INDEX decisions_agent_time ON decisions(org_id, agent_id, decided_at, session_id, seq);
CREATE INDEX decisions_session_time ON decisions(org_id, session_id, decided_at, seq);
