-- Version 5: order lists that stay fast at 10,000 merchants and 1,000,000 orders (newest first, by id).
-- An index on (a, b) also holds the rowid (the order's id) last, so each of these gives its filter's orders in id
-- order, and a page reads PageSize rows of it: all orders (the table), one merchant's, one status, both.
CREATE INDEX ix_orders_merchant_id ON orders (merchant_id);
CREATE INDEX ix_orders_merchant_status ON orders (merchant_id, status);
-- Date ranges across merchants (the operator's list); one merchant's ranges use ix_orders_merchant (merchant_id, created_at).
CREATE INDEX ix_orders_created ON orders (created_at);
-- The keyword finds orders by the start of their number or of the merchant's own number; order_no has its unique
-- index, and merchant_order_no one of its own across merchants (one merchant's use the UNIQUE (merchant_id, …) one).
CREATE INDEX ix_orders_merchant_order_no ON orders (merchant_order_no);
