using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Services;

public sealed record AuditReport(string Integrity, long Merchants, long Entries, long Orders, IReadOnlyList<string> Violations)
{
    public bool Ok => Integrity == "ok" && Violations.Count == 0;
}

/// <summary>Checks the database and every ledger invariant of SPEC §5; <c>hishop db check</c> and the tests use it.</summary>
public interface ILedgerAuditor
{
    /// <summary>
    /// Checks every invariant; with <paramref name="fileIntegrity"/> also SQLite's own integrity check of the whole file
    /// (what <c>db check</c> runs; a caller auditing after each of many small steps may leave it to the last one).
    /// </summary>
    AuditReport Check(bool fileIntegrity = true);
}

public sealed class LedgerAuditor(Db db) : ILedgerAuditor
{
    public AuditReport Check(bool fileIntegrity = true)
    {
        using var c = db.Open();
        // One read transaction: a consistent snapshot even while serve keeps writing.
        using var snapshot = c.BeginSnapshot();
        // SQLite checks its file; PostgreSQL's pages are the server's to check (data checksums, amcheck).
        var integrity = fileIntegrity && !c.Dialect().IsPostgres ? string.Join("; ", c.Query<string>("PRAGMA integrity_check", transaction: snapshot)) : "ok";
        var violations = new List<string>();

        // Streamed in (merchant, id) order beside the accounts: memory stays flat at any ledger size.
        var accounts = c.Query<Account>("SELECT merchant_id AS MerchantId, balance AS Balance, credit_limit AS CreditLimit FROM credit_accounts ORDER BY merchant_id",
            transaction: snapshot).AsList();
        var byId = accounts.ToDictionary(a => a.MerchantId);
        var seen = new HashSet<long>();
        long entryCount = 0, current = -1, previous = 0, sum = 0;
        void Finish(long merchantId, long last, long total)
        {
            if (!byId.TryGetValue(merchantId, out var account))
            {
                violations.Add($"merchant {merchantId}: ledger entries without a credit account");
                return;
            }
            CheckAccount(account, last, total, violations);
        }
        const string EntrySql = """
            SELECT merchant_id AS MerchantId, reference_no AS ReferenceNo, amount AS Amount, balance_before AS BalanceBefore, balance_after AS BalanceAfter
            FROM ledger_entries ORDER BY merchant_id, id
            """;
        foreach (var e in c.Query<EntryRow>(EntrySql, transaction: snapshot, buffered: false))
        {
            entryCount++;
            if (e.MerchantId != current)
            {
                if (current >= 0) Finish(current, previous, sum);
                current = e.MerchantId;
                seen.Add(current);
                previous = 0;
                sum = 0;
            }
            if (e.BalanceBefore != previous)
                violations.Add($"merchant {e.MerchantId}: entry {e.ReferenceNo} starts at {Money.Format(e.BalanceBefore)} but the previous entry ended at {Money.Format(previous)}");
            if (e.BalanceAfter != e.BalanceBefore + e.Amount)
                violations.Add($"merchant {e.MerchantId}: entry {e.ReferenceNo} does not add up ({Money.Format(e.BalanceBefore)} + {Money.Format(e.Amount)} != {Money.Format(e.BalanceAfter)})");
            previous = e.BalanceAfter;
            sum += e.Amount;
        }
        if (current >= 0) Finish(current, previous, sum);
        // Accounts with no entries at all must stand at zero.
        foreach (var account in accounts.Where(a => !seen.Contains(a.MerchantId))) CheckAccount(account, 0, 0, violations);

        const string OrderSql = """
            SELECT o.order_no AS OrderNo, o.merchant_id AS MerchantId, o.status AS Status, o.total_amount AS TotalAmount,
                   o.goods_amount AS GoodsAmount, o.fee AS Fee,
                   (SELECT COALESCE(SUM(i.amount), 0) FROM order_items i WHERE i.order_no = o.order_no) AS ItemsAmount,
                   (SELECT COUNT(*) FROM order_items i WHERE i.order_no = o.order_no AND i.amount <> i.unit_price * i.quantity) AS BadLines,
                   (SELECT COUNT(*) FROM ledger_entries l WHERE l.order_no = o.order_no AND l.type = 'ORDER') AS OrderEntries,
                   (SELECT COALESCE(SUM(l.amount), 0) FROM ledger_entries l WHERE l.order_no = o.order_no AND l.type = 'ORDER') AS Debited,
                   (SELECT COUNT(*) FROM ledger_entries l WHERE l.order_no = o.order_no AND l.type = 'REFUND') AS RefundEntries,
                   (SELECT COALESCE(SUM(l.amount), 0) FROM ledger_entries l WHERE l.order_no = o.order_no AND l.type = 'REFUND') AS Refunded,
                   (SELECT COUNT(*) FROM ledger_entries l WHERE l.order_no = o.order_no AND l.merchant_id <> o.merchant_id) AS ForeignEntries
            FROM orders o ORDER BY o.id
            """;
        long orderCount = 0;
        foreach (var o in c.Query<OrderCheck>(OrderSql, transaction: snapshot, buffered: false))
        {
            orderCount++;
            if (o.Fee < 0) violations.Add($"order {o.OrderNo}: negative fee {Money.Format(o.Fee)}");
            if (o.GoodsAmount < 0) violations.Add($"order {o.OrderNo}: negative goods amount {Money.Format(o.GoodsAmount)}");
            if ((decimal)o.TotalAmount != (decimal)o.GoodsAmount + o.Fee)
                violations.Add($"order {o.OrderNo}: total {Money.Format(o.TotalAmount)} is not goods {Money.Format(o.GoodsAmount)} + fee {Money.Format(o.Fee)}");
            if (o.ItemsAmount != o.GoodsAmount)
                violations.Add($"order {o.OrderNo}: goods amount {Money.Format(o.GoodsAmount)} is not the sum of its lines {Money.Format(o.ItemsAmount)}");
            if (o.BadLines > 0) violations.Add($"order {o.OrderNo}: {o.BadLines} line(s) whose amount is not unit price × quantity");
            if (o.OrderEntries != 1) violations.Add($"order {o.OrderNo}: {o.OrderEntries} ORDER entries (exactly one expected)");
            else if (o.Debited != -o.TotalAmount) violations.Add($"order {o.OrderNo}: debited {Money.Format(-o.Debited)} for a total of {Money.Format(o.TotalAmount)}");
            if (o.RefundEntries > 1) violations.Add($"order {o.OrderNo}: {o.RefundEntries} REFUND entries (at most one allowed)");
            if (o.Status == "cancelled" && (o.RefundEntries != 1 || o.Refunded != o.TotalAmount))
                violations.Add($"order {o.OrderNo}: cancelled but refunded {Money.Format(o.Refunded)} of {Money.Format(o.TotalAmount)}");
            if (o.Status != "cancelled" && o.RefundEntries > 0) violations.Add($"order {o.OrderNo}: refunded while {o.Status}");
            if (o.ForeignEntries > 0) violations.Add($"order {o.OrderNo}: ledger entries of another merchant");
        }
        var strays = c.Query<string>("SELECT reference_no FROM ledger_entries l WHERE l.order_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_no = l.order_no)",
            transaction: snapshot);
        violations.AddRange(strays.Select(r => $"entry {r}: names an order that does not exist"));
        CheckRollups(c, snapshot, violations);

        return new AuditReport(integrity, accounts.Count, entryCount, orderCount, violations);
    }

