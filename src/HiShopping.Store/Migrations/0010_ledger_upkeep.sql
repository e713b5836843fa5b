-- Version 10: the ledger's rollups (the account's totals, ledger_daily, ledger_totals) are kept by the code that appends
-- entries (Ledger.Move and Ledger.Record, the only writer of ledger_entries), in the same transaction, instead of by
-- triggers. On SQLite a trigger on ledger_entries made every append keep a statement journal (a copy of each page it
-- changed, so that the statement could be undone alone); together with RETURNING that was a fifth of what SQLite did for
-- an order. `db check` still adds the ledger up and compares every rollup with it.
DROP TRIGGER IF EXISTS ledger_entries_rollup;
DROP TRIGGER IF EXISTS ledger_entries_totals;
