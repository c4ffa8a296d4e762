"""The console's Sessions and Decisions pages in a real browser (Chromium via Playwright)
against a real `airlock serve`, with decisions made by the published SDK (`agenttrustid`).

Sign in, open the sessions list, open a session and see its decision log, press "Verify chain"
and see the chain intact; search the decision log for denials and see only denials. With
CONSOLE_SCREENSHOTS=1 it also writes docs/console/session.png and docs/console/decisions.png.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from support import Airlock, unique

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = os.environ.get("CONSOLE_SCREENSHOTS") == "1"


def make_decisions(airlock: Airlock):
    """An agent allowed to read and write files, in a session on a registered server: two
    reads, and two deletes its ceiling refuses. Returns (agent, session id)."""
    client = airlock.client()
    caps = ["files.read", "files.write"]
    agent = client.agents.create(name=unique("agent"), capabilities=caps)
    server_id = client.mcp.register_server(
        name=unique("server"), url="http://127.0.0.1:9/mcp", capabilities=caps
    ).id
    session = client.sessions.init_session(agent_id=agent.id, server_id=server_id)
    verdicts = []
    for tool, effect in [
        ("files.read", "read"),
        ("files.delete", "destructive"),
        ("files.read", "read"),
        ("files.delete", "destructive"),
    ]:
        r = client.actions.check(
            agent_id=agent.id,
            session_id=session.session_id,
            tool_name=tool,
            tool_input_summary=f"{tool} /tmp/report.txt",
            action_effect=effect,
        )
        verdicts.append(r.allowed)
    assert verdicts == [True, False, True, False], verdicts
    return agent, session.session_id


def test_sessions_decisions_and_chain_verification(airlock: Airlock, signed_in_page: Page):
    page = signed_in_page
    agent, session_id = make_decisions(airlock)

    # The sessions list shows the session, with its counters.
    page.get_by_role("link", name="Sessions", exact=True).click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    row = page.locator("table.sessions tbody tr", has_text=session_id)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(4)).to_have_text("4")
    expect(row.locator("td").nth(5)).to_have_text("2")

    # Filtering by its agent keeps it; by activity "idle" drops it (it just ran).
    page.get_by_label("Agent").select_option(agent.id)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.sessions tbody tr", has_text=session_id)).to_have_count(1)
    page.get_by_label("Activity").select_option("idle")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No sessions match.")).to_be_visible()
    page.get_by_label("Activity").select_option("active")
    page.get_by_role("button", name="Filter").click()

    # The session's page: its facts and its decision log, newest first.
    page.get_by_role("link", name=session_id).click()
    expect(page.get_by_role("heading", name=f"Session {session_id}")).to_be_visible()
    rows = page.locator("table.decisions tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("4")
    expect(rows.nth(0)).to_contain_text("files.delete")
    expect(rows.nth(0)).to_contain_text("denied")
    expect(rows.nth(3)).to_contain_text("allowed")
    expect(page.locator("dl.facts")).to_contain_text("files.write")

    # Verify chain: intact, four entries.
    page.get_by_role("button", name="Verify chain").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Chain intact")
    expect(status).to_contain_text("4 entries")
    if SCREENSHOTS:
        shot(page, "session.png")

    # The decision log, denials only: every row is a denial and links to its session.
    page.get_by_role("link", name="Decisions", exact=True).click()
    page.get_by_label("Verdict").select_option("denied")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.decisions tbody tr")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i)).to_have_attribute("data-verdict", "denied")
        expect(rows.nth(i).get_by_role("link", name=session_id)).to_be_visible()
    assert "verdict=denied" in page.url
    page.get_by_label("Verdict").select_option("allowed")
    page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(2)
    expect(page.locator('tr[data-verdict="denied"]')).to_have_count(0)

    # Action prefix search.
    page.get_by_label("Verdict").select_option("")
    page.get_by_label("Action", exact=True).fill("files.del")
    page.get_by_label("Action match").select_option("prefix")
    page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(2)
    if SCREENSHOTS:
        page.get_by_label("Action", exact=True).fill("")
        page.get_by_role("button", name="Search").click()
        expect(rows).to_have_count(4)
        shot(page, "decisions.png")

    # At 375 px the decision table stacks into cards: no horizontal scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/console/sessions/{session_id}")
    expect(page.locator("table.decisions tbody tr")).to_have_count(4)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    page.set_viewport_size({"width": 1440, "height": 900})

    # A session that is not the organization's: a 404 page.
    resp = page.goto("/console/sessions/sess_not_ours")
    assert resp is not None and resp.status == 404


def shot(page: Page, name: str) -> None:
    out = REPO / "docs" / "console" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=False)
    size = out.stat().st_size
    assert size < 300_000, f"{name} is {size} bytes"
