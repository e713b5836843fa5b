#!/usr/bin/env python3
"""Append N ledger entries to one merchant's ledger, the way years of top-ups and adjustments would leave it.

    bench/fill-ledger.py DB EMAIL N [DAYS]

The entries continue the merchant's chain (balance_before = previous balance_after), the credit account's
balance is moved to the last balance_after and the ledger's rollups are recomputed, so `hishop db check`
stays green. Types: 10 % TOPUP, 90 % ADJUST
(small debits and credits), spread evenly over the last DAYS days (default 730). Written straight into
SQLite in one transaction: the point is a big ledger fast, not the service path (that is what the order
benchmark measures).
"""
import random
import sqlite3
import sys
import time

import ledger_rollups

db, email, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
days = int(sys.argv[4]) if len(sys.argv) > 4 else 730
rng = random.Random(20261129)
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=OFF")
mid = con.execute(
    "SELECT m.id FROM merchants m JOIN users u ON u.id = m.user_id WHERE u.email = ?", (email,)).fetchone()
if mid is None:
    sys.exit(f"fill-ledger: no merchant for {email}")
mid = mid[0]
operator = con.execute("SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1").fetchone()
operator = operator[0] if operator else None
row = con.execute(
    "SELECT balance_after FROM ledger_entries WHERE merchant_id = ? ORDER BY id DESC LIMIT 1", (mid,)).fetchone()
balance = row[0] if row else 0
limit = con.execute("SELECT credit_limit FROM credit_accounts WHERE merchant_id = ?", (mid,)).fetchone()[0]

now_ms = int(time.time() * 1000)
start_ms = now_ms - days * 86_400_000
step = (now_ms - start_ms) / max(n, 1)
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def rows():
    global balance
    for i in range(n):
        at = int(start_ms + i * step)
        if i % 10 == 0:
            kind, amount, memo = "TOPUP", rng.randint(100_00, 5_000_00), "bench top-up"
        else:
            kind, memo = "ADJUST", "bench adjustment"
            amount = rng.randint(-50_00, 50_00) or 1
            if balance + amount < -limit:
                amount = -amount
        ref = "CR" + time.strftime("%Y%m%d", time.gmtime(at / 1000)) + "".join(rng.choice(alphabet) for _ in range(14))
        before = balance
        balance += amount
        yield (mid, ref, kind, amount, before, balance, memo, operator, at)


con.execute("BEGIN")
con.executemany(
    "INSERT INTO ledger_entries (merchant_id, reference_no, type, amount, balance_before, balance_after, memo,"
    " operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
con.execute("UPDATE credit_accounts SET balance = ?, updated_at = ? WHERE merchant_id = ?", (balance, now_ms, mid))
ledger_rollups.recompute(con, [mid])
con.execute("COMMIT")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
total = con.execute("SELECT COUNT(*) FROM ledger_entries WHERE merchant_id = ?", (mid,)).fetchone()[0]
print(f"fill-ledger: {email} has {total} ledger entries, balance {balance / 100:.2f}")
