using System.Text.RegularExpressions;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

/// <summary>Issue 15, the money findings: no order priced by overflow, and the auditor sees a tampered order.</summary>
public sealed partial class SecurityReviewTests
{
    private const long Billion = 100_000_000_000; // 1,000,000,000.00

    private static void ExpensiveGoods(TestStore store, int skus)
    {
        var writer = store.Get<ICatalogWriter>();
        writer.UpsertCategories([new CategoryRecord { CategoryId = "c-lux", Name = "Luxury" }]);
        writer.UpsertGoods([new GoodsRecord
        {
            GoodsId = "g-lux", CategoryId = "c-lux", Title = "Very expensive",
            Skus = Enumerable.Range(0, skus).Select(i => new SkuRecord { SkuId = $"lux-{i}", Price = Billion, Stock = 100_000 }).ToList(),
        }]);
    }

    [Test]
    public async Task The_fee_overflow_order_of_the_review_is_4000_and_writes_nothing()
    {
        using var store = new TestStore();
        ExpensiveGoods(store, skus: 50);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        credit.SetFeeRate(merchantId, 10_000);
        for (var i = 0; i < 3; i++) credit.TopUp(merchantId, Billion, null, null);
        var orders = store.Get<IOrderService>();
        var order = Seed.Order("OVERFLOW-1") with { Items = Enumerable.Range(0, 50).Select(i => new OrderLine($"lux-{i}", 999)).ToList() };

        var error = await Assert.That(() => orders.Place(merchantId, order)).Throws<HiShopException>();

        await Assert.That(error!.Code).IsEqualTo(ErrorCode.InvalidRequest);
        await Assert.That(error.Field).IsEqualTo("items");
        await Assert.That(orders.List(new OrderQuery { MerchantId = merchantId }).Total).IsEqualTo(0);
        await Assert.That(credit.Summary(merchantId).Balance).IsEqualTo(3 * Billion);
        using var c = store.Get<Db>().Open();
        await Assert.That(c.ExecuteScalar<long>("SELECT MIN(stock) FROM skus WHERE goods_id = 'g-lux'")).IsEqualTo(100_000);
    }

    [Test]
    public async Task An_order_at_the_cap_with_a_full_fee_costs_exactly_twice_the_goods()
    {
        using var store = new TestStore();
        ExpensiveGoods(store, skus: 1);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        credit.SetFeeRate(merchantId, 10_000);
        credit.TopUp(merchantId, Billion, null, null);
        credit.TopUp(merchantId, Billion, null, null);

        var placed = store.Get<IOrderService>().Place(merchantId, Seed.Order("CAP-1", "lux-0"));

        await Assert.That(placed.Detail.Order.GoodsAmount).IsEqualTo(Billion);
        await Assert.That(placed.Detail.Order.Fee).IsEqualTo(Billion);
        await Assert.That(placed.Detail.Order.TotalAmount).IsEqualTo(2 * Billion);
        await Assert.That(placed.BalanceAfter).IsEqualTo(0);
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();
    }

    [Test]
    [Arguments("UPDATE orders SET total_amount = 2", "is not goods")]
    [Arguments("UPDATE orders SET fee = -5, total_amount = goods_amount - 5", "negative fee")]
    [Arguments("UPDATE orders SET goods_amount = goods_amount + 1, total_amount = total_amount + 1", "not the sum of its lines")]
    [Arguments("UPDATE order_items SET amount = amount + 1", "unit price × quantity")]
    public async Task The_auditor_flags_a_tampered_order(string tamper, string expected)
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 1_000_000, null, null);
        store.Get<IOrderService>().Place(merchantId, Seed.Order("TAMPER-1", quantity: 2));
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();

        using (var c = store.Get<Db>().Open()) c.Execute(tamper);

        var report = store.Get<ILedgerAuditor>().Check();
        await Assert.That(report.Ok).IsFalse();
        await Assert.That(string.Join('\n', report.Violations)).Contains(expected);
    }

    [Test]
    public async Task Order_and_reference_numbers_are_dated_random_and_sort_by_time()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        using var store = new TestStore(seedDemoCatalog: true, clock: clock);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 1_000_000, null, null);
        var orders = store.Get<IOrderService>();

        var numbers = new List<string>();
        var references = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var placed = orders.Place(merchantId, Seed.Order($"NUM-{i}"));
            numbers.Add(placed.Detail.Order.OrderNo);
            references.Add(placed.Detail.LedgerEntries.Single().ReferenceNo);
        }

        foreach (var n in numbers) await Assert.That(OrderNumber().IsMatch(n)).IsTrue();
        foreach (var r in references) await Assert.That(r).StartsWith("CR20261129");
        await Assert.That(numbers.Order(StringComparer.Ordinal).ToList()).IsEquivalentTo(numbers);
        // Consecutive orders share no counter: their random tails differ everywhere, not in the last digit.
        var tails = numbers.Select(n => n[^8..]).ToList();
        await Assert.That(tails.Distinct().Count()).IsEqualTo(5);
        await Assert.That(tails.Zip(tails.Skip(1)).Count(p => p.First[..6] == p.Second[..6])).IsLessThan(2);
    }

    [GeneratedRegex("^HS20261129[0-9A-HJKMNP-TV-Z]{14}$")]
    private static partial Regex OrderNumber();
}
