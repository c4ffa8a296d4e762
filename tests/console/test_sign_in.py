"""Signing in and out of the console, CSRF, the sign-in rate limit and the Keys page, in
Chromium against a real `airlock serve`."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import http, new_key, sign_in


def session_cookie(page: Page) -> dict:
    cookies = [c for c in page.context.cookies() if c["name"] == "airlock_console"]
    assert len(cookies) == 1, page.context.cookies()
    return cookies[0]


def test_sign_in_with_the_bootstrap_key(page: Page, airlock) -> None:
    page.goto("/console/keys")
    # Not signed in: the sign-in page, which brings the person back afterwards.
    expect(page).to_have_url(re.compile(r"/console/sign-in\?next=/console/keys$"))
    expect(page.get_by_label("API key")).to_have_attribute("type", "password")
    expect(page.get_by_label("API key")).to_have_attribute("autocomplete", "off")
    page.get_by_label("API key").fill(airlock.key)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console/keys$"))
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    nav = page.get_by_role("navigation", name="Console")
    for entry in ["Approvals", "Sessions", "Decisions", "Agents", "Servers", "Policies", "Reviewers", "Keys"]:
        expect(nav.get_by_role("link", name=entry, exact=True)).to_be_visible()
    expect(page.locator(".org")).to_have_text("default")
    cookie = session_cookie(page)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/console"
    assert cookie["secure"] is False  # plain http on loopback, no https public URL


def test_a_wrong_key_is_refused(page: Page) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("API key").fill("sk_live_" + "0" * 64)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("That key was not accepted")
    assert not [c for c in page.context.cookies() if c["name"] == "airlock_console"]
    page.goto("/console/approvals")
    expect(page).to_have_url(re.compile(r"/console/sign-in"))


def test_an_agent_key_is_refused(page: Page, agent_key: str) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("API key").fill(agent_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "This key is an agent key; sign in with an admin key."
    )
    assert not [c for c in page.context.cookies() if c["name"] == "airlock_console"]


def test_a_form_post_without_the_csrf_token_is_refused(signed_in_page: Page) -> None:
    page = signed_in_page
    # The page's own request context carries the session cookie, but not the form's token.
    r = page.request.post("/console/sign-out", form={}, max_redirects=0)
    assert r.status == 403, r.status
    assert "form has expired" in r.text()
    r = page.request.post("/console/keys", form={"name": "x", "role": "admin"}, max_redirects=0)
    assert r.status == 403, r.status
    # Still signed in, and no key was made.
    page.goto("/console/keys")
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    expect(page.get_by_role("cell", name="x", exact=True)).to_have_count(0)


def test_sign_out_ends_the_session(signed_in_page: Page, browser, airlock) -> None:
    page = signed_in_page
    old = session_cookie(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    assert not [c for c in page.context.cookies() if c["name"] == "airlock_console"]
    # The old cookie, replayed in another profile, no longer opens anything.
    other = browser.new_context(base_url=airlock.url)
    try:
        other.add_cookies([{k: old[k] for k in ("name", "value", "domain", "path")}])
        p = other.new_page()
        p.goto("/console/keys")
        expect(p).to_have_url(re.compile(r"/console/sign-in\?next="))
    finally:
        other.close()


def test_failed_sign_ins_are_rate_limited(page: Page, airlock) -> None:
    page.goto("/console/sign-in")
    for i in range(10):
        r = page.request.post("/console/sign-in", form={"api_key": f"sk_live_wrong{i}"}, max_redirects=0)
        assert r.status == 401, (i, r.status)
    r = page.request.post("/console/sign-in", form={"api_key": "sk_live_wrong"}, max_redirects=0)
    assert r.status == 429
    retry = int(r.headers["retry-after"])
    assert 1 <= retry <= 60
    # Even the right key waits out the window from this address; the page says why.
    page.get_by_label("API key").fill(airlock.key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("too many failed sign-ins")
    assert not [c for c in page.context.cookies() if c["name"] == "airlock_console"]


def test_keys_page_creates_a_key_shown_once_and_revokes_it(signed_in_page: Page, airlock) -> None:
    page = signed_in_page
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Keys").click()
    expect(page).to_have_url(re.compile(r"/console/keys$"))
    page.get_by_label("Name").fill("ci-runner")
    page.get_by_label("Role").select_option("agent")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_role("heading", name="Key created")).to_be_visible()
    key = page.locator("#new-key").inner_text().strip()
    assert re.fullmatch(r"sk_live_[0-9a-f]{64}", key), key
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    expect(page.get_by_text("only time it is shown")).to_be_visible()
    # The key works against the API (an agent key: not refused as unknown).
    assert http("GET", f"{airlock.url}/api/v1/agents", key=key).status != 401

    # Listed by prefix only, never again in full.
    page.get_by_role("link", name="Back to keys").click()
    row = page.locator("tr", has_text="ci-runner")
    expect(row).to_contain_text("agent")
    expect(row).to_contain_text("active")
    assert key not in page.content()

    # Revoking asks first; dismissing keeps the key.
    page.once("dialog", lambda d: d.dismiss())
    row.get_by_role("button", name="Revoke ci-runner").click()
    expect(row).to_contain_text("active")
    assert http("GET", f"{airlock.url}/api/v1/agents", key=key).status != 401

    seen: list[str] = []

    def accept(d) -> None:
        seen.append(d.message)
        d.accept()

    page.once("dialog", accept)
    row.get_by_role("button", name="Revoke ci-runner").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    expect(page.locator("tr", has_text="ci-runner")).to_contain_text("revoked")
    assert seen and "ci-runner" in seen[0]
    assert http("GET", f"{airlock.url}/api/v1/agents", key=key).status == 401


def test_the_signed_in_key_cannot_revoke_itself_and_a_revoked_key_ends_its_session(
    page: Page, browser, airlock
) -> None:
    second = new_key(airlock, "admin", "second-admin")
    sign_in(page, second)
    page.goto("/console/keys")
    own = page.locator("tr", has_text="second-admin")
    expect(own).to_contain_text("signed in with this key")
    expect(own.get_by_role("button")).to_have_count(0)
    # The bootstrap admin, in another profile, revokes the second key…
    other = browser.new_context(base_url=airlock.url)
    try:
        p = other.new_page()
        sign_in(p, airlock.key)
        p.goto("/console/keys")
        p.once("dialog", lambda d: d.accept())
        p.get_by_role("button", name="Revoke second-admin").click()
        expect(p.get_by_role("status")).to_contain_text("revoked")
    finally:
        other.close()
    # …and the session it had started ends on its next request.
    page.goto("/console/keys")
    expect(page).to_have_url(re.compile(r"/console/sign-in\?next="))


def test_console_false_turns_the_console_off(airlock_factory) -> None:
    off = airlock_factory("--console", "false")
    assert http("GET", f"{off.url}/console/sign-in").status == 404
    assert http("GET", f"{off.url}/health").status == 200
    on = airlock_factory("--console", "true")
    r = http("GET", f"{on.url}/console/sign-in")
    assert r.status == 200 and "API key" in r.text
    assert r.headers.get("Content-Security-Policy", r.headers.get("content-security-policy", "")).startswith(
        "default-src 'self'"
    )
