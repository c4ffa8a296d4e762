-- SIEM streaming (docs/siem.md). A destination's auth token is stored encrypted with a key
-- kept outside the database (`enc:v1:` + hex of nonce and ciphertext) and only its last four
-- characters in clear, for the masked answer. `backlog` is the outbox count the delivery
-- worker last saw: a check reads it to drop events over the bound without counting rows.
-- `lease_owner`/`lease_until`: the one replica delivering this destination until then.
CREATE TABLE siem_destinations (
    id                     TEXT COLLATE "C" PRIMARY KEY,
    org_id                 TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
    name                   TEXT NOT NULL,
    destination_type       TEXT NOT NULL,
    endpoint_url           TEXT NOT NULL,
    auth_token             TEXT NOT NULL,
    token_hint             TEXT NOT NULL,
    is_active              BOOLEAN NOT NULL,
    batch_size             BIGINT NOT NULL,
    flush_interval_seconds BIGINT NOT NULL,
    filter_event_types     TEXT NOT NULL,
    created_at             TEXT COLLATE "C" NOT NULL,
    updated_at             TEXT COLLATE "C" NOT NULL,
    backlog                BIGINT NOT NULL DEFAULT 0,
    lease_owner            TEXT COLLATE "C",
    lease_until            TEXT COLLATE "C"
);
CREATE INDEX siem_destinations_org ON siem_destinations(org_id, is_active);

-- Events waiting for delivery, written in the decision's own transaction; a row is deleted
-- only after its destination answered 2xx. Delivered in id order (rows of one session are
-- written under that session's row lock, so their ids follow their commit order).
CREATE TABLE siem_outbox (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination_id TEXT COLLATE "C" NOT NULL,
    org_id         TEXT COLLATE "C" NOT NULL,
    session_id     TEXT COLLATE "C" NOT NULL,
    seq            BIGINT NOT NULL,
    check_id       TEXT COLLATE "C" NOT NULL,
    event_type     TEXT NOT NULL,
    event          TEXT NOT NULL,
    created_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX siem_outbox_destination ON siem_outbox(destination_id, id);

-- Every delivery attempt (GET /api/v1/siem/destinations/{id}/logs).
CREATE TABLE siem_deliveries (
    id             TEXT COLLATE "C" PRIMARY KEY,
    org_id         TEXT COLLATE "C" NOT NULL,
    destination_id TEXT COLLATE "C" NOT NULL,
    batch_size     BIGINT NOT NULL,
    status         TEXT NOT NULL,
    status_code    BIGINT NOT NULL,
    error_message  TEXT NOT NULL,
    delivered_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX siem_deliveries_destination ON siem_deliveries(destination_id, delivered_at);
