-- Version 9: each merchant's entry count and sum per ledger type, kept by a trigger on every append in the same
-- transaction, so a transactions page's total (all entries, or one type) reads a handful of rows instead of adding
-- up every day of ledger_daily (a row per day and type: thousands for a merchant of a few years). `db check`
-- compares it with ledger_daily (which it compares with the ledger itself).
CREATE TABLE ledger_totals (
    merchant_id  INTEGER NOT NULL,
    type         TEXT NOT NULL,
    amount       INTEGER NOT NULL,      -- the sum of the merchant's entries of this type
    entries      INTEGER NOT NULL,      -- how many
    PRIMARY KEY (merchant_id, type)
) STRICT, WITHOUT ROWID;

INSERT INTO ledger_totals (merchant_id, type, amount, entries)
SELECT merchant_id, type, SUM(amount), SUM(entries) FROM ledger_daily GROUP BY merchant_id, type;

CREATE TRIGGER ledger_entries_totals AFTER INSERT ON ledger_entries
BEGIN
    INSERT INTO ledger_totals (merchant_id, type, amount, entries) VALUES (new.merchant_id, new.type, new.amount, 1)
    ON CONFLICT (merchant_id, type) DO UPDATE SET amount = amount + excluded.amount, entries = entries + 1;
END;
