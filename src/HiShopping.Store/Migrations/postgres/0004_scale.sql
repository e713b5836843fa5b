-- Version 4 (the twin of ../0004_scale.sql): reads that stay fast at 100,000 goods and 1,000,000 ledger entries.

-- Search: a tsvector of each active goods' unaccented title ('simple': no stemming, no stop words), kept by a trigger
-- in the same transaction as every goods write, GIN-indexed; a keyword's words are matched as prefixes (Search.TsQuery).
CREATE EXTENSION IF NOT EXISTS unaccent;
ALTER TABLE goods ADD COLUMN search tsvector;

CREATE FUNCTION goods_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := CASE WHEN NEW.status = 'active' THEN to_tsvector('simple', unaccent(NEW.title)) END;
    RETURN NEW;
END $$;
CREATE TRIGGER goods_search BEFORE INSERT OR UPDATE OF title, status ON goods
FOR EACH ROW EXECUTE FUNCTION goods_search();
UPDATE goods SET title = title;
CREATE INDEX ix_goods_search ON goods USING gin (search);

CREATE INDEX ix_goods_category_price ON goods (category_id, status, min_price, max_price);
CREATE INDEX ix_goods_category_created ON goods (category_id, status, created_at);
CREATE INDEX ix_goods_status_price ON goods (status, min_price, max_price, category_id);
CREATE INDEX ix_goods_status_price_desc ON goods (status, max_price, min_price, category_id);
CREATE INDEX ix_goods_status_created ON goods (status, created_at DESC, goods_id DESC);

CREATE INDEX ix_ledger_merchant_type ON ledger_entries (merchant_id, type, id);
CREATE INDEX ix_ledger_merchant_created ON ledger_entries (merchant_id, created_at);

ALTER TABLE credit_accounts ADD COLUMN total_credited BIGINT NOT NULL DEFAULT 0;  -- TOPUP + ADJUST
ALTER TABLE credit_accounts ADD COLUMN total_ordered BIGINT NOT NULL DEFAULT 0;   -- what ORDER entries debited (positive)
ALTER TABLE credit_accounts ADD COLUMN total_refunded BIGINT NOT NULL DEFAULT 0;  -- REFUND

CREATE TABLE ledger_daily (
    merchant_id  BIGINT NOT NULL,
    day          BIGINT NOT NULL,      -- whole days since 1970-01-01 UTC
    type         TEXT NOT NULL,
    amount       BIGINT NOT NULL,      -- the sum of the day's entries of this type
    entries      BIGINT NOT NULL,      -- how many
    PRIMARY KEY (merchant_id, day, type)
);

UPDATE credit_accounts SET
    total_credited = COALESCE((SELECT SUM(amount) FROM ledger_entries l WHERE l.merchant_id = credit_accounts.merchant_id AND l.type IN ('TOPUP', 'ADJUST')), 0),
    total_ordered = COALESCE((SELECT -SUM(amount) FROM ledger_entries l WHERE l.merchant_id = credit_accounts.merchant_id AND l.type = 'ORDER'), 0),
    total_refunded = COALESCE((SELECT SUM(amount) FROM ledger_entries l WHERE l.merchant_id = credit_accounts.merchant_id AND l.type = 'REFUND'), 0);

INSERT INTO ledger_daily (merchant_id, day, type, amount, entries)
SELECT merchant_id, created_at / 86400000, type, SUM(amount), COUNT(*) FROM ledger_entries GROUP BY merchant_id, created_at / 86400000, type;

CREATE FUNCTION ledger_entries_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE credit_accounts SET
        total_credited = total_credited + CASE WHEN NEW.type IN ('TOPUP', 'ADJUST') THEN NEW.amount ELSE 0 END,
        total_ordered = total_ordered - CASE WHEN NEW.type = 'ORDER' THEN NEW.amount ELSE 0 END,
        total_refunded = total_refunded + CASE WHEN NEW.type = 'REFUND' THEN NEW.amount ELSE 0 END
    WHERE merchant_id = NEW.merchant_id;
    INSERT INTO ledger_daily (merchant_id, day, type, amount, entries) VALUES (NEW.merchant_id, NEW.created_at / 86400000, NEW.type, NEW.amount, 1)
    ON CONFLICT (merchant_id, day, type) DO UPDATE SET amount = ledger_daily.amount + excluded.amount, entries = ledger_daily.entries + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_entries_rollup AFTER INSERT ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_entries_rollup();
