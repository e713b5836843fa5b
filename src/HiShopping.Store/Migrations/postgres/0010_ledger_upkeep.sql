-- Version 10: the ledger's rollups (the account's totals, ledger_daily, ledger_totals) are kept by the code that appends
-- entries (Ledger.Move and Ledger.Record, the only writer of ledger_entries), in the same transaction, instead of by
-- triggers, as on SQLite (where a trigger cost every append a statement journal). `db check` still adds the ledger up
-- and compares every rollup with it.
DROP TRIGGER IF EXISTS ledger_entries_rollup ON ledger_entries;
DROP FUNCTION IF EXISTS ledger_entries_rollup();
DROP TRIGGER IF EXISTS ledger_entries_totals ON ledger_entries;
DROP FUNCTION IF EXISTS ledger_entries_totals();
