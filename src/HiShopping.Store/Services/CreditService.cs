using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Webhooks;

namespace HiShopping.Store.Services;

public sealed record DailyCredit(string Date, long Credited, long Spent, long Refunded);

public sealed record CreditSummary
{
    public long MerchantId { get; init; }
    public long Balance { get; init; }
    public long CreditLimit { get; init; }
    public long Available => Balance + CreditLimit;
    public long TotalCredited { get; init; }
    public long TotalConsumed { get; init; }
    public long TotalRefunded { get; init; }
    public required string Currency { get; init; }
    public required string Status { get; init; }
    public required IReadOnlyList<DailyCredit> Last30Days { get; init; }

    /// <summary>total_consumed / total_credited, 0 when nothing was credited; four decimals.</summary>
    public decimal Utilization => TotalCredited <= 0 ? 0m : Math.Round((decimal)TotalConsumed / TotalCredited, 4);
}

public sealed record TransactionQuery : KeysetQuery
{
    public string? Type { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }

    /// <summary>Leave the total out (0): an export that walks every page needs no count per page.</summary>
    public bool SkipTotal { get; init; }
}

/// <summary>Credit accounts: reads for merchants, and the operator's top-ups, adjustments, limits and fee rates.</summary>
public interface ICreditService
{
    CreditSummary Summary(long merchantId);
    PageOf<LedgerEntry> Transactions(long merchantId, TransactionQuery query);
    LedgerEntry TopUp(long merchantId, long amount, string? memo, long? operatorId);
    LedgerEntry Adjust(long merchantId, long amount, string memo, long? operatorId);
    CreditSummary SetLimit(long merchantId, long creditLimit);
    void SetFeeRate(long merchantId, int feeRateBps);
}

