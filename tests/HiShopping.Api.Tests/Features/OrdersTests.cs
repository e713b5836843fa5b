using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class OrdersTests(ApiServer server)
{
    [Test]
    public async Task A_merchant_cancels_a_paid_order_of_their_own_and_is_refunded_but_not_another_merchants_or_a_shipped_one()
    {
        var session = await server.NewMerchantAsync();
        var credit = server.Get<ICreditService>();
        credit.TopUp(session.MerchantId, 1_000_000, "funds", null);
        var orders = server.Get<IOrderService>();
        var paid = orders.Place(session.MerchantId, Fixtures.Order("WEB-CANCEL-1")).Detail.Order;
        var shipped = orders.Place(session.MerchantId, Fixtures.Order("WEB-CANCEL-2")).Detail.Order.OrderNo;
        orders.Process(shipped);
        orders.Ship(shipped, "DHL", "1");
        var balance = credit.Summary(session.MerchantId).Balance;

        var cancelled = (await session.SendAsync(HttpMethod.Post, $"/api/v1/web/orders/{paid.OrderNo}/cancel", new { reason = "ordered twice" })).EnsureCode(0).Data;
        await Assert.That(cancelled.GetProperty("status").GetString()).IsEqualTo("cancelled");
        await Assert.That(credit.Summary(session.MerchantId).Balance).IsEqualTo(balance + paid.TotalAmount);
        await Assert.That(orders.Get(paid.OrderNo)!.History[^1].Note).Contains("ordered twice");

        (await session.SendAsync(HttpMethod.Post, $"/api/v1/web/orders/{shipped}/cancel")).EnsureCode(2004);
        (await session.SendAsync(HttpMethod.Post, $"/api/v1/web/orders/{paid.OrderNo}/cancel")).EnsureCode(2004);
        var other = await server.NewMerchantAsync();
        (await other.SendAsync(HttpMethod.Post, $"/api/v1/web/orders/{shipped}/cancel")).EnsureCode(4004);
        await Assert.That(orders.Get(shipped)!.Order.Status).IsEqualTo("shipped");
    }

    [Test]
    public async Task Orders_list_walks_by_next_cursor_and_refuses_a_made_up_one()
    {
        var session = await server.NewMerchantAsync();
        server.Get<ICreditService>().TopUp(session.MerchantId, 1_000_000, "funds", null);
        var orders = server.Get<IOrderService>();
        var placed = Enumerable.Range(1, 3).Select(i => orders.Place(session.MerchantId, Fixtures.Order($"CURSOR-{i}")).Detail.Order.OrderNo).ToList();

        var first = (await session.GetAsync("/api/v1/web/orders?page_size=2")).EnsureCode(0).Data;
        await Assert.That(first.GetProperty("total").GetInt64()).IsEqualTo(3);
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = (await session.GetAsync($"/api/v1/web/orders?page_size=2&cursor={cursor}")).EnsureCode(0).Data;
        await Assert.That(second.GetProperty("items").GetArrayLength()).IsEqualTo(1);
        await Assert.That(second.GetProperty("items")[0].GetProperty("order_no").GetString()).IsEqualTo(placed[0]);
        await Assert.That(second.TryGetProperty("next_cursor", out _)).IsFalse();
        (await session.GetAsync("/api/v1/web/orders?cursor=abc")).EnsureCode(4000);
    }

    [Test]
    public async Task Orders_list_filters_by_status_and_keyword()
    {
        var session = await server.NewMerchantAsync();
        server.Get<ICreditService>().TopUp(session.MerchantId, 1_000_000, "funds", null);
        var orders = server.Get<IOrderService>();
        var first = orders.Place(session.MerchantId, Fixtures.Order("LIST-A1")).Detail.Order.OrderNo;
        var second = orders.Place(session.MerchantId, Fixtures.Order("LIST-B2", "sku-100002", 2)).Detail.Order.OrderNo;
        orders.Process(second);

        var all = (await session.GetAsync("/api/v1/web/orders")).EnsureCode(0).Data;
        await Assert.That(all.GetProperty("total").GetInt64()).IsEqualTo(2);
        await Assert.That(all.GetProperty("items")[0].GetProperty("order_no").GetString()).IsEqualTo(second);
        var item = all.GetProperty("items")[1];
        await Assert.That(item.GetProperty("merchant_order_no").GetString()).IsEqualTo("LIST-A1");
        await Assert.That(item.GetProperty("status").GetString()).IsEqualTo("paid");
        await Assert.That(item.GetProperty("currency").GetString()).IsEqualTo("USD");

        var processing = (await session.GetAsync("/api/v1/web/orders?status=processing")).Data;
        await Assert.That(processing.GetProperty("total").GetInt64()).IsEqualTo(1);
        await Assert.That(processing.GetProperty("items")[0].GetProperty("order_no").GetString()).IsEqualTo(second);

        var byKeyword = (await session.GetAsync("/api/v1/web/orders?keyword=LIST-A")).Data;
        await Assert.That(byKeyword.GetProperty("total").GetInt64()).IsEqualTo(1);
        await Assert.That(byKeyword.GetProperty("items")[0].GetProperty("order_no").GetString()).IsEqualTo(first);

        var byOrderNo = (await session.GetAsync($"/api/v1/web/orders?keyword={first}")).Data;
        await Assert.That(byOrderNo.GetProperty("total").GetInt64()).IsEqualTo(1);

        var future = (await session.GetAsync("/api/v1/web/orders?from=2999-01-01")).Data;
        await Assert.That(future.GetProperty("total").GetInt64()).IsEqualTo(0);
    }

    [Test]
    public async Task Order_detail_has_items_shipping_history_tracking_and_ledger_references()
    {
        var session = await server.NewMerchantAsync();
        server.Get<ICreditService>().TopUp(session.MerchantId, 1_000_000, "funds", null);
        var orders = server.Get<IOrderService>();
        var orderNo = orders.Place(session.MerchantId, Fixtures.Order("DETAIL-1", "sku-100001", 3)).Detail.Order.OrderNo;
        orders.Process(orderNo);
        orders.Ship(orderNo, "DHL", "JD0001234567");

        var detail = (await session.GetAsync($"/api/v1/web/orders/{orderNo}")).EnsureCode(0).Data;

        await Assert.That(orderNo).Matches(@"^HS\d{8}[0-9A-HJKMNP-TV-Z]{14}$");
        await Assert.That(detail.GetProperty("status").GetString()).IsEqualTo("shipped");
        await Assert.That(detail.GetProperty("items")[0].GetProperty("quantity").GetInt64()).IsEqualTo(3);
        await Assert.That(detail.GetProperty("shipping").GetProperty("name").GetString()).IsEqualTo("Zoë Åkesson");
        var history = string.Join(",", detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        await Assert.That(history).IsEqualTo("paid,processing,shipped");
        await Assert.That(detail.GetProperty("tracking").GetProperty("carrier").GetString()).IsEqualTo("DHL");
        await Assert.That(detail.GetProperty("tracking").GetProperty("tracking_no").GetString()).IsEqualTo("JD0001234567");
        var reference = detail.GetProperty("ledger_references")[0];
        await Assert.That(reference.GetProperty("type").GetString()).IsEqualTo("ORDER");
        await Assert.That(reference.GetProperty("reference_no").GetString()).StartsWith("CR");
    }

    [Test]
    public async Task Unknown_order_is_4004_and_bad_filters_are_4000()
    {
        var session = await server.NewMerchantAsync();
        await Assert.That((await session.GetAsync("/api/v1/web/orders/HS000000000000000000")).Code).IsEqualTo(4004);
        await Assert.That((await session.GetAsync("/api/v1/web/orders?status=lost")).Code).IsEqualTo(4000);
        await Assert.That((await session.GetAsync("/api/v1/web/orders?from=yesterday")).Code).IsEqualTo(4000);
    }
}
