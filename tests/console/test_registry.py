"""The Agents, Servers and Policies pages in a real browser, against a real `airlock serve`.

- revoke an agent (with the confirmation dialog) and show that the published SDK's check of
  that agent is no longer allowed;
- add a policy with a syntax error, see its position, fix it and save;
- see a changed tool's difference and accept it.

Screenshots into docs/console/ when CONSOLE_SCREENSHOTS=1.

Fixtures (`airlock`, `signed_in_page`) come from tests/console/conftest.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

from playwright.sync_api import Page, expect  # noqa: E402

from support import Airlock, unique  # noqa: E402

SHOTS = HERE.parents[1] / "docs" / "console"


def shot(page: Page, name: str) -> None:
    if os.environ.get("CONSOLE_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False, type="png")


def test_revoking_an_agent_denies_its_checks(airlock: Airlock, signed_in_page: Page):
    page = signed_in_page
    client = airlock.client()
    agent = client.agents.create(name=unique("reporter"), framework="langchain", capabilities=["files.read"])
    client.agents.create(name=unique("billing"), capabilities=["db.read", "db.write"])
    server_id = client.mcp.register_server(
        name=unique("files"), url="http://127.0.0.1:9/mcp", capabilities=["files.read"]
    ).id
    session = client.sessions.init_session(agent_id=agent.id, server_id=server_id)

    def check():
        return client.actions.check(
            agent_id=agent.id, session_id=session.session_id, tool_name="files.read", action_effect="read"
        )

    assert check().allowed is True

    page.get_by_role("link", name="Agents").click()
    expect(page.get_by_role("link", name=agent.name)).to_be_visible()
    shot(page, "agents.png")
    page.get_by_role("link", name=agent.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(agent.name)

    # The script asks; dismissing changes nothing.
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Revoke agent").click()
    expect(page.get_by_role("button", name="Revoke agent")).to_be_visible()
    assert check().allowed is True

    page.get_by_label("Reason (optional)").fill("compromised laptop")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Revoke agent").click()
    expect(page.get_by_role("status")).to_contain_text("This agent is revoked")
    expect(page.get_by_role("button", name="Revoke agent")).to_have_count(0)

    after = check()
    assert after.allowed is False
    assert "revoked" in after.reason


def test_a_policy_error_is_shown_at_its_position_then_fixed(airlock: Airlock, signed_in_page: Page):
    page = signed_in_page
    page.get_by_role("link", name="Policies").click()
    page.get_by_role("link", name="New policy").click()
    page.get_by_label("Policy id").fill("no-drop")
    page.get_by_label("Description").fill("Never drop a table")
    bad = 'forbid (principal, action == Airlock::Action::"destructive", resource)\nwhen { context.statements.contains("drop_table") &&& true };'
    page.get_by_label("Cedar text").fill(bad)
    page.get_by_role("button", name="Create policy").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Line 2, column")
    expect(alert.locator("mark")).to_have_count(1)
    assert page.get_by_label("Cedar text").input_value() == bad, "the typed text is kept"
    shot(page, "policy-error.png")

    page.get_by_label("Cedar text").fill(bad.replace(" &&& true", ""))
    page.get_by_label("Log only (record what it would do, never change a verdict)").check()
    page.get_by_role("button", name="Create policy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policy no-drop")

    page.get_by_role("link", name="← Policies").click()
    row = page.get_by_role("row").filter(has_text="no-drop")
    expect(row).to_contain_text("log only")
    listed = airlock.http("GET", "/api/v1/policies").json["policies"]
    assert [(p["id"], p["mode"]) for p in listed] == [("no-drop", "log_only")]


def test_a_changed_tool_shows_its_diff_and_is_accepted(airlock: Airlock, signed_in_page: Page):
    page = signed_in_page
    r = airlock.http("POST", "/mcp/servers", body={"name": "bank-db", "url": "http://127.0.0.1:9/mcp", "approval_wait_secs": 30})
    assert r.status == 201, r.text
    server_id = r.json["id"]
    schema = {"type": "object", "properties": {"sql": {"type": "string"}}, "required": ["sql"]}
    first = {"name": "query", "description": "Runs a read-only SQL query.", "inputSchema": schema}
    changed = dict(first, description="Runs any SQL statement, including DROP and DELETE.")
    other = {"name": "list_tables", "description": "Lists the tables.", "inputSchema": {"type": "object"}}
    for tools in ([first, other], [changed, other]):
        r = airlock.http("POST", f"/api/v1/mcp/servers/{server_id}/tools/observe", body={"tools": tools})
        assert r.status == 200, r.text

    page.get_by_role("link", name="Servers").click()
    page.get_by_role("link", name="bank-db").click()
    tool = page.get_by_role("region", name="Tool query")
    expect(tool).to_contain_text("changed")
    expect(tool.locator("del")).to_contain_text("Runs a read-only SQL query.")
    expect(tool.locator("ins")).to_contain_text("including DROP and DELETE")
    tool.scroll_into_view_if_needed()
    shot(page, "server-diff.png")

    tool.get_by_role("button", name="Accept the new definition of query").click()
    tool = page.get_by_role("region", name="Tool query")
    expect(tool).to_contain_text("pinned")
    expect(tool.get_by_role("button")).to_have_count(0)
    pins = airlock.http("GET", f"/api/v1/mcp/servers/{server_id}/tools").json
    pins = pins.get("tools", pins) if isinstance(pins, dict) else pins
    query = next(p for p in pins if p["name"] == "query")
    assert query["status"] == "pinned"
    assert "DROP and DELETE" in query["definition"]["description"]
