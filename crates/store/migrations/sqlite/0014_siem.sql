-- SIEM streaming (docs/siem.md). A destination's auth token is stored encrypted with a key
-- kept outside the database (`enc:v1:` + hex of nonce and ciphertext) and only its last four
-- characters in clear, for the masked answer. `backlog` is the outbox count the delivery
-- worker last saw: a check reads it to drop events over the bound without counting rows.
-- `lease_owner`/`lease_until`: the one replica delivering this destination until then.
CREATE TABLE siem_destinations (
    id                     TEXT PRIMARY KEY,
    org_id                 TEXT NOT NULL REFERENCES orgs(id),
    name                   TEXT NOT NULL,
    destination_type       TEXT NOT NULL,
    endpoint_url           TEXT NOT NULL,
    auth_token             TEXT NOT NULL,
    token_hint             TEXT NOT NULL,
    is_active              INTEGER NOT NULL,
    batch_size             INTEGER NOT NULL,
    flush_interval_seconds INTEGER NOT NULL,
    filter_event_types     TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    backlog                INTEGER NOT NULL DEFAULT 0,
    lease_owner            TEXT,
    lease_until            TEXT
);
CREATE INDEX siem_destinations_org ON siem_destinations(org_id, is_active);

-- Events waiting for delivery, written in the decision's own transaction; a row is deleted
-- only after its destination answered 2xx. Delivered in id order.
CREATE TABLE siem_outbox (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    destination_id TEXT NOT NULL,
    org_id         TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    check_id       TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    event          TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX siem_outbox_destination ON siem_outbox(destination_id, id);

-- Every delivery attempt (GET /api/v1/siem/destinations/{id}/logs).
CREATE TABLE siem_deliveries (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    batch_size     INTEGER NOT NULL,
    status         TEXT NOT NULL,
    status_code    INTEGER NOT NULL,
    error_message  TEXT NOT NULL,
    delivered_at   TEXT NOT NULL
);
CREATE INDEX siem_deliveries_destination ON siem_deliveries(destination_id, delivered_at);
