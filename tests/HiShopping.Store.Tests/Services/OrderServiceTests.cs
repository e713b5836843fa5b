using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

public sealed class OrderServiceTests
{
    [Test]
    public async Task An_order_prices_from_the_catalog_adds_the_fee_and_debits_the_total()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        credit.TopUp(merchantId, 1_000_000, null, null);
        credit.SetFeeRate(merchantId, 250);
        var price = store.Get<HiShopping.Store.Catalog.ICatalogService>().GetGoods("gd-100001")!.Skus.Single(s => s.SkuId == "sku-100001").Price;

        var placed = store.Get<IOrderService>().Place(merchantId, Seed.Order("FEE-1", quantity: 3));

        var order = placed.Detail.Order;
        await Assert.That(order.GoodsAmount).IsEqualTo(price * 3);
        await Assert.That(order.Fee).IsEqualTo((long)Math.Round(price * 3 * 250 / 10_000m, MidpointRounding.AwayFromZero));
        await Assert.That(order.TotalAmount).IsEqualTo(order.GoodsAmount + order.Fee);
        await Assert.That(placed.BalanceAfter).IsEqualTo(1_000_000 - order.TotalAmount);
        await Assert.That(placed.Detail.LedgerEntries.Single().Amount).IsEqualTo(-order.TotalAmount);
    }

    [Test]
    public async Task An_order_over_available_credit_is_2001_and_nothing_is_written()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 1, null, null);
        var orders = store.Get<IOrderService>();
        var stockBefore = Stock(store, "sku-100001");

        var error = await Assert.That(() => orders.Place(merchantId, Seed.Order("BROKE-1"))).Throws<HiShopException>();

        await Assert.That(error!.Code).IsEqualTo(ErrorCode.InsufficientCredit);
        await Assert.That(orders.List(new OrderQuery { MerchantId = merchantId }).Total).IsEqualTo(0);
        await Assert.That(store.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(1);
        await Assert.That(Stock(store, "sku-100001")).IsEqualTo(stockBefore);
    }

    [Test]
    public async Task A_reused_merchant_order_no_is_2002_naming_the_first_order_and_debits_nothing()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 1_000_000, null, null);
        var orders = store.Get<IOrderService>();
        var first = orders.Place(merchantId, Seed.Order("SAME-1"));

        var error = await Assert.That(() => orders.Place(merchantId, Seed.Order("SAME-1"))).Throws<HiShopException>();

        await Assert.That(error!.Code).IsEqualTo(ErrorCode.DuplicateOrder);
        await Assert.That(System.Text.Json.JsonSerializer.Serialize(error.Payload)).Contains(first.Detail.Order.OrderNo);
        await Assert.That(store.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(first.BalanceAfter);
    }

    [Test]
    public async Task Unknown_skus_and_short_stock_are_2003()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 100_000_000, null, null);
        var orders = store.Get<IOrderService>();

        var unknown = await Assert.That(() => orders.Place(merchantId, Seed.Order("X-1", "sku-nope"))).Throws<HiShopException>();
        var tooMany = await Assert.That(() => orders.Place(merchantId, Seed.Order("X-2", "sku-100001", Stock(store, "sku-100001") + 1)))
            .Throws<HiShopException>();

        await Assert.That(unknown!.Code).IsEqualTo(ErrorCode.GoodsUnavailable);
        await Assert.That(tooMany!.Code == ErrorCode.GoodsUnavailable || tooMany.Code == ErrorCode.InvalidRequest).IsTrue();
    }

    [Test]
    public async Task Cancel_refunds_once_restores_stock_and_illegal_moves_are_2004()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<ICreditService>().TopUp(merchantId, 1_000_000, null, null);
        var orders = store.Get<IOrderService>();
        var stockBefore = Stock(store, "sku-100001");
        var orderNo = orders.Place(merchantId, Seed.Order("C-1", quantity: 2)).Detail.Order.OrderNo;

        var cancelled = orders.Cancel(orderNo, merchantId, "customer asked");
        var again = await Assert.That(() => orders.Cancel(orderNo, merchantId, null)).Throws<HiShopException>();
        var ship = await Assert.That(() => orders.Ship(orderNo, "DHL", "1")).Throws<HiShopException>();

        await Assert.That(cancelled.Order.Status).IsEqualTo(OrderStatuses.Cancelled);
        await Assert.That(cancelled.LedgerEntries.Count(e => e.Type == LedgerTypes.Refund)).IsEqualTo(1);
        await Assert.That(again!.Code).IsEqualTo(ErrorCode.OrderStatusConflict);
        await Assert.That(ship!.Code).IsEqualTo(ErrorCode.OrderStatusConflict);
        await Assert.That(store.Get<ICreditService>().Summary(merchantId).Balance).IsEqualTo(1_000_000);
        await Assert.That(Stock(store, "sku-100001")).IsEqualTo(stockBefore);
        await Assert.That(cancelled.History.Select(h => h.Status)).IsEquivalentTo(new[] { "paid", "cancelled" });
    }

    private static long Stock(TestStore store, string skuId)
    {
        using var c = store.Get<Db>().Open();
        return c.ExecuteScalar<long>("SELECT stock FROM skus WHERE sku_id = @skuId", new { skuId });
    }
}
