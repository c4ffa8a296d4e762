from agenttrustid import AgentTrustClient

client = AgentTrustClient.from_env()

agent = client.agents.create(
    name="migration-planner",
    framework="custom",
    capabilities=["db.schema.read", "db.query.read", "db.migration.plan"],
)

# Use the server ID returned by MCP server registration.
server_id = "mcp-server-id-from-dashboard"
session = client.sessions.init_session(
    agent_id=agent.id,
    server_id=server_id,
)

read = client.actions.check(
    agent_id=agent.id,
    session_id=session.session_id,
    tool_name="db.schema.read",
    tool_input_summary="Inspect accounts table columns.",
    action_effect="read",
)

drop = client.actions.check(
    agent_id=agent.id,
    session_id=session.session_id,
    tool_name="db.drop_database",
    tool_input_summary="DROP DATABASE production",
    action_effect="destructive",
)

assert read.allowed is True
assert drop.allowed is False
print(drop.reason)
