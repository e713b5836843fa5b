"""The ledger's rollups recomputed from the ledger itself, for the bench fillers that write entries straight into SQLite.

hishop keeps them in the transaction of every append (Ledger.Move and Ledger.Record); a filler that bypasses the
service recomputes them for the merchants it wrote, the way migrations 0004 and 0009 first filled them, so that
`hishop db check` (which adds the ledger up and compares) stays green.
"""


def recompute(con, merchant_ids):
    for mid in merchant_ids:
        con.execute(
            "UPDATE credit_accounts SET"
            " total_credited = COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE merchant_id = ?1 AND type IN ('TOPUP', 'ADJUST')), 0),"
            " total_ordered = COALESCE((SELECT -SUM(amount) FROM ledger_entries WHERE merchant_id = ?1 AND type = 'ORDER'), 0),"
            " total_refunded = COALESCE((SELECT SUM(amount) FROM ledger_entries WHERE merchant_id = ?1 AND type = 'REFUND'), 0)"
            " WHERE merchant_id = ?1", (mid,))
        con.execute("DELETE FROM ledger_daily WHERE merchant_id = ?", (mid,))
        con.execute(
            "INSERT INTO ledger_daily (merchant_id, day, type, amount, entries) SELECT merchant_id, created_at / 86400000, type,"
            " SUM(amount), COUNT(*) FROM ledger_entries WHERE merchant_id = ? GROUP BY merchant_id, created_at / 86400000, type", (mid,))
        con.execute("DELETE FROM ledger_totals WHERE merchant_id = ?", (mid,))
        con.execute(
            "INSERT INTO ledger_totals (merchant_id, type, amount, entries) SELECT merchant_id, type, SUM(amount), COUNT(*)"
            " FROM ledger_entries WHERE merchant_id = ? GROUP BY merchant_id, type", (mid,))
