-- HiShopping schema, version 1. Money is INTEGER minor units, time is INTEGER Unix milliseconds UTC.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('merchant', 'operator')),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    token_version  INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE merchants (
    id                  INTEGER PRIMARY KEY,
    user_id             INTEGER NOT NULL UNIQUE REFERENCES users (id),
    company_name        TEXT NOT NULL,
    contact_name        TEXT,
    contact_phone       TEXT,
    contact_email       TEXT,
    country             TEXT,
    address             TEXT,
    website             TEXT,
    bank_name           TEXT,
    bank_account_name   TEXT,
    bank_account_enc    BLOB,
    bank_account_last4  TEXT,
    bank_swift          TEXT,
    fee_rate_bps        INTEGER NOT NULL DEFAULT 0 CHECK (fee_rate_bps BETWEEN 0 AND 10000),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;

CREATE TABLE apps (
    id                    INTEGER PRIMARY KEY,
    merchant_id           INTEGER NOT NULL UNIQUE REFERENCES merchants (id),
    app_id                TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    notify_url            TEXT,
    ip_whitelist          TEXT NOT NULL DEFAULT '[]',
    api_key_hash          TEXT UNIQUE,
    api_key_prefix        TEXT,
    api_key_last4         TEXT,
    api_key_created_at    INTEGER,
    api_key_last_used_at  INTEGER,
    sign_key_enc          BLOB,
    sign_key_created_at   INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) STRICT;

CREATE TABLE credit_accounts (
    merchant_id   INTEGER PRIMARY KEY REFERENCES merchants (id),
    balance       INTEGER NOT NULL DEFAULT 0,
    credit_limit  INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit >= 0),
    currency      TEXT NOT NULL DEFAULT 'USD',
    updated_at    INTEGER NOT NULL,
    CHECK (balance >= -credit_limit)
) STRICT;

CREATE TABLE ledger_entries (
    id              INTEGER PRIMARY KEY,
    merchant_id     INTEGER NOT NULL REFERENCES merchants (id),
    reference_no    TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL CHECK (type IN ('TOPUP', 'ORDER', 'REFUND', 'ADJUST')),
    amount          INTEGER NOT NULL,
    balance_before  INTEGER NOT NULL,
    balance_after   INTEGER NOT NULL CHECK (balance_after = balance_before + amount),
    order_no        TEXT,
    memo            TEXT,
    operator_id     INTEGER REFERENCES users (id),
    created_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_ledger_merchant ON ledger_entries (merchant_id, id);
CREATE UNIQUE INDEX ux_ledger_order_once ON ledger_entries (order_no, type) WHERE order_no IS NOT NULL;

-- The ledger is append-only.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TABLE categories (
    category_id  TEXT PRIMARY KEY,
    parent_id    TEXT REFERENCES categories (category_id),
    name         TEXT NOT NULL,
    sort_order   INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_categories_parent ON categories (parent_id);

CREATE TABLE goods (
    goods_id     TEXT PRIMARY KEY,
    category_id  TEXT NOT NULL REFERENCES categories (category_id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    thumb_url    TEXT,
    images       TEXT NOT NULL DEFAULT '[]',
    attributes   TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    min_price    INTEGER NOT NULL DEFAULT 0,
    max_price    INTEGER NOT NULL DEFAULT 0,
    sku_count    INTEGER NOT NULL DEFAULT 0,
    total_stock  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_goods_category ON goods (category_id);
CREATE INDEX ix_goods_min_price ON goods (min_price);
CREATE INDEX ix_goods_created ON goods (created_at);

CREATE TABLE skus (
    sku_id      TEXT PRIMARY KEY,
    goods_id    TEXT NOT NULL REFERENCES goods (goods_id),
    spec        TEXT NOT NULL DEFAULT '{}',
    price       INTEGER NOT NULL CHECK (price >= 0),
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    image       TEXT,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_skus_goods ON skus (goods_id);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    order_no           TEXT NOT NULL UNIQUE,
    merchant_id        INTEGER NOT NULL REFERENCES merchants (id),
    merchant_order_no  TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('paid', 'processing', 'shipped', 'delivered', 'cancelled')),
    goods_amount       INTEGER NOT NULL,
    fee                INTEGER NOT NULL,
    total_amount       INTEGER NOT NULL,
    currency           TEXT NOT NULL DEFAULT 'USD',
    item_count         INTEGER NOT NULL,
    shipping           TEXT NOT NULL,
    remark             TEXT,
    carrier            TEXT,
    tracking_no        TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (merchant_id, merchant_order_no)
) STRICT;

CREATE INDEX ix_orders_merchant ON orders (merchant_id, created_at);
CREATE INDEX ix_orders_status ON orders (status);

CREATE TABLE order_items (
    id          INTEGER PRIMARY KEY,
    order_no    TEXT NOT NULL REFERENCES orders (order_no),
    sku_id      TEXT NOT NULL,
    goods_id    TEXT NOT NULL,
    title       TEXT NOT NULL,
    spec        TEXT NOT NULL DEFAULT '{}',
    unit_price  INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    amount      INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_order_items_order ON order_items (order_no);

CREATE TABLE order_history (
    id        INTEGER PRIMARY KEY,
    order_no  TEXT NOT NULL REFERENCES orders (order_no),
    status    TEXT NOT NULL,
    note      TEXT,
    at        INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_order_history_order ON order_history (order_no, id);

CREATE TABLE revoked_tokens (
    jti         TEXT PRIMARY KEY,
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE used_nonces (
    app_id      TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (app_id, nonce)
) STRICT;
