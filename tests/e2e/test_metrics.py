"""`GET /metrics` of the real binary: valid OpenMetrics text that moves with SDK traffic, no
organization, agent or session id in it, and `--metrics false` turns it off."""

from __future__ import annotations

from prometheus_client.openmetrics.parser import text_string_to_metric_families

from support import Airlock
from test_sdk_flows import agent_and_session, checker


def scrape(airlock: Airlock) -> dict:
    """The exposition parsed by the reference parser (which rejects invalid text): sample
    name and sorted labels -> value."""
    r = airlock.http("GET", "/metrics", key=None)
    assert r.status == 200, r.text
    ctype = r.headers.get("Content-Type") or r.headers.get("content-type") or ""
    assert ctype.startswith("application/openmetrics-text"), ctype
    samples = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples, r.text


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_move_with_sdk_checks(airlock: Airlock):
    before, _ = scrape(airlock)
    assert value(before, "airlock_approvals_pending") == 0
    client, agent, _, session = agent_and_session(
        airlock, caps=["files.read", "files.delete"], default_mode="standard"
    )
    check = checker(client, agent, session)
    read = check("files.read", "read", "path=/srv/a.txt")
    assert read.allowed is True
    delete = check("files.delete", "destructive", "path=/srv/a.txt")
    assert delete.allowed is False and delete.approval_id

    after, text = scrape(airlock)
    read_series = dict(effect="read", allowed="true", rule="allowed", guard_tier="fast")
    assert value(after, "airlock_decisions_total", **read_series) == (
        value(before, "airlock_decisions_total", **read_series) + 1
    )
    denied = sum(
        v
        for (name, labels), v in after.items()
        if name == "airlock_decisions_total" and dict(labels).get("effect") == "destructive"
        and dict(labels).get("allowed") == "false"
    )
    assert denied == 1, text
    checks = value(after, "airlock_check_duration_seconds_count")
    assert checks - value(before, "airlock_check_duration_seconds_count") == 2
    assert value(after, "airlock_check_duration_seconds_bucket", le="+Inf") == checks
    assert value(after, "airlock_approvals_pending") == 1
    assert value(after, "airlock_store_batch_size_count") >= 1
    assert value(after, "airlock_store_commit_duration_seconds_count") == value(
        after, "airlock_store_batch_size_count"
    )
    for secret in (agent.id, session.session_id, airlock.key):
        assert secret not in text


def test_metrics_false_turns_the_route_off(airlock_factory):
    airlock = airlock_factory("--metrics", "false")
    r = airlock.http("GET", "/metrics", key=None)
    assert r.status == 404, r.text
    assert airlock.http("GET", "/health", key=None).status == 200
