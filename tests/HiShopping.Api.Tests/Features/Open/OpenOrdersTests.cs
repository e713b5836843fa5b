using System.Net;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features.Open;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class OpenOrdersTests(ApiServer server)
{
    private long Price(string skuId) =>
        server.Get<ICatalogService>().GetGoods("gd-" + (100000 + 1))!.Skus.FirstOrDefault(s => s.SkuId == skuId)?.Price
        ?? throw new InvalidOperationException(skuId);

    [Test]
    public async Task Placing_an_order_debits_credit_and_answers_the_paid_order_with_balance_after()
    {
        var client = await server.NewIntegrationAsync(credit: 100_000);
        var price = Price("sku-100001");

        var placed = await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("PO-1", quantity: 2));

        await Assert.That(placed.Code).IsEqualTo(0);
        var order = placed.Data;
        await Assert.That(order.GetProperty("status").GetString()).IsEqualTo("paid");
        await Assert.That(order.GetProperty("merchant_order_no").GetString()).IsEqualTo("PO-1");
        await Assert.That(order.GetProperty("goods_amount").GetString()).IsEqualTo(Money.Format(price * 2));
        await Assert.That(order.GetProperty("balance_after").GetString()).IsEqualTo(Money.Format(100_000 - price * 2));
        await Assert.That(order.GetProperty("remark").GetString()).IsEqualTo("gift 🎁");
        var credit = (await client.GetAsync("/api/v1/open/credit")).Data;
        await Assert.That(credit.GetProperty("balance").GetString()).IsEqualTo(Money.Format(100_000 - price * 2));
        await Assert.That(credit.GetProperty("available").GetString()).IsEqualTo(Money.Format(100_000 - price * 2));
        await Assert.That(credit.GetProperty("currency").GetString()).IsEqualTo("USD");
    }

    [Test]
    public async Task The_merchants_fee_rate_is_added_to_the_total()
    {
        var client = await server.NewIntegrationAsync(credit: 100_000);
        server.Get<ICreditService>().SetFeeRate(client.MerchantId, 150);
        var goods = Price("sku-100001") * 3;

        var order = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("FEE-1", quantity: 3))).EnsureCode(0).Data;

        var fee = (goods * 150 + 5_000) / 10_000;
        await Assert.That(order.GetProperty("fee").GetString()).IsEqualTo(Money.Format(fee));
        await Assert.That(order.GetProperty("total_amount").GetString()).IsEqualTo(Money.Format(goods + fee));
    }

    [Test]
    public async Task Over_available_credit_is_2001_and_nothing_is_written()
    {
        var client = await server.NewIntegrationAsync(credit: 100);
        var response = await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("BROKE-1"));

        await Assert.That(response.Code).IsEqualTo(2001);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.PaymentRequired);
        var list = (await client.GetAsync("/api/v1/open/orders")).Data;
        await Assert.That(list.GetProperty("total").GetInt64()).IsEqualTo(0);
        await Assert.That(server.Get<ICreditService>().Transactions(client.MerchantId, new TransactionQuery()).Total).IsEqualTo(1);
    }

    [Test]
    public async Task A_reused_merchant_order_no_is_2002_with_the_existing_order()
    {
        var client = await server.NewIntegrationAsync(credit: 100_000);
        var first = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("DUP-1"))).EnsureCode(0).Data.GetProperty("order_no").GetString();

        var again = await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("DUP-1", quantity: 5));

        await Assert.That(again.Code).IsEqualTo(2002);
        await Assert.That(again.Status).IsEqualTo(HttpStatusCode.Conflict);
        await Assert.That(again.Data.GetProperty("order_no").GetString()).IsEqualTo(first);
        await Assert.That(again.Data.GetProperty("status").GetString()).IsEqualTo("paid");
    }

    [Test]
    [Arguments("sku-does-not-exist", 1)]
    [Arguments("sku-100001", 999)]
    public async Task Unknown_or_short_skus_are_2003(string sku, int quantity)
    {
        var client = await server.NewIntegrationAsync(credit: 100_000_000);
        var response = await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("NA-" + quantity, sku, quantity));
        await Assert.That(response.Code).IsEqualTo(2003);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Invalid_orders_are_4000_naming_each_field()
    {
        var client = await server.NewIntegrationAsync(credit: 100_000);
        var response = await client.PostAsync("/api/v1/open/orders", new
        {
            merchant_order_no = "has spaces!",
            items = new[] { new { sku_id = "sku-100001", quantity = 0 } },
            shipping = new { name = "Only a name" },
        });

        await Assert.That(response.Code).IsEqualTo(4000);
        var errors = response.Data.GetProperty("errors");
        foreach (var field in new[] { "merchant_order_no", "items[0].quantity", "shipping.phone", "shipping.postal_code" })
            await Assert.That(errors.TryGetProperty(field, out _)).IsTrue();
        var empty = await client.PostAsync("/api/v1/open/orders", new { merchant_order_no = "X-1", items = Array.Empty<object>(), shipping = new { } });
        await Assert.That(empty.Code).IsEqualTo(4000);
    }

    [Test]
    public async Task Orders_list_and_detail_by_merchant_order_no()
    {
        var client = await server.NewIntegrationAsync(credit: 1_000_000);
        var no = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("FIND-ME-1"))).EnsureCode(0).Data.GetProperty("order_no").GetString();
        (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("OTHER-2"))).EnsureCode(0);

        var found = (await client.GetAsync("/api/v1/open/orders?merchant_order_no=FIND-ME-1")).EnsureCode(0).Data;
        await Assert.That(found.GetProperty("total").GetInt64()).IsEqualTo(1);
        await Assert.That(found.GetProperty("items")[0].GetProperty("order_no").GetString()).IsEqualTo(no);

        var detail = (await client.GetAsync($"/api/v1/open/orders/{no}")).EnsureCode(0).Data;
        await Assert.That(detail.GetProperty("history")[0].GetProperty("status").GetString()).IsEqualTo("paid");
        await Assert.That(detail.GetProperty("items")[0].GetProperty("sku_id").GetString()).IsEqualTo("sku-100001");
    }

    [Test]
    public async Task Cancel_refunds_exactly_once_and_a_second_cancel_is_2004()
    {
        var client = await server.NewIntegrationAsync(credit: 100_000);
        var no = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("CANCEL-1"))).EnsureCode(0).Data.GetProperty("order_no").GetString();

        var cancelled = await client.PostAsync($"/api/v1/open/orders/{no}/cancel", new { reason = "customer changed mind" });
        var again = await client.PostAsync($"/api/v1/open/orders/{no}/cancel", null);

        await Assert.That(cancelled.Code).IsEqualTo(0);
        await Assert.That(cancelled.Data.GetProperty("status").GetString()).IsEqualTo("cancelled");
        await Assert.That(cancelled.Data.GetProperty("balance_after").GetString()).IsEqualTo("1000.00");
        await Assert.That(again.Code).IsEqualTo(2004);
        await Assert.That(again.Status).IsEqualTo(HttpStatusCode.Conflict);
        var refunds = server.Get<ICreditService>().Transactions(client.MerchantId, new TransactionQuery { Type = "REFUND" });
        await Assert.That(refunds.Total).IsEqualTo(1);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Data.GetProperty("balance").GetString()).IsEqualTo("1000.00");
    }

    [Test]
    [Arguments("processing", 0)]
    [Arguments("shipped", 2004)]
    [Arguments("delivered", 2004)]
    public async Task Cancel_works_only_while_paid_or_processing(string status, int code)
    {
        var client = await server.NewIntegrationAsync(credit: 100_000);
        var no = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("MOVE-" + status))).EnsureCode(0).Data.GetProperty("order_no").GetString()!;
        var orders = server.Get<IOrderService>();
        orders.Process(no);
        if (status is "shipped" or "delivered") orders.Ship(no, "UPS", "1Z999");
        if (status is "delivered") orders.Deliver(no);

        var response = await client.PostAsync($"/api/v1/open/orders/{no}/cancel", null);

        await Assert.That(response.Code).IsEqualTo(code);
        var balance = (await client.GetAsync("/api/v1/open/credit")).Data.GetProperty("balance").GetString();
        await Assert.That(balance == "1000.00").IsEqualTo(code == 0);
    }

    [Test]
    public async Task Another_merchants_order_is_4004_on_both_apis()
    {
        var mine = await server.NewIntegrationAsync(credit: 100_000);
        var theirs = await server.NewIntegrationAsync(credit: 100_000);
        var no = (await theirs.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("THEIRS-1"))).EnsureCode(0).Data.GetProperty("order_no").GetString();

        await Assert.That((await mine.GetAsync($"/api/v1/open/orders/{no}")).Code).IsEqualTo(4004);
        await Assert.That((await mine.PostAsync($"/api/v1/open/orders/{no}/cancel", null)).Code).IsEqualTo(4004);
        await Assert.That((await mine.Web!.GetAsync($"/api/v1/web/orders/{no}")).Code).IsEqualTo(4004);
        await Assert.That((await theirs.GetAsync($"/api/v1/open/orders/{no}")).Data.GetProperty("status").GetString()).IsEqualTo("paid");
    }

    [Test]
    public async Task Goods_and_categories_read_the_same_as_the_web_api()
    {
        var client = await server.NewIntegrationAsync();
        var open = (await client.GetAsync("/api/v1/open/goods/gd-100002")).EnsureCode(0).Data;
        var web = (await client.Web!.GetAsync("/api/v1/web/goods/detail/gd-100002")).Data;
        await Assert.That(open.ToString()).IsEqualTo(web.ToString());
        var tree = (await client.GetAsync("/api/v1/open/goods/categories")).EnsureCode(0).Data;
        await Assert.That(tree.GetArrayLength()).IsGreaterThan(0);
        await Assert.That((await client.GetAsync("/api/v1/open/goods/gd-nope")).Code).IsEqualTo(4004);
    }
}
