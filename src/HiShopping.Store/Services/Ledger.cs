using System.Data;
using System.Data.Common;
using Dapper;
using HiShopping.Store.Database;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Services;

public static class LedgerTypes
{
    public const string TopUp = "TOPUP";
    public const string Order = "ORDER";
    public const string Refund = "REFUND";
    public const string Adjust = "ADJUST";

    public static readonly string[] All = [TopUp, Order, Refund, Adjust];
}

public sealed record LedgerEntry
{
    public long Id { get; init; }
    public long MerchantId { get; init; }
    public required string ReferenceNo { get; init; }
    public required string Type { get; init; }
    public long Amount { get; init; }
    public long BalanceBefore { get; init; }
    public long BalanceAfter { get; init; }
    public string? OrderNo { get; init; }
    public string? Memo { get; init; }
    public long? OperatorId { get; init; }
    public long CreatedAt { get; init; }
}

/// <summary>
/// The only code that moves a balance. The guarded UPDATE and the ledger insert run in the caller's immediate
/// transaction, so the balance and the ledger can never disagree and the floor (−credit_limit) is never crossed.
/// </summary>
internal static class Ledger
{
    internal const string SelectEntry = """
        SELECT id AS Id, merchant_id AS MerchantId, reference_no AS ReferenceNo, type AS Type, amount AS Amount,
               balance_before AS BalanceBefore, balance_after AS BalanceAfter, order_no AS OrderNo, memo AS Memo,
               operator_id AS OperatorId, created_at AS CreatedAt
        FROM ledger_entries
        """;

    /// <summary>
    /// The rows of a <see cref="SelectEntry"/> query, read by position with typed getters. A transactions page is the
    /// dashboard's commonest read; Dapper's mapping would box each of its numbers and read each column twice.
    /// </summary>
    public static List<LedgerEntry> ReadEntries(Rows r)
    {
        var entries = new List<LedgerEntry>();
        while (r.Read())
            entries.Add(new LedgerEntry
            {
                Id = r.GetInt64(0), MerchantId = r.GetInt64(1), ReferenceNo = r.GetString(2), Type = r.GetString(3),
                Amount = r.GetInt64(4), BalanceBefore = r.GetInt64(5), BalanceAfter = r.GetInt64(6),
                OrderNo = r.IsDBNull(7) ? null : r.GetString(7), Memo = r.IsDBNull(8) ? null : r.GetString(8),
                OperatorId = r.IsDBNull(9) ? null : r.GetInt64(9), CreatedAt = r.GetInt64(10),
            });
        return entries;
    }

    /// <summary>
    /// Moves the balance and appends its entry; <paramref name="referenceNo"/> may be made before the writer's turn
    /// (a new one otherwise).
    /// </summary>
    public static LedgerEntry Append(DbConnection c, IDbTransaction t, long merchantId, string type, long amount,
        string? orderNo, string? memo, long? operatorId, long now, string? referenceNo = null) =>
        Record(c, t, Move(c, t, merchantId, type, amount, now), orderNo, memo, operatorId, now, referenceNo);

    /// <summary>
    /// The first half of <see cref="Append"/>: moves the balance and the account's totals of <paramref name="type"/>, or
    /// throws 2001 (or 3001 without an account) having changed nothing. An order moves it before it writes anything
    /// else, so a refused order leaves nothing to undo.
    /// </summary>
    /// <remarks>
    /// No <c>RETURNING</c> on SQLite: SQLite gathers a <c>RETURNING</c>'s rows in a temporary B-tree that it opens and
    /// closes on every run (measured: with the entry's, a tenth of what SQLite does for an order). The balance is read
    /// back by its key instead, in the same transaction.
    /// </remarks>
    public static BalanceMove Move(DbConnection c, IDbTransaction t, long merchantId, string type, long amount, long now)
    {
        const string Move = """
            UPDATE credit_accounts SET balance = balance + @amount, updated_at = @now, total_credited = total_credited + @credited,
                total_ordered = total_ordered + @ordered, total_refunded = total_refunded + @refunded
            WHERE merchant_id = @merchantId AND balance + @amount >= -credit_limit
            """;
        const string MoveReturning = Move + " RETURNING balance";
        var (credited, ordered, refunded) = Totals(type, amount);
        var postgres = c.Dialect().IsPostgres;
        var update = c.Cached(t, postgres ? MoveReturning : Move).With("@amount", amount).With("@now", now)
            .With("@credited", credited).With("@ordered", ordered).With("@refunded", refunded).With("@merchantId", merchantId);
        long? after;
        if (postgres) after = update.Long();
        else if (update.ExecuteNonQuery() == 1)
            after = c.Cached(t, "SELECT balance FROM credit_accounts WHERE merchant_id = @merchantId").With("@merchantId", merchantId).Long();
        else after = null;
        if (after is null)
        {
            var exists = c.ExecuteScalar<long>("SELECT COUNT(*) FROM credit_accounts WHERE merchant_id = @merchantId", new { merchantId }, t) > 0;
            throw exists
                ? new HiShopException(ErrorCode.InsufficientCredit, "Insufficient credit: the amount exceeds the available credit.")
                : new HiShopException(ErrorCode.NotFound, "This merchant has no credit account.");
        }
        return new BalanceMove(merchantId, type, amount, after.Value);
    }

