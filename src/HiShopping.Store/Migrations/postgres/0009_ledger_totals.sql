-- Version 9: each merchant's entry count and sum per ledger type, kept by a trigger on every append in the same
-- transaction, so a transactions page's total (all entries, or one type) reads a handful of rows instead of adding
-- up every day of ledger_daily. `db check` compares it with ledger_daily (which it compares with the ledger itself).
CREATE TABLE ledger_totals (
    merchant_id  BIGINT NOT NULL,
    type         TEXT NOT NULL,
    amount       BIGINT NOT NULL,      -- the sum of the merchant's entries of this type
    entries      BIGINT NOT NULL,      -- how many
    PRIMARY KEY (merchant_id, type)
);

INSERT INTO ledger_totals (merchant_id, type, amount, entries)
SELECT merchant_id, type, SUM(amount), SUM(entries) FROM ledger_daily GROUP BY merchant_id, type;

CREATE FUNCTION ledger_entries_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_totals (merchant_id, type, amount, entries) VALUES (NEW.merchant_id, NEW.type, NEW.amount, 1)
    ON CONFLICT (merchant_id, type) DO UPDATE SET amount = ledger_totals.amount + excluded.amount, entries = ledger_totals.entries + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_totals AFTER INSERT ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_entries_totals();
