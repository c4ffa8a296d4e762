"""Every console page is usable as the issue asks, checked in Chromium on real data (an agent, a
server, a session with decisions, a pending approval, a policy):

- every visible form control and button has an accessible name (label, aria-label, title or
  text), and every image an alt text;
- no page scrolls sideways at 375 px or at 1440 px, even with a long SQL input on the page;
- the approvals page works from the keyboard: Tab reaches the note field and the Approve
  button of a pending approval, and Enter on it decides the approval.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from support import unique
from test_approvals import agent_session

# Names of unnamed controls, computed in the page the way assistive tools do (simplified: the
# explicit sources of a name, then a button's text).
UNNAMED = """() => {
  const named = (el) => {
    if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.title) return true;
    if (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) return true;
    if (el.closest('label')) return true;
    if (el.tagName === 'BUTTON' || el.tagName === 'A') return el.textContent.trim().length > 0;
    if (el.tagName === 'INPUT' && ['submit', 'button'].includes(el.type)) return !!el.value;
    return false;
  };
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const bad = [];
  let checked = 0;
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
    if (el.type === 'hidden' || !visible(el)) continue;
    checked += 1;
    if (!named(el)) bad.push(el.outerHTML.slice(0, 120));
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) bad.push(img.outerHTML.slice(0, 120));
  }
  return {bad, checked};
}"""

SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"

LONG_SQL = "UPDATE accounts SET note = '" + ("x" * 9000) + "' WHERE id > 0;\nDROP TABLE accounts;"


def world(airlock) -> dict:
    agent, session, run_sql = agent_session(airlock)
    pending = run_sql(LONG_SQL)
    assert pending.allowed is False and pending.approval_id, pending.reason
    run_sql("SELECT 1")
    policy = airlock.http("POST", "/api/v1/policies", body={
        "id": unique("policy"), "description": "no drops on payments",
        "text": 'forbid (principal, action == Airlock::Action::"destructive", resource) '
                'when { context.tables.contains("payments") };',
        "mode": "enforce"})
    assert policy.status == 201, policy.text
    servers = airlock.http("GET", "/mcp/servers")
    server_id = servers.json["servers"][0]["id"]
    return {
        "approval": pending.approval_id,
        "pages": [
            "/console/approvals",
            f"/console/approvals/{pending.approval_id}",
            "/console/sessions",
            f"/console/sessions/{session.session_id}",
            "/console/decisions",
            "/console/agents",
            f"/console/agents/{agent.id}",
            "/console/servers",
            f"/console/servers/{server_id}",
            "/console/policies",
            f"/console/policies/{policy.json['id']}",
            "/console/reviewers",
            "/console/keys",
        ],
    }


def test_every_page_names_its_controls_and_fits_375_and_1440_px(signed_in_page: Page, airlock) -> None:
    page = signed_in_page
    w = world(airlock)
    for width in (375, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        for path in w["pages"]:
            resp = page.goto(airlock.url + path)
            assert resp is not None and resp.status == 200, (path, resp and resp.status)
            found = page.evaluate(UNNAMED)
            # The nav and the sign-out button at least: the check looked at something.
            assert found["checked"] >= 9, (path, width, found)
            assert found["bad"] == [], (path, width)
            overflow = page.evaluate(SIDEWAYS)
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def test_an_approval_is_decided_from_the_keyboard(signed_in_page: Page, airlock) -> None:
    page = signed_in_page
    w = world(airlock)
    page.goto(airlock.url + "/console/approvals/" + w["approval"])
    page.locator("body").focus()
    reached_note = reached_button = False
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; return [e.tagName, e.name || '', e.textContent.trim()]; }")
        if focused[0] == "TEXTAREA" or (focused[0] == "INPUT" and focused[1] == "note"):
            reached_note = True
            page.keyboard.type("checked from the keyboard")
        if focused[0] == "BUTTON" and focused[2] == "Approve":
            reached_button = True
            # Enter submits the form: wait for its answer before reading the approval.
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    assert reached_note, "Tab never reached the note field"
    assert reached_button, "Tab never reached the Approve button"
    r = airlock.http("GET", f"/mcp/approvals/{w['approval']}")
    assert r.json["status"] == "approved", r.text
    assert r.json.get("note") == "checked from the keyboard", r.text
