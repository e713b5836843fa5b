using System.Data;
using System.Data.Common;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace HiShopping.Store.Tests.Services;

/// <summary>Issue 13's fixes: fresh stock behind the cache, an order in one query, a merchant list that reads no ledger.</summary>
public sealed class ContractFixesTests
{
    [Test]
    public async Task Cached_goods_show_the_stock_an_order_left_at_once()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 10_000_000, null, null);
        var catalog = store.Get<ICatalogService>();
        var before = catalog.GetGoods("gd-100001")!.Skus.Single(s => s.SkuId == "sku-100001").Stock; // now cached

        store.Get<IOrderService>().Place(merchantId, Seed.Order("STOCK-1", "sku-100001", quantity: 3));

        await Assert.That(catalog.GetGoods("gd-100001")!.Skus.Single(s => s.SkuId == "sku-100001").Stock).IsEqualTo(before - 3);
    }

    [Test]
    public async Task A_cached_list_shows_goods_sold_out_by_an_order_as_out_of_stock()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 100_000_000, null, null);
        var catalog = store.Get<ICatalogService>();
        var goods = catalog.GetGoods("gd-100001")!;
        var query = new GoodsQuery { Keyword = goods.Title, PageSize = 100 };
        await Assert.That(catalog.ListGoods(query).Items.Single(g => g.GoodsId == goods.GoodsId).InStock).IsTrue(); // now cached

        var orders = store.Get<IOrderService>();
        var i = 0;
        foreach (var sku in goods.Skus.Where(k => k.Stock > 0))
            orders.Place(merchantId, Seed.Order($"SELLOUT-{i++}", sku.SkuId, quantity: sku.Stock) with
            {
                Items = Enumerable.Range(0, (int)Math.Ceiling(sku.Stock / 999.0))
                    .Select(n => new OrderLine(sku.SkuId, Math.Min(999, sku.Stock - n * 999L))).ToList(),
            });

        await Assert.That(catalog.ListGoods(query).Items.Single(g => g.GoodsId == goods.GoodsId).InStock).IsFalse();
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task An_order_is_read_whole_in_one_query()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 1_000_000, null, null);
        var orders = store.Get<IOrderService>();
        var placed = orders.Place(merchantId, Seed.Order("ONE-QUERY-1", quantity: 2)).Detail.Order.OrderNo;
        orders.Process(placed);
        orders.Cancel(placed, merchantId, "changed my mind");

        using var counting = new CountingConnection((Microsoft.Data.Sqlite.SqliteConnection)store.Get<Db>().Open());
        var detail = OrderLoader.Load(counting, null, placed, merchantId)!;

        await Assert.That(counting.Commands).IsLessThanOrEqualTo(2);
        await Assert.That(detail.Items.Count).IsEqualTo(1);
        await Assert.That(detail.Items[0].Quantity).IsEqualTo(2);
        await Assert.That(detail.History.Select(h => h.Status).ToList()).IsEquivalentTo(new[] { "paid", "processing", "cancelled" });
        await Assert.That(detail.LedgerEntries.Select(e => e.Type).ToList()).IsEquivalentTo(new[] { "ORDER", "REFUND" });
        await Assert.That(detail.LedgerEntries[1].BalanceAfter).IsEqualTo(1_000_000);
        await Assert.That(detail.Shipping.PostalCode).IsEqualTo("90001");
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task The_merchant_list_reads_no_ledger_even_after_analyze()
    {
        using var store = new TestStore();
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        for (var i = 0; i < 300; i++) credit.TopUp(merchantId, 100, null, null);
        using (var c = store.Get<Db>().Open()) c.Execute("ANALYZE main");

        var plan = PlanOf(store, MerchantService.ListSql(HiShopping.Store.Database.Dialect.Sqlite) + " ORDER BY m.id LIMIT 20 OFFSET 0", new { keyword = (string?)null });
        await Assert.That(plan).DoesNotContain("ledger_entries");

        var page = store.Get<IMerchantService>().List(new MerchantQuery());
        await Assert.That(page.Items.Single().Balance).IsEqualTo(30_000);
    }

    [Test]
    public async Task A_lock_ends_after_fifteen_minutes_on_the_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new TestStore(clock: clock);
        var throttle = store.Get<ILoginThrottle>();
        for (var i = 0; i < LoginThrottle.LockAfter; i++) throttle.Failed(throttle.Begin("late@example.com", "192.0.2.9"));

        var locked = await Assert.That(() => throttle.Begin("late@example.com", "192.0.2.9")).Throws<HiShopException>();
        await Assert.That(locked!.Code).IsEqualTo(ErrorCode.TooManyRequests);
        clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var attempt = throttle.Begin("late@example.com", "192.0.2.9");
        await Assert.That(attempt.CaptchaRequired).IsFalse();
    }

    private static string PlanOf(TestStore store, string sql, object args)
    {
        using var c = store.Get<Db>().Open();
        return string.Join('\n', c.Query("EXPLAIN QUERY PLAN " + sql, args).Select(r => (string)((IDictionary<string, object>)r)["detail"]));
    }

    /// <summary>Counts the commands made on a connection: one per query Dapper runs.</summary>
    private sealed class CountingConnection(SqliteConnection inner) : DbConnection
    {
        public int Commands { get; private set; }
        protected override DbCommand CreateDbCommand()
        {
            Commands++;
            return inner.CreateCommand();
        }
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }
        public override string Database => inner.Database;
        public override string DataSource => inner.DataSource;
        public override string ServerVersion => inner.ServerVersion;
        public override ConnectionState State => inner.State;
        public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);
        public override void Close() => inner.Close();
        public override void Open() => inner.Open();
        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
