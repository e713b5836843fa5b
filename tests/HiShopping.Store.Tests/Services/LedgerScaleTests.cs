using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

/// <summary>Issue 9: the ledger walked by cursor, totals and rollups kept with every append and checked by db check.</summary>
public sealed class LedgerScaleTests
{
    private static (TestStore Store, long MerchantId) WithLedger(int entries)
    {
        var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        for (var i = 0; i < entries; i++)
        {
            if (i % 3 == 2) credit.Adjust(merchantId, -1_00, "correction", null);
            else credit.TopUp(merchantId, 10_00 + i, null, null);
        }
        return (store, merchantId);
    }

    [Test]
    public async Task Walking_the_ledger_by_cursor_yields_every_entry_once_newest_first_even_while_it_grows()
    {
        var (store, merchantId) = WithLedger(95);
        using var _ = store;
        var credit = store.Get<ICreditService>();
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        var added = 0;
        do
        {
            var page = credit.Transactions(merchantId, new TransactionQuery { PageSize = 10, Cursor = cursor });
            seen.AddRange(page.Items.Select(e => e.Id));
            cursor = page.NextCursor;
            // New entries land during the walk: they are newer than where the cursor stands, so the walk never sees them.
            if (pages++ % 3 == 0) { credit.TopUp(merchantId, 1_00, "during the walk", null); added++; }
        } while (cursor is not null);

        await Assert.That(seen.Count).IsEqualTo(95);
        await Assert.That(seen.Distinct().Count()).IsEqualTo(95);
        await Assert.That(seen).IsEquivalentTo(seen.OrderByDescending(id => id).ToList(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var first = credit.Transactions(merchantId, new TransactionQuery { PageSize = 100 });
        await Assert.That(added).IsGreaterThan(0);
        await Assert.That(first.Total).IsEqualTo(95 + added);
    }

    [Test]
    public async Task A_date_range_walked_by_cursor_yields_every_entry_once_even_when_times_are_not_in_id_order()
    {
        var (store, merchantId) = WithLedger(0);
        using var _ = store;
        // Writers stamp an entry before their batch commits: under load a later id can carry an earlier time. The entries
        // are written straight into the table (ids and times exactly as listed); the rollups are not what this test reads.
        const long Noon = 1_767_268_800_000; // 2026-01-01T12:00Z
        long[] offsets = [5, 1, 9, 1, 3, 7, 2, 9, 4, 6, 0, 8, 5];
        store.Get<Db>().Write((c, t) =>
        {
            for (var i = 0; i < offsets.Length; i++)
                c.Execute("""
                    INSERT INTO ledger_entries (merchant_id, reference_no, type, amount, balance_before, balance_after, created_at)
                    VALUES (@merchantId, @reference, 'ADJUST', 1, @i, @i + 1, @at)
                    """, new { merchantId, reference = $"CR-ORDER-{i}", i, at = Noon + offsets[i] * 1000 }, t);
        });
        var credit = store.Get<ICreditService>();
        var range = new TransactionQuery { From = Noon - 86_400_000, To = Noon + 86_400_000, PageSize = 3 };

        var seen = new List<LedgerEntry>();
        string? cursor = null;
        do
        {
            var page = credit.Transactions(merchantId, range with { Cursor = cursor });
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);

        await Assert.That(seen.Select(e => e.ReferenceNo).Distinct().Count()).IsEqualTo(offsets.Length);
        await Assert.That(seen.Count).IsEqualTo(offsets.Length);
        var expected = seen.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).Select(e => e.Id).ToList();
        await Assert.That(seen.Select(e => e.Id)).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task A_date_ranges_total_is_exact_for_whole_days_part_days_and_open_ends_with_or_without_a_type()
    {
        var (store, merchantId) = WithLedger(0);
        using var _ = store;
        const long Day = 86_400_000, Midnight = 1_767_225_600_000; // 2026-01-01T00:00Z
        // Entries over five days, on and next to midnight, two types: the rollup has whole days and the ends have parts.
        long[] at = [Midnight - 1, Midnight, Midnight + 1, Midnight + Day / 2, Midnight + Day - 1, Midnight + Day, Midnight + Day + 7,
                     Midnight + 2 * Day + 3_600_000, Midnight + 3 * Day - 1, Midnight + 3 * Day, Midnight + 4 * Day + 5];
        // Appended as the services do (balance, entry and rollups in one go), each stamped with its own time.
        store.Get<Db>().Write((c, t) =>
        {
            for (var i = 0; i < at.Length; i++)
                Ledger.Append(c, t, merchantId, i % 3 == 0 ? "TOPUP" : "ADJUST", 1, null, null, null, at[i], $"CR-RANGE-{i}");
        });
        var credit = store.Get<ICreditService>();
        (long? From, long? To)[] ranges =
        [
            (Midnight, Midnight + 3 * Day - 1),                // three whole days
            (Midnight + 1, Midnight + 3 * Day),                // parts at both ends
            (Midnight + Day / 2, Midnight + Day / 2 + 10),     // inside one day
            (Midnight + Day - 1, Midnight + Day),              // across one midnight, no whole day
            (Midnight + Day, null),                            // from only
            (null, Midnight + 2 * Day),                        // to only
            (Midnight - Day, Midnight + 10 * Day),             // wider than the ledger
            (long.MaxValue, null),                             // after year 9999: nothing, and no overflow
            (null, long.MaxValue),                             // to the end of time
            (0, long.MaxValue - 1),
            (Midnight + 2 * Day, Midnight + Day),              // from after to
            (-5 * Day, Midnight + Day / 2),                    // before 1970 (a date such as 1960-01-01 parses to this)
        ];
        foreach (var (from, to) in ranges)
            foreach (var type in new string?[] { null, "TOPUP", "ADJUST" })
            {
                var expected = at.Select((time, i) => (time, type: i % 3 == 0 ? "TOPUP" : "ADJUST"))
                    .Count(e => (from is null || e.time >= from) && (to is null || e.time <= to) && (type is null || e.type == type));
                var page = credit.Transactions(merchantId, new TransactionQuery { From = from, To = to, Type = type, PageSize = 2 });
                await Assert.That(page.Total).IsEqualTo(expected).Because($"from {from} to {to} type {type}");
                await Assert.That(page.TotalIsEstimate).IsFalse();
            }
    }

    [Test]
    public async Task Cursor_and_page_cannot_be_mixed_and_a_made_up_cursor_is_refused()
    {
        var (store, merchantId) = WithLedger(3);
        using var _ = store;
        var credit = store.Get<ICreditService>();
        var mixed = await Assert.That(() => credit.Transactions(merchantId, new TransactionQuery { Page = 2, Cursor = "5" })).Throws<HiShopException>();
        await Assert.That(mixed!.Code).IsEqualTo(ErrorCode.InvalidRequest);
        var bogus = await Assert.That(() => credit.Transactions(merchantId, new TransactionQuery { Cursor = "abc" })).Throws<HiShopException>();
        await Assert.That(bogus!.Field).IsEqualTo("cursor");
    }

    [Test]
    public async Task The_30_day_chart_puts_each_entry_on_its_utc_day_and_leaves_out_older_ones()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)); // moved forward below
        using var store = new TestStore(seedDemoCatalog: true, clock: clock);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        var orders = store.Get<IOrderService>();
        void At(int daysAgo, int hour) => clock.SetUtcNow(new DateTimeOffset(2026, 11, 29, hour, 0, 0, TimeSpan.Zero).AddDays(-daysAgo));
        At(30, 23); credit.TopUp(merchantId, 10_000_00, "a day before the chart", null);
        At(29, 0); credit.TopUp(merchantId, 5_00, null, null);
        At(29, 23); credit.Adjust(merchantId, -1_00, "the chart's first day", null);
        At(3, 10); var order = orders.Place(merchantId, Seed.Order("CHART-1"));
        At(2, 1); orders.Cancel(order.Detail.Order.OrderNo, merchantId, null);
        At(0, 0); orders.Place(merchantId, Seed.Order("CHART-2"));
        At(0, 12); credit.TopUp(merchantId, 2_00, null, null);