    /// <summary>
    /// What an entry adds to its account's totals (credited: top-ups and adjustments; ordered: what orders debited, as a
    /// positive amount; refunded). <c>db check</c> adds the ledger up the same way and compares.
    /// </summary>
    private static (long Credited, long Ordered, long Refunded) Totals(string type, long amount) => type switch
    {
        LedgerTypes.TopUp or LedgerTypes.Adjust => (amount, 0, 0),
        LedgerTypes.Order => (0, -amount, 0),
        LedgerTypes.Refund => (0, 0, amount),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a ledger type."),
    };

    /// <summary>
    /// The second half of <see cref="Append"/>: the entry of a balance moved in the same transaction, and the two
    /// rollups every entry moves: its day's sum and count of its type (<c>ledger_daily</c>: the 30-day chart and date
    /// ranges' totals) and the merchant's of its type (<c>ledger_totals</c>: a transactions page's total).
    /// </summary>
    /// <remarks>
    /// The ledger is written here and nowhere else, so this is the one place that keeps its rollups (and <see cref="Move"/>
    /// the account's totals). Triggers kept them up to version 9; on SQLite a trigger makes every insert of an entry keep a
    /// statement journal, a copy of each page it changes, so that it can be undone alone.
    /// </remarks>
    public static LedgerEntry Record(DbConnection c, IDbTransaction t, BalanceMove move, string? orderNo, string? memo,
        long? operatorId, long now, string? referenceNo = null)
    {
        referenceNo ??= Numbers.New("CR", now);
        const string Insert = """
            INSERT INTO ledger_entries (merchant_id, reference_no, type, amount, balance_before, balance_after, order_no, memo, operator_id, created_at)
            VALUES (@merchantId, @referenceNo, @type, @amount, @before, @after, @orderNo, @memo, @operatorId, @now)
            """;
        const string InsertReturning = Insert + " RETURNING id";
        var before = move.BalanceAfter - move.Amount;
        var id = c.Cached(t, c.Dialect().IsPostgres ? InsertReturning : Insert).With("@merchantId", move.MerchantId)
            .With("@referenceNo", referenceNo).With("@type", move.Type).With("@amount", move.Amount).With("@before", before)
            .With("@after", move.BalanceAfter).With("@orderNo", orderNo).With("@memo", memo).With("@operatorId", operatorId)
            .With("@now", now).InsertedId();
        const string Daily = """
            INSERT INTO ledger_daily (merchant_id, day, type, amount, entries) VALUES (@merchantId, @day, @type, @amount, 1)
            ON CONFLICT (merchant_id, day, type) DO UPDATE SET amount = ledger_daily.amount + excluded.amount, entries = ledger_daily.entries + 1
            """;
        c.Cached(t, Daily).With("@merchantId", move.MerchantId).With("@day", Day(now)).With("@type", move.Type).With("@amount", move.Amount).ExecuteNonQuery();
        const string Totals = """
            INSERT INTO ledger_totals (merchant_id, type, amount, entries) VALUES (@merchantId, @type, @amount, 1)
            ON CONFLICT (merchant_id, type) DO UPDATE SET amount = ledger_totals.amount + excluded.amount, entries = ledger_totals.entries + 1
            """;
        c.Cached(t, Totals).With("@merchantId", move.MerchantId).With("@type", move.Type).With("@amount", move.Amount).ExecuteNonQuery();
        return new LedgerEntry
        {
            Id = id, MerchantId = move.MerchantId, ReferenceNo = referenceNo, Type = move.Type, Amount = move.Amount,
            BalanceBefore = before, BalanceAfter = move.BalanceAfter, OrderNo = orderNo, Memo = memo,
            OperatorId = operatorId, CreatedAt = now,
        };
    }

    /// <summary>A day in milliseconds: ledger_daily's days are whole days since 1970-01-01 UTC.</summary>
    internal const long DayMs = 86_400_000;

    /// <summary>The day of <paramref name="at"/> (Unix ms) in ledger_daily, as SQL's integer division gives it.</summary>
    internal static long Day(long at) => at / DayMs;
}

/// <summary>A balance moved by <see cref="Ledger.Move"/> whose entry is still to be recorded.</summary>
internal readonly record struct BalanceMove(long MerchantId, string Type, long Amount, long BalanceAfter);
