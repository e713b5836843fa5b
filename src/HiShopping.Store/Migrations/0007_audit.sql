-- Version 7: the operators' audit log. Every change an operator makes through the Operator API (/api/v1/admin) or the
-- local console's operator screens is a row here: who, when, what and on what. Money moves also name the operator on
-- their ledger entry (ledger_entries.operator_id), in the same commit as the move.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES users (id),   -- the operator; null for the CLI (whoever has the data directory)
    action    TEXT NOT NULL,                   -- e.g. "user.unlock", "credit.topup", "order.cancel"
    target    TEXT NOT NULL                    -- what it acted on: "user 12", "merchant 3", "order HS…"
) STRICT;

CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, id);
