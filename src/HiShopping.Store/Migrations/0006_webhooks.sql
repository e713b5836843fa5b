-- Version 6: webhooks. Each event is a row of this outbox, written in the same transaction as the change it reports
-- (an order and its order.paid commit together or not at all); serve's dispatcher delivers them to the app's
-- notify_url and records each attempt here, so delivery survives restarts.
CREATE TABLE webhook_events (
    id               INTEGER PRIMARY KEY,
    event_id         TEXT NOT NULL UNIQUE,     -- evt_…: the payload's id, kept by every redelivery
    merchant_id      INTEGER NOT NULL REFERENCES merchants (id),
    type             TEXT NOT NULL,
    payload          TEXT NOT NULL,            -- the exact body sent: {id, type, created_at, data}
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,                  -- while pending
    last_status_code INTEGER,                  -- of the last attempt's response, if one came
    last_error       TEXT,                     -- why the last attempt failed, in words
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER,
    updated_at       INTEGER NOT NULL
) STRICT;

-- A merchant's events go out in order: the dispatcher takes the oldest pending event of each merchant, from the pending
-- events alone (delivered history costs nothing there). The lists read (merchant, id) and (merchant, status, id).
CREATE INDEX ix_webhook_events_pending ON webhook_events (merchant_id, id) WHERE status = 'pending';
CREATE INDEX ix_webhook_events_merchant ON webhook_events (merchant_id, status, id);

-- credit.low: sent when available credit (balance + credit limit) falls below this, once per crossing; null = never.
ALTER TABLE apps ADD COLUMN low_credit_threshold INTEGER CHECK (low_credit_threshold IS NULL OR low_credit_threshold >= 0);
