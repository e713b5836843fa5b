#!/usr/bin/env python3
"""Give a store MERCHANTS more merchants and ORDERS orders among them, the way a busy platform would hold them.

    bench/fill-orders.py DB MERCHANTS ORDERS [DAYS]

Each new merchant (bench-N@hishop.local, the demo merchant's password) gets a user, a credit account, an app and
one top-up; the orders are spread over the last DAYS days (default 365) in time order, a fifth of them to the
store's first merchant (the demo merchant: a big merchant for the Web API's lists) and the rest to random new ones, one
line each on real SKUs of the catalog (any SKU id if the catalog is empty). Every order has its ORDER entry in its
merchant's ledger chain and a history row; 10 % are cancelled with their REFUND; the rest are paid, processing,
shipped or delivered. Balances end at each chain's last balance_after and the ledger's rollups are recomputed, so
`hishop db check` stays green. Written straight into SQLite in one transaction: the point is a big store fast, not the
service path.
"""
import random
import sqlite3
import sys
import time

import ledger_rollups

db, merchant_count, order_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
days = int(sys.argv[4]) if len(sys.argv) > 4 else 365
rng = random.Random(20261129)
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=OFF")
con.execute("PRAGMA cache_size=-262144")
alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
now_ms = int(time.time() * 1000)
start_ms = now_ms - days * 86_400_000


def number(prefix, at):
    return prefix + time.strftime("%Y%m%d", time.gmtime(at / 1000)) + "".join(rng.choice(alphabet) for _ in range(14))


demo = con.execute("SELECT password_hash FROM users WHERE role = 'merchant' ORDER BY id LIMIT 1").fetchone()
password_hash = demo[0] if demo else "none"
skus = con.execute("SELECT s.sku_id, s.goods_id, g.title, s.spec, s.price FROM skus s JOIN goods g ON g.goods_id = s.goods_id"
                   " WHERE s.price > 0 LIMIT 5000").fetchall() or [("SKU-BENCH", "G-BENCH", "Bench goods", "{}", 1999)]

con.execute("BEGIN")
first = (con.execute("SELECT COALESCE(MAX(id), 0) FROM users").fetchone()[0]) + 1
merchants = []  # (merchant_id, balance)
for i in range(merchant_count):
    at = start_ms - 86_400_000
    email = f"bench-{first + i}@hishop.local"
    user_id = con.execute("INSERT INTO users (email, password_hash, role, created_at, updated_at) VALUES (?, ?, 'merchant', ?, ?)",
                          (email, password_hash, at, at)).lastrowid
    merchant_id = con.execute("INSERT INTO merchants (user_id, company_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                              (user_id, f"Bench Shop {first + i}", at, at)).lastrowid
    con.execute("INSERT INTO credit_accounts (merchant_id, balance, updated_at) VALUES (?, 0, ?)", (merchant_id, at))
    con.execute("INSERT INTO apps (merchant_id, app_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (merchant_id, f"app_bench{merchant_id:08d}", "Bench app", at, at))
    merchants.append(merchant_id)

big = con.execute("SELECT MIN(id) FROM merchants WHERE id NOT IN (%s)" % ",".join(map(str, merchants or [0]))).fetchone()[0]
balances = {}
for merchant_id in merchants + ([big] if big else []):
    row = con.execute("SELECT balance_after FROM ledger_entries WHERE merchant_id = ? ORDER BY id DESC LIMIT 1", (merchant_id,)).fetchone()
    balances[merchant_id] = row[0] if row else 0

ledger = []


def entry(merchant_id, kind, amount, order_no, memo, at):
    before = balances[merchant_id]
    balances[merchant_id] = before + amount
    ledger.append((merchant_id, number("CR", at), kind, amount, before, before + amount, order_no, memo, at))


for merchant_id in balances:
    entry(merchant_id, "TOPUP", 1_000_000_000_00 if merchant_id == big else 10_000_000_00, None, "bench top-up", start_ms - 3_600_000)

statuses = ["paid", "processing", "shipped", "shipped", "delivered", "delivered", "delivered", "delivered", "delivered"]
step = (now_ms - start_ms) / max(order_count, 1)
orders, items, history = [], [], []
for n in range(order_count):
    at = int(start_ms + n * step)
    merchant_id = big if big and rng.random() < 0.2 else rng.choice(merchants)
    sku_id, goods_id, title, spec, price = rng.choice(skus)
    quantity = rng.randint(1, 3)
    total = price * quantity
    order_no = number("HS", at)
    status = "cancelled" if n % 10 == 9 else rng.choice(statuses)
    shipped = status in ("shipped", "delivered")
    orders.append((order_no, merchant_id, f"BENCH-{n}", status, total, 0, total, 1,
                   '{"Name":"Bench Buyer","Phone":"+1 555 0100","Country":"US","State":"CA","City":"Benchville","Address1":"1 Bench St","Address2":null,"PostalCode":"94000"}',
                   "UPS" if shipped else None, f"1Z{n:016d}" if shipped else None, at, at))
    items.append((order_no, sku_id, goods_id, title, spec, price, quantity, total))
    history.append((order_no, "paid", "placed", at))
    entry(merchant_id, "ORDER", -total, order_no, None, at)
    if status == "cancelled":
        entry(merchant_id, "REFUND", total, order_no, "cancelled", at + 1)
        history.append((order_no, "cancelled", "bench", at + 1))
    if len(orders) >= 50_000 or n == order_count - 1:
        con.executemany("INSERT INTO orders (order_no, merchant_id, merchant_order_no, status, goods_amount, fee, total_amount,"
                        " item_count, shipping, carrier, tracking_no, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", orders)
        con.executemany("INSERT INTO order_items (order_no, sku_id, goods_id, title, spec, unit_price, quantity, amount)"
                        " VALUES (?,?,?,?,?,?,?,?)", items)
        con.executemany("INSERT INTO order_history (order_no, status, note, at) VALUES (?,?,?,?)", history)
        con.executemany("INSERT INTO ledger_entries (merchant_id, reference_no, type, amount, balance_before, balance_after,"
                        " order_no, memo, created_at) VALUES (?,?,?,?,?,?,?,?,?)", ledger)
        orders, items, history, ledger = [], [], [], []

con.executemany("UPDATE credit_accounts SET balance = ?, updated_at = ? WHERE merchant_id = ?",
                [(b, now_ms, m) for m, b in balances.items()])
ledger_rollups.recompute(con, balances)
con.execute("COMMIT")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
total_merchants = con.execute("SELECT COUNT(*) FROM merchants").fetchone()[0]
total_orders = con.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
print(f"fill-orders: {total_merchants} merchants, {total_orders} orders")
