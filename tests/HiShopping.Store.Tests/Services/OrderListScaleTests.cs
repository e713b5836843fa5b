using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

/// <summary>Issue 9, the operator's side: order lists by cursor, a capped total, a keyword and a filter that each read an index.</summary>
public sealed class OrderListScaleTests
{
    private static (TestStore Store, long A, long B) WithOrders(int orders)
    {
        var store = new TestStore(seedDemoCatalog: true);
        var (a, _) = Seed.Merchant(store);
        var (b, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        credit.TopUp(a, 100_000_000, null, null);
        credit.TopUp(b, 100_000_000, null, null);
        var service = store.Get<IOrderService>();
        for (var i = 0; i < orders; i++) service.Place(i % 3 == 0 ? b : a, Seed.Order($"SCALE-{i}"));
        return (store, a, b);
    }

    [Test]
    public async Task Walking_orders_by_cursor_yields_each_once_newest_first_while_new_ones_arrive()
    {
        var (store, a, b) = WithOrders(40);
        using var _ = store;
        var orders = store.Get<IOrderService>();
        foreach (var merchant in new long?[] { null, a })
        {
            var expected = orders.List(new OrderQuery { MerchantId = merchant, PageSize = 100 }).Items.Select(o => o.OrderNo).ToList();
            var seen = new List<string>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = orders.List(new OrderQuery { MerchantId = merchant, PageSize = 6, Cursor = cursor });
                seen.AddRange(page.Items.Select(o => o.OrderNo));
                cursor = page.NextCursor;
                // Orders placed during the walk are newer than the cursor: the walk goes on where it was.
                if (pages++ % 2 == 0) orders.Place(a, Seed.Order($"DURING-{merchant}-{pages}"));
            } while (cursor is not null);

            await Assert.That(seen).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);
            // The whole list as it stood when the walk began: 40 orders, or merchant A's 26 and the 4 placed during the first walk.
            await Assert.That(seen.Count).IsEqualTo(merchant is null ? 40 : 30);
        }
        var mixed = await Assert.That(() => orders.List(new OrderQuery { Page = 3, Cursor = "9" })).Throws<HiShopException>();
        await Assert.That(mixed!.Field).IsEqualTo("page");
        var bogus = await Assert.That(() => orders.List(new OrderQuery { Cursor = "-1" })).Throws<HiShopException>();
        await Assert.That(bogus!.Field).IsEqualTo("cursor");
        await Assert.That(orders.List(new OrderQuery { MerchantId = b, PageSize = 100 }).NextCursor).IsNull();
    }

    [Test]
    public async Task The_total_stops_counting_past_ten_thousand_and_says_it_is_an_estimate()
    {
        var (store, a, _) = WithOrders(1);
        using var _ = store;
        var db = store.Get<Db>();
        // 10,001 orders written straight into the table (the list reads orders only; the ledger is not its concern).
        db.Write((c, t) => c.Execute("""
            INSERT INTO orders (order_no, merchant_id, merchant_order_no, status, goods_amount, fee, total_amount, item_count, shipping, created_at, updated_at)
            VALUES (@no, @a, @mon, 'delivered', 100, 0, 100, 1, '{}', @at, @at)
            """, Enumerable.Range(0, Rules.CountCap + 1).Select(i => new { no = $"HS20260101BULK{i:D10}", a, mon = $"BULK-{i}", at = 1_767_225_600_000L + i }), t));
        var orders = store.Get<IOrderService>();

        var all = orders.List(new OrderQuery());
        await Assert.That(all.Total).IsEqualTo(Rules.CountCap);
        await Assert.That(all.TotalIsEstimate).IsTrue();
        var paid = orders.List(new OrderQuery { Status = OrderStatuses.Paid });
        await Assert.That(paid.Total).IsEqualTo(1);
        await Assert.That(paid.TotalIsEstimate).IsFalse();
        var day = orders.List(new OrderQuery { Keyword = "hs20260101bulk000000001" });
        await Assert.That(day.Total).IsEqualTo(10);
    }

    [Test]
    public async Task A_keyword_finds_orders_by_the_start_of_either_number_and_not_by_a_middle_part()
    {
        var (store, a, b) = WithOrders(6);
        using var _ = store;
        var orders = store.Get<IOrderService>();
        var one = orders.List(new OrderQuery { MerchantId = a }).Items[0];

        var byNumber = orders.List(new OrderQuery { Keyword = one.OrderNo[..16].ToLowerInvariant() });
        await Assert.That(byNumber.Items.Select(o => o.OrderNo)).Contains(one.OrderNo);
        await Assert.That(orders.List(new OrderQuery { Keyword = one.OrderNo }).Items.Single().OrderNo).IsEqualTo(one.OrderNo);
        await Assert.That(orders.List(new OrderQuery { Keyword = one.OrderNo[8..20] }).Total).IsEqualTo(0);

        var byMerchantNumber = orders.List(new OrderQuery { Keyword = "SCALE-" });
        await Assert.That(byMerchantNumber.Total).IsEqualTo(6);
        await Assert.That(orders.List(new OrderQuery { Keyword = "SCALE-", MerchantId = b }).Total).IsEqualTo(2);
        await Assert.That(orders.List(new OrderQuery { Keyword = "CALE-" }).Total).IsEqualTo(0);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Every_order_filter_reads_an_index_in_list_order_and_counts_in_an_index()
    {
        using var store = new TestStore();
        const long Day = 86_400_000;
        OrderQuery[] queries =
        [
            new() { MerchantId = 1 },
            new() { Status = OrderStatuses.Shipped },
            new() { MerchantId = 1, Status = OrderStatuses.Shipped },
            new() { From = Day, To = 3 * Day },
            new() { MerchantId = 1, From = Day, To = 3 * Day },
            new() { MerchantId = 1, Keyword = "HS20260101" },
            new() { Keyword = "HS20260101" },
            new() { MerchantId = 1, MerchantOrderNo = "A-1" },
        ];
        foreach (var query in queries)
        {
            var (count, page, args) = OrderService.ListCommands(query, after: new Keyset(query.From is null ? null : 2 * Day, 1_000));
            var pagePlan = PlanOf(store, page, args);
            var countPlan = PlanOf(store, count, args);
            await Assert.That(pagePlan).Contains("SEARCH orders USING").Because($"{query} reads an index");
            await Assert.That(countPlan).Contains("SEARCH orders USING").Because($"{query} counts in an index");
            // A keyword's few matches are sorted; every other list is read in its order and stops after a page.
            if (query.Keyword is null) await Assert.That(pagePlan).DoesNotContain("TEMP B-TREE").Because($"{query} needs no sort");
        }
        var (_, newest, newestArgs) = OrderService.ListCommands(new OrderQuery(), after: null);
        await Assert.That(PlanOf(store, newest, newestArgs)).DoesNotContain("TEMP B-TREE");
        // A short keyword matches many orders: the list is read in its own order and stops after a page (no sort of
        // every match), the merchant's by the merchant's index.
        foreach (var broad in new OrderQuery[] { new() { Keyword = "HS" }, new() { MerchantId = 1, Keyword = "hs2026" } })
        {
            var (_, page, args) = OrderService.ListCommands(broad, after: null);
            await Assert.That(PlanOf(store, page, args)).DoesNotContain("TEMP B-TREE").Because($"{broad} reads in order");
        }
        var (_, mine, mineArgs) = OrderService.ListCommands(new OrderQuery { MerchantId = 1, Keyword = "hs2026" }, after: null);
        await Assert.That(PlanOf(store, mine, mineArgs)).Contains("ix_orders_merchant_id");
    }

    private static string PlanOf(TestStore store, string sql, object args)
    {
        using var c = store.Get<Db>().Open();
        return string.Join('\n', c.Query("EXPLAIN QUERY PLAN " + sql, args).Select(r => (string)((IDictionary<string, object>)r)["detail"]));
    }
}
