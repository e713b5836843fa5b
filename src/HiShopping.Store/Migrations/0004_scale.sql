-- Version 4: reads that stay fast at 100,000 goods and 1,000,000 ledger entries.

-- Search: an FTS5 index over the titles of the goods on sale, kept in step by triggers in the same transaction as
-- every goods write. unicode61 folds case and diacritics and splits on anything that is not a letter or a digit;
-- matching is by whole words and word prefixes ("head" finds "Headphones", never "Forehead"). Prefix indexes keep 2-
-- and 3-letter prefix queries cheap. Only active goods are indexed, so a search counts its matches in the index alone.
CREATE VIRTUAL TABLE goods_fts USING fts5(
    title,
    content = 'goods', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO goods_fts (rowid, title) SELECT rowid, title FROM goods WHERE status = 'active';

CREATE TRIGGER goods_fts_insert AFTER INSERT ON goods WHEN new.status = 'active'
BEGIN INSERT INTO goods_fts (rowid, title) VALUES (new.rowid, new.title); END;

CREATE TRIGGER goods_fts_delete AFTER DELETE ON goods WHEN old.status = 'active'
BEGIN INSERT INTO goods_fts (goods_fts, rowid, title) VALUES ('delete', old.rowid, old.title); END;

-- One trigger, so the old entry always leaves before the new one comes in.
CREATE TRIGGER goods_fts_update AFTER UPDATE OF title, status ON goods
BEGIN
    INSERT INTO goods_fts (goods_fts, rowid, title) SELECT 'delete', old.rowid, old.title WHERE old.status = 'active';
    INSERT INTO goods_fts (rowid, title) SELECT new.rowid, new.title WHERE new.status = 'active';
END;

-- Category pages sorted by price or age: per category for small subtrees, and in price order for large ones (the
-- price range and the category are then read from the index alone).
CREATE INDEX ix_goods_category_price ON goods (category_id, status, min_price, max_price);
CREATE INDEX ix_goods_category_created ON goods (category_id, status, created_at);
CREATE INDEX ix_goods_status_price ON goods (status, min_price, max_price, category_id);
CREATE INDEX ix_goods_status_price_desc ON goods (status, max_price, min_price, category_id);

-- Ledger lists: every documented filter served by an index, newest first.
CREATE INDEX ix_ledger_merchant_type ON ledger_entries (merchant_id, type, id);
CREATE INDEX ix_ledger_merchant_created ON ledger_entries (merchant_id, created_at);

-- Totals on the credit account and a per-day rollup, kept by a trigger on every ledger append (whoever appends), so
-- the credit overview, its 30-day chart and the lists' totals cost a few rows at any ledger size.
ALTER TABLE credit_accounts ADD COLUMN total_credited INTEGER NOT NULL DEFAULT 0;  -- TOPUP + ADJUST
ALTER TABLE credit_accounts ADD COLUMN total_ordered INTEGER NOT NULL DEFAULT 0;   -- what ORDER entries debited (positive)
ALTER TABLE credit_accounts ADD COLUMN total_refunded INTEGER NOT NULL DEFAULT 0;  -- REFUND

CREATE TABLE ledger_daily (
    merchant_id  INTEGER NOT NULL,
    day          INTEGER NOT NULL,      -- whole days since 1970-01-01 UTC
    type         TEXT NOT NULL,
    amount       INTEGER NOT NULL,      -- the sum of the day's entries of this type
    entries      INTEGER NOT NULL,      -- how many
    PRIMARY KEY (merchant_id, day, type)
) STRICT, WITHOUT ROWID;

UPDATE credit_accounts SET
    total_credited = COALESCE((SELECT SUM(amount) FROM ledger_entries l WHERE l.merchant_id = credit_accounts.merchant_id AND l.type IN ('TOPUP', 'ADJUST')), 0),
    total_ordered = COALESCE((SELECT -SUM(amount) FROM ledger_entries l WHERE l.merchant_id = credit_accounts.merchant_id AND l.type = 'ORDER'), 0),
    total_refunded = COALESCE((SELECT SUM(amount) FROM ledger_entries l WHERE l.merchant_id = credit_accounts.merchant_id AND l.type = 'REFUND'), 0);

INSERT INTO ledger_daily (merchant_id, day, type, amount, entries)
SELECT merchant_id, created_at / 86400000, type, SUM(amount), COUNT(*) FROM ledger_entries GROUP BY merchant_id, created_at / 86400000, type;

CREATE TRIGGER ledger_entries_rollup AFTER INSERT ON ledger_entries
BEGIN
    UPDATE credit_accounts SET
        total_credited = total_credited + CASE WHEN new.type IN ('TOPUP', 'ADJUST') THEN new.amount ELSE 0 END,
        total_ordered = total_ordered - CASE WHEN new.type = 'ORDER' THEN new.amount ELSE 0 END,
        total_refunded = total_refunded + CASE WHEN new.type = 'REFUND' THEN new.amount ELSE 0 END
    WHERE merchant_id = new.merchant_id;
    INSERT INTO ledger_daily (merchant_id, day, type, amount, entries) VALUES (new.merchant_id, new.created_at / 86400000, new.type, new.amount, 1)
    ON CONFLICT (merchant_id, day, type) DO UPDATE SET amount = amount + excluded.amount, entries = entries + 1;
END;