public sealed class CreditService(Db db, TimeProvider clock, Outbox outbox) : ICreditService
{
    public CreditSummary Summary(long merchantId)
    {
        const string Sql = """
            SELECT a.merchant_id AS MerchantId, a.balance AS Balance, a.credit_limit AS CreditLimit, a.currency AS Currency,
                   CASE WHEN m.status = 'active' AND u.status = 'active' THEN 'active' ELSE 'disabled' END AS Status,
                   a.total_credited AS TotalCredited, a.total_ordered - a.total_refunded AS TotalConsumed, a.total_refunded AS TotalRefunded
            FROM credit_accounts a JOIN merchants m ON m.id = a.merchant_id JOIN users u ON u.id = m.user_id
            WHERE a.merchant_id = @merchantId
            """;
        // The totals and the chart come from what every ledger append maintains in its transaction (credit_accounts'
        // totals and ledger_daily, see Ledger): a handful of rows at any ledger size. The rollup's rows (a day number, a
        // type and that day's sum) are added up here, which costs less than grouping and formatting them in SQL.
        const string DailySql = "SELECT day, type, amount FROM ledger_daily WHERE merchant_id = @merchantId AND day >= @firstDay";
        using var c = db.Open();
        SummaryRow row;
        using (var account = c.Cached(null, Sql).With("@merchantId", merchantId).ExecuteReader())
        {
            if (!account.Read()) throw new HiShopException(ErrorCode.NotFound, "This merchant has no credit account.");
            row = new SummaryRow
            {
                MerchantId = account.GetInt64(0), Balance = account.GetInt64(1), CreditLimit = account.GetInt64(2), Currency = account.GetString(3),
                Status = account.GetString(4), TotalCredited = account.GetInt64(5), TotalConsumed = account.GetInt64(6), TotalRefunded = account.GetInt64(7),
            };
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var firstDay = today.DayNumber - 29L - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber; // days since 1970-01-01
        var credited = new long[30];
        var spent = new long[30];
        var refunded = new long[30];
        using (var rows = c.Cached(null, DailySql).With("@merchantId", merchantId).With("@firstDay", firstDay).ExecuteReader())
            while (rows.Read()) // 30 days × up to 4 types, read by position (Dapper's mapping would box each number)
            {
                var i = rows.GetInt64(0) - firstDay;
                if (i is < 0 or >= 30) continue; // a day after today: the store's clock went back
                var amount = rows.GetInt64(2);
                switch (rows.GetString(1))
                {
                    case LedgerTypes.TopUp or LedgerTypes.Adjust: credited[i] = checked(credited[i] + amount); break;
                    case LedgerTypes.Order: spent[i] = checked(spent[i] - amount); break;
                    case LedgerTypes.Refund: refunded[i] = checked(refunded[i] + amount); break;
                }
            }
        var days = new List<DailyCredit>(30);
        for (var i = 0; i < 30; i++)
            days.Add(new DailyCredit(today.AddDays(i - 29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), credited[i], spent[i], refunded[i]));
        return new CreditSummary
        {
            MerchantId = row.MerchantId, Balance = row.Balance, CreditLimit = row.CreditLimit, Currency = row.Currency,
            Status = row.Status, TotalCredited = row.TotalCredited, TotalConsumed = row.TotalConsumed,
            TotalRefunded = row.TotalRefunded, Last30Days = days,
        };
    }

    public PageOf<LedgerEntry> Transactions(long merchantId, TransactionQuery query)
    {
        Keyset? after = null;
        Validation.Check(v =>
        {
            query.CheckPaging(v);
            if (query.Type is not null && !LedgerTypes.All.Contains(query.Type)) v.Add("type", $"type must be one of: {string.Join(", ", LedgerTypes.All)}.");
            after = query.CheckCursor(v);
        });
        var timeOrder = query.From is not null || query.To is not null;
        var type = !string.IsNullOrEmpty(query.Type);
        var where = new StringBuilder("WHERE merchant_id = @merchantId");
        if (type) where.Append(" AND type = @type");
        if (query.From is not null) where.Append(" AND created_at >= @from");
        if (query.To is not null) where.Append(" AND created_at <= @to");
        if (after is { } cursor) where.Append(KeysetQuery.After(cursor, timeOrder));
        // With a date range the (merchant, created_at) index gives the page in order (ids grow with time); without
        // one, (merchant, id) or (merchant, type, id) does.
        var order = timeOrder ? "created_at DESC, id DESC" : "id DESC";

        // Kept statements (one per shape of filter, on each pooled handle): a page is parsed and planned once per
        // connection, not on every request.
        using var c = db.Open();
        var total = query.SkipTotal ? 0 : timeOrder ? RangeTotal(c, merchantId, query) : WithType(c.Cached(null,
            // Kept per merchant and type by every append (ledger_totals: a row per type).
            "SELECT COALESCE(SUM(entries), 0) FROM ledger_totals WHERE merchant_id = @merchantId" + (type ? " AND type = @type" : ""))
            .With("@merchantId", merchantId), query.Type).Long() ?? 0;
        var page = c.Cached(null, $"{Ledger.SelectEntry} {where} ORDER BY {order} LIMIT @limit OFFSET @offset")
            .With("@merchantId", merchantId).With("@limit", query.Probe).With("@offset", after is null ? query.Offset : 0);
        WithType(page, query.Type);
        if (query.From is { } from) page.With("@from", from);
        if (query.To is { } to) page.With("@to", to);
        if (after is not null)
        {
            page.With("@after", after.Id);
            if (timeOrder && after.At is { } at) page.With("@afterAt", at);
        }
        List<LedgerEntry> items;
        using (var rows = page.ExecuteReader()) items = Ledger.ReadEntries(rows);
        return query.ToPage(items, total, false, e => e.Id, timeOrder ? e => e.CreatedAt : null);
    }

    private static Statement WithType(Statement statement, string? type) =>
        string.IsNullOrEmpty(type) ? statement : statement.With("@type", type);

    /// <summary>
    /// The exact number of entries in a date range: the whole UTC days inside it from the daily rollup (a row per day
    /// and type), and the entries of the part-days at either end counted from the (merchant, created_at) index. A range
    /// of whole dates (<c>from</c>/<c>to</c> as dates) has no part-days; a range of years reads a row per day and type.
    /// </summary>
    private static long RangeTotal(DbConnection c, long merchantId, TransactionQuery query)
    {
        const long Day = Ledger.DayMs;
        // Entries are stamped by the store's clock: never before 1970, never after 9999. Bounds outside that (a client
        // may send any number of milliseconds) are brought to it first, so the day arithmetic below cannot overflow.
        const long Last = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
        var from = Math.Clamp(query.From ?? 0, 0, Last);
        var to = Math.Clamp(query.To ?? Last, -1, Last); // inclusive
        if (from > to) return 0;
        var firstDay = (from + Day - 1) / Day;          // the first whole day in the range
        var lastDay = (to + 1) / Day - 1;               // the last whole day
        var type = string.IsNullOrEmpty(query.Type) ? "" : " AND type = @type";
        if (firstDay > lastDay)
            return WithType(c.Cached(null, $"SELECT COUNT(*) FROM ledger_entries WHERE merchant_id = @merchantId{type} AND created_at >= @from AND created_at <= @to"),
                query.Type).With("@merchantId", merchantId).With("@from", from).With("@to", to).Long() ?? 0;
        return WithType(c.Cached(null, $"""
            SELECT (SELECT COALESCE(SUM(entries), 0) FROM ledger_daily WHERE merchant_id = @merchantId{type} AND day >= @firstDay AND day <= @lastDay)
                 + (SELECT COUNT(*) FROM ledger_entries WHERE merchant_id = @merchantId{type} AND created_at >= @from AND created_at < @headEnd)
                 + (SELECT COUNT(*) FROM ledger_entries WHERE merchant_id = @merchantId{type} AND created_at >= @tailStart AND created_at <= @to)
            """), query.Type).With("@merchantId", merchantId).With("@firstDay", firstDay).With("@lastDay", lastDay).With("@from", from)
            .With("@headEnd", firstDay * Day).With("@tailStart", (lastDay + 1) * Day).With("@to", to).Long() ?? 0;
    }

    public LedgerEntry TopUp(long merchantId, long amount, string? memo, long? operatorId)
    {
        Validation.Check(v =>
        {
            Rules.TopUpAmount(v, amount);
            Rules.Memo(v, memo, required: false);
        });
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var entry = Ledger.Append(c, t, merchantId, LedgerTypes.TopUp, amount, null, memo, operatorId, now);
            outbox.Entry(c, t, WebhookEventTypes.CreditTopUp, entry, now);
            return entry;
        });
    }

    public LedgerEntry Adjust(long merchantId, long amount, string memo, long? operatorId)
    {
        Validation.Check(v =>
        {
            Rules.AdjustAmount(v, amount);
            Rules.Memo(v, memo, required: true);
        });
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var entry = Ledger.Append(c, t, merchantId, LedgerTypes.Adjust, amount, null, memo, operatorId, now);
            outbox.Entry(c, t, WebhookEventTypes.CreditAdjusted, entry, now);
            return entry;
        });
    }

    public CreditSummary SetLimit(long merchantId, long creditLimit)
    {
        Validation.Check(v => Rules.CreditLimit(v, creditLimit));
        db.Write((c, t) =>
        {
            const string Sql = "UPDATE credit_accounts SET credit_limit = @creditLimit, updated_at = @now WHERE merchant_id = @merchantId AND balance >= -@creditLimit";
            var now = Times.Now(clock);
            if (c.Execute(Sql, new { creditLimit, now, merchantId }, t) == 1)
            {
                outbox.Credit(c, t, WebhookEventTypes.CreditLimitChanged, merchantId, now);
                return;
            }
            var balance = c.QuerySingleOrDefault<long?>("SELECT balance FROM credit_accounts WHERE merchant_id = @merchantId", new { merchantId }, t)
                ?? throw new HiShopException(ErrorCode.NotFound, "This merchant has no credit account.");
            throw HiShopException.Invalid("credit_limit", $"credit_limit must cover the current balance of {Money.Format(balance)}.");
        });
        return Summary(merchantId);
    }

    public void SetFeeRate(long merchantId, int feeRateBps)
    {
        Validation.Check(v => Rules.FeeRate(v, feeRateBps));
        db.Write((c, t) =>
        {
            if (c.Execute("UPDATE merchants SET fee_rate_bps = @feeRateBps, updated_at = @now WHERE id = @merchantId",
                    new { feeRateBps, now = Times.Now(clock), merchantId }, t) != 1)
                throw new HiShopException(ErrorCode.NotFound, "No such merchant.");
        });
    }

    private sealed record SummaryRow
    {
        public long MerchantId { get; init; }
        public long Balance { get; init; }
        public long CreditLimit { get; init; }
        public required string Currency { get; init; }
        public required string Status { get; init; }
        public long TotalCredited { get; init; }
        public long TotalConsumed { get; init; }
        public long TotalRefunded { get; init; }
    }
}