    /// <summary>
    /// The balance is the last entry's balance_after and the sum of all amounts, and not below the floor. The floor is
    /// checked on the balance now: an old entry may sit below today's floor if the limit was lowered since (lowering is
    /// refused only when the balance now would fall below it).
    /// </summary>
    private static void CheckAccount(Account account, long lastAfter, long sum, List<string> violations)
    {
        if (account.Balance != lastAfter)
            violations.Add($"merchant {account.MerchantId}: balance {Money.Format(account.Balance)} differs from the last entry's balance_after {Money.Format(lastAfter)}");
        if (account.Balance != sum)
            violations.Add($"merchant {account.MerchantId}: balance {Money.Format(account.Balance)} differs from the sum of its entries {Money.Format(sum)}");
        if (account.Balance < -account.CreditLimit)
            violations.Add($"merchant {account.MerchantId}: balance {Money.Format(account.Balance)} is below -credit_limit {Money.Format(-account.CreditLimit)}");
    }

    /// <summary>
    /// The counters the reads rely on, recomputed from the ledger: each day's sums and counts per merchant and type
    /// (ledger_daily), the totals on each credit account and each merchant's totals per type (ledger_totals), which must
    /// equal the days added up.
    /// </summary>
    private static void CheckRollups(System.Data.IDbConnection c, System.Data.IDbTransaction snapshot, List<string> violations)
    {
        const string DailySql = """
            SELECT r.merchant_id AS MerchantId, r.day AS Day, r.type AS Type, r.amount AS Amount, r.entries AS Entries,
                   d.amount AS KeptAmount, d.entries AS KeptEntries
            FROM (SELECT merchant_id, created_at / 86400000 AS day, type, SUM(amount) AS amount, COUNT(*) AS entries
                  FROM ledger_entries GROUP BY merchant_id, created_at / 86400000, type) r
            LEFT JOIN ledger_daily d ON d.merchant_id = r.merchant_id AND d.day = r.day AND d.type = r.type
            WHERE d.amount IS DISTINCT FROM r.amount OR d.entries IS DISTINCT FROM r.entries
            UNION ALL
            SELECT d.merchant_id, d.day, d.type, 0, 0, d.amount, d.entries FROM ledger_daily d
            WHERE NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.merchant_id = d.merchant_id AND l.type = d.type
                              AND l.created_at >= d.day * 86400000 AND l.created_at < (d.day + 1) * 86400000)
            LIMIT 100
            """;
        foreach (var d in c.Query<RollupCheck>(DailySql, transaction: snapshot))
        {
            var day = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)d.Day!.Value).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            violations.Add($"merchant {d.MerchantId}: the {d.Type} rollup of {day} says {Money.Format(d.KeptAmount ?? 0)} in {d.KeptEntries ?? 0} entries; the ledger has {Money.Format(d.Amount)} in {d.Entries}");
        }
        const string TotalsSql = """
            SELECT * FROM (SELECT a.merchant_id AS MerchantId, a.total_credited AS Credited, a.total_ordered AS Ordered, a.total_refunded AS Refunded,
                   COALESCE(SUM(CASE WHEN d.type IN ('TOPUP', 'ADJUST') THEN d.amount END), 0) AS DaysCredited,
                   COALESCE(-SUM(CASE WHEN d.type = 'ORDER' THEN d.amount END), 0) AS DaysOrdered,
                   COALESCE(SUM(CASE WHEN d.type = 'REFUND' THEN d.amount END), 0) AS DaysRefunded
            FROM credit_accounts a LEFT JOIN ledger_daily d ON d.merchant_id = a.merchant_id
            GROUP BY a.merchant_id) AS t
            WHERE Credited <> DaysCredited OR Ordered <> DaysOrdered OR Refunded <> DaysRefunded
            LIMIT 100
            """;
        foreach (var t in c.Query<TotalsCheck>(TotalsSql, transaction: snapshot))
            violations.Add($"merchant {t.MerchantId}: the account's totals (credited {Money.Format(t.Credited)}, ordered {Money.Format(t.Ordered)}, refunded {Money.Format(t.Refunded)}) differ from the ledger's ({Money.Format(t.DaysCredited)}, {Money.Format(t.DaysOrdered)}, {Money.Format(t.DaysRefunded)})");
        // ledger_totals (the transactions pages' totals) against the days added up, both ways.
        const string TypeTotalsSql = """
            SELECT d.merchant_id AS MerchantId, d.type AS Type, d.amount AS Amount, d.entries AS Entries, t.amount AS KeptAmount, t.entries AS KeptEntries
            FROM (SELECT merchant_id, type, SUM(amount) AS amount, SUM(entries) AS entries FROM ledger_daily GROUP BY merchant_id, type) d
            LEFT JOIN ledger_totals t ON t.merchant_id = d.merchant_id AND t.type = d.type
            WHERE t.amount IS DISTINCT FROM d.amount OR t.entries IS DISTINCT FROM d.entries
            UNION ALL
            SELECT t.merchant_id, t.type, 0, 0, t.amount, t.entries FROM ledger_totals t
            WHERE NOT EXISTS (SELECT 1 FROM ledger_daily d WHERE d.merchant_id = t.merchant_id AND d.type = t.type)
            LIMIT 100
            """;
        foreach (var t in c.Query<RollupCheck>(TypeTotalsSql, transaction: snapshot))
            violations.Add($"merchant {t.MerchantId}: the {t.Type} total says {Money.Format(t.KeptAmount ?? 0)} in {t.KeptEntries ?? 0} entries; the ledger has {Money.Format(t.Amount)} in {t.Entries}");
    }

    /// <summary>A kept count and sum (a day's, or a type's over all days: no <see cref="Day"/>) against the recount.</summary>
    private sealed record RollupCheck
    {
        public long MerchantId { get; init; }
        public long? Day { get; init; }
        public required string Type { get; init; }
        public long Amount { get; init; }
        public long Entries { get; init; }
        public long? KeptAmount { get; init; }
        public long? KeptEntries { get; init; }
    }

    private sealed record TotalsCheck
    {
        public long MerchantId { get; init; }
        public long Credited { get; init; }
        public long Ordered { get; init; }
        public long Refunded { get; init; }
        public long DaysCredited { get; init; }
        public long DaysOrdered { get; init; }
        public long DaysRefunded { get; init; }
    }

    private sealed record EntryRow
    {
        public long MerchantId { get; init; }
        public required string ReferenceNo { get; init; }
        public long Amount { get; init; }
        public long BalanceBefore { get; init; }
        public long BalanceAfter { get; init; }
    }

    private sealed record Account
    {
        public long MerchantId { get; init; }
        public long Balance { get; init; }
        public long CreditLimit { get; init; }
    }

    private sealed record OrderCheck
    {
        public required string OrderNo { get; init; }
        public long MerchantId { get; init; }
        public required string Status { get; init; }
        public long TotalAmount { get; init; }
        public long GoodsAmount { get; init; }
        public long Fee { get; init; }
        public long ItemsAmount { get; init; }
        public long BadLines { get; init; }
        public long OrderEntries { get; init; }
        public long Debited { get; init; }
        public long RefundEntries { get; init; }
        public long Refunded { get; init; }
        public long ForeignEntries { get; init; }
    }
}