        var days = credit.Summary(merchantId).Last30Days;
        var entries = credit.Transactions(merchantId, new TransactionQuery { PageSize = 100 }).Items;
        await Assert.That(entries.Count).IsEqualTo(7);
        await Assert.That(days.Count).IsEqualTo(30);
        await Assert.That(days[0].Date).IsEqualTo("2026-10-31");
        await Assert.That(days[^1].Date).IsEqualTo("2026-11-29");
        for (var i = 0; i < 30; i++)
        {
            var on = entries.Where(e => DateTimeOffset.FromUnixTimeMilliseconds(e.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd") == days[i].Date).ToList();
            var expected = new DailyCredit(days[i].Date,
                on.Where(e => e.Type is LedgerTypes.TopUp or LedgerTypes.Adjust).Sum(e => e.Amount),
                -on.Where(e => e.Type == LedgerTypes.Order).Sum(e => e.Amount),
                on.Where(e => e.Type == LedgerTypes.Refund).Sum(e => e.Amount));
            await Assert.That(days[i]).IsEqualTo(expected);
        }
        await Assert.That(days[0].Credited).IsEqualTo(4_00);
        await Assert.That(days[26].Spent).IsGreaterThan(0);
        await Assert.That(days[27].Refunded).IsEqualTo(days[26].Spent);
        await Assert.That(days[29].Credited).IsEqualTo(2_00);
        await Assert.That(days.Sum(d => d.Credited)).IsEqualTo(6_00); // the top-up 30 days ago is left out
    }

    /// <summary>The ledger filtered by each type counts what a recount of <paramref name="all"/> finds of that type.</summary>
    private static async Task EachTypesTotalIsARecount(ICreditService credit, long merchantId, IReadOnlyList<LedgerEntry> all)
    {
        foreach (var type in LedgerTypes.All)
            await Assert.That(credit.Transactions(merchantId, new TransactionQuery { Type = type }).Total).IsEqualTo(all.Count(e => e.Type == type));
    }

    [Test]
    public async Task Totals_by_type_and_the_30_day_chart_come_from_the_rollups_and_equal_a_recount()
    {
        var (store, merchantId) = WithLedger(30);
        using var _ = store;
        var credit = store.Get<ICreditService>();
        var orders = store.Get<IOrderService>();
        var placed = orders.Place(merchantId, Seed.Order("ROLL-1"));
        orders.Cancel(placed.Detail.Order.OrderNo, merchantId, null);
        orders.Place(merchantId, Seed.Order("ROLL-2"));

        var all = credit.Transactions(merchantId, new TransactionQuery { PageSize = 100 }).Items;
        var summary = credit.Summary(merchantId);
        await Assert.That(summary.TotalCredited).IsEqualTo(all.Where(e => e.Type is "TOPUP" or "ADJUST").Sum(e => e.Amount));
        await Assert.That(summary.TotalRefunded).IsEqualTo(all.Where(e => e.Type == "REFUND").Sum(e => e.Amount));
        await Assert.That(summary.TotalConsumed).IsEqualTo(-all.Where(e => e.Type is "ORDER" or "REFUND").Sum(e => e.Amount));
        await Assert.That(summary.Last30Days[^1].Spent).IsEqualTo(-all.Where(e => e.Type == "ORDER").Sum(e => e.Amount));
        await EachTypesTotalIsARecount(credit, merchantId, all);
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();
    }

    [Test]
    public async Task The_migration_to_version_9_counts_an_existing_ledger_per_type_and_later_appends_keep_it()
    {
        var (store, merchantId) = WithLedger(10);
        using var _ = store;
        var db = store.Get<Db>();
        // Back to version 8 (without its rollup trigger, which the next test covers): the table of version 9 gone.
        using (var c = db.Open())
            c.Execute("DROP TABLE ledger_totals; DELETE FROM schema_migrations WHERE version IN (9, 10)");

        await Assert.That(store.Get<Migrator>().Migrate()).IsEquivalentTo(["0009_ledger_totals", "0010_ledger_upkeep"]);
        var credit = store.Get<ICreditService>();
        credit.TopUp(merchantId, 5_00, "after the migration", null);
        var all = credit.Transactions(merchantId, new TransactionQuery { PageSize = 100 }).Items;
        await Assert.That(credit.Transactions(merchantId, new TransactionQuery()).Total).IsEqualTo(all.Count);
        await EachTypesTotalIsARecount(credit, merchantId, all);
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();
    }

    /// <summary>
    /// The triggers that kept the rollups up to version 10, taken from the embedded scripts of versions 4 and 9: what a
    /// store made before version 10 has.
    /// </summary>
    private static string OldTriggers(bool postgres)
    {
        var scripts = postgres ? Migrator.PostgresScripts : Migrator.Scripts;
        string Part(int version, string from, string through)
        {
            var sql = scripts.Single(s => s.Version == version).Sql;
            var start = sql.IndexOf(from, StringComparison.Ordinal);
            var end = sql.IndexOf(through, start, StringComparison.Ordinal) + through.Length;
            return sql[start..end] + "\n";
        }
        return postgres
            ? Part(4, "CREATE FUNCTION ledger_entries_rollup()", "EXECUTE FUNCTION ledger_entries_rollup();") +
              Part(9, "CREATE FUNCTION ledger_entries_totals()", "EXECUTE FUNCTION ledger_entries_totals();")
            : Part(4, "CREATE TRIGGER ledger_entries_rollup", "END;") + Part(9, "CREATE TRIGGER ledger_entries_totals", "END;");
    }

    [Test]
    public async Task A_store_whose_triggers_kept_the_rollups_migrates_to_version_10_and_counts_each_later_entry_once()
    {
        var (store, merchantId) = WithLedger(7);
        using var _ = store;
        var db = store.Get<Db>();
        // Back to version 9: the rollups kept by triggers.
        using (var c = db.Open())
            c.Execute(OldTriggers(db.Dialect.IsPostgres) + "DELETE FROM schema_migrations WHERE version = 10;");

        await Assert.That(store.Get<Migrator>().Migrate()).IsEquivalentTo(["0010_ledger_upkeep"]);
        var credit = store.Get<ICreditService>();
        var orders = store.Get<IOrderService>();
        credit.TopUp(merchantId, 5_000_00, "after the migration", null);
        credit.Adjust(merchantId, -1_00, "after the migration", null);
        var order = orders.Place(merchantId, Seed.Order("after-v10"));
        orders.Cancel(order.Detail.Order.OrderNo, merchantId, null);

        var all = credit.Transactions(merchantId, new TransactionQuery { PageSize = 100 }).Items;
        await Assert.That(all.Count).IsEqualTo(7 + 4);
        await EachTypesTotalIsARecount(credit, merchantId, all);
        var summary = credit.Summary(merchantId);
        await Assert.That(summary.TotalCredited).IsEqualTo(all.Where(e => e.Type is "TOPUP" or "ADJUST").Sum(e => e.Amount));
        await Assert.That(summary.TotalRefunded).IsEqualTo(order.Detail.Order.TotalAmount);
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();
    }

    [Test]
    [Arguments("UPDATE credit_accounts SET total_credited = total_credited + 1", "the account's totals")]
    [Arguments("UPDATE credit_accounts SET total_refunded = total_refunded + 100", "the account's totals")]
    [Arguments("UPDATE ledger_daily SET entries = entries + 1 WHERE type = 'TOPUP'", "rollup of")]
    [Arguments("UPDATE ledger_daily SET amount = amount - 1 WHERE type = 'ADJUST'", "rollup of")]
    [Arguments("INSERT INTO ledger_daily (merchant_id, day, type, amount, entries) VALUES (1, 1, 'TOPUP', 5, 1)", "rollup of")]
    [Arguments("UPDATE ledger_totals SET entries = entries - 1 WHERE type = 'TOPUP'", "TOPUP total says")]
    [Arguments("DELETE FROM ledger_totals WHERE type = 'ADJUST'", "ADJUST total says")]
    [Arguments("INSERT INTO ledger_totals (merchant_id, type, amount, entries) VALUES (1, 'REFUND', 5, 1)", "REFUND total says")]
    public async Task Db_check_recomputes_the_counters_and_fails_on_a_tampered_one(string tamper, string says)
    {
        var (store, _) = WithLedger(6);
        using var __ = store;
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();
        using (var c = store.Get<Db>().Open()) c.Execute(tamper);

        var report = store.Get<ILedgerAuditor>().Check();
        await Assert.That(report.Ok).IsFalse();
        await Assert.That(string.Join("\n", report.Violations)).Contains(says);
    }
}
