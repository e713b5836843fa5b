-- Version 5 (the twin of ../0005_order_lists.sql): order lists that stay fast at 10,000 merchants and 1,000,000 orders
-- (newest first, by id). PostgreSQL's indexes do not carry the id as SQLite's carry the rowid: it is named.
CREATE INDEX ix_orders_merchant_id ON orders (merchant_id, id);
CREATE INDEX ix_orders_merchant_status ON orders (merchant_id, status, id);
CREATE INDEX ix_orders_status_id ON orders (status, id);
CREATE INDEX ix_orders_created ON orders (created_at);
CREATE INDEX ix_orders_merchant_order_no ON orders (merchant_order_no text_pattern_ops);
CREATE INDEX ix_orders_order_no_pattern ON orders (order_no text_pattern_ops);
