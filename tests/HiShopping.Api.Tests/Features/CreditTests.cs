using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class CreditTests(ApiServer server)
{
    [Test]
    public async Task The_ledger_exports_as_csv_with_the_filters_every_page_and_safe_fields()
    {
        var session = await server.NewMerchantAsync();
        var credit = server.Get<ICreditService>();
        for (var i = 0; i < 130; i++) credit.TopUp(session.MerchantId, 1_00 + i, i == 7 ? "=HYPERLINK(\"x\")" : i == 9 ? "wire, \"urgent\"" : null, null);
        credit.Adjust(session.MerchantId, -50, "correction", null);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/web/credit/transactions.csv");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.Token);
        using var response = await server.Http.SendAsync(request);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("text/csv");
        await Assert.That(response.Content.Headers.ContentDisposition!.DispositionType).IsEqualTo("attachment");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(lines[0]).IsEqualTo("reference_no,type,amount,balance_before,balance_after,order_no,memo,currency,created_at");
        await Assert.That(lines.Length).IsEqualTo(1 + 131);
        await Assert.That(lines[1]).Contains(",ADJUST,-0.50,");
        await Assert.That(lines).Contains(l => l.Contains(",'=HYPERLINK(\"x\"),", StringComparison.Ordinal) || l.Contains("\"'=HYPERLINK(\"\"x\"\")\"", StringComparison.Ordinal));
        await Assert.That(lines).Contains(l => l.Contains("\"wire, \"\"urgent\"\"\"", StringComparison.Ordinal));

        using var filtered = new HttpRequestMessage(HttpMethod.Get, "/api/v1/web/credit/transactions.csv?type=ADJUST");
        filtered.Headers.Authorization = request.Headers.Authorization;
        using var adjust = await server.Http.SendAsync(filtered);
        await Assert.That((await adjust.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length).IsEqualTo(2);
        (await session.GetAsync("/api/v1/web/credit/transactions.csv?type=GIFT")).EnsureCode(4000);
    }

    [Test]
    public async Task Credit_shows_balance_limit_totals_utilization_and_thirty_days()
    {
        var session = await server.NewMerchantAsync();
        var credit = server.Get<ICreditService>();
        credit.TopUp(session.MerchantId, 20_000, "first top-up", null);
        credit.SetLimit(session.MerchantId, 5_000);
        var orders = server.Get<IOrderService>();
        var placed = orders.Place(session.MerchantId, Fixtures.Order("CREDIT-1", "sku-100001", 1));
        var spent = placed.Detail.Order.TotalAmount;

        var data = (await session.GetAsync("/api/v1/web/credit")).EnsureCode(0).Data;

        await Assert.That(data.GetProperty("balance").GetString()).IsEqualTo(HiShopping.Store.Money.Format(20_000 - spent));
        await Assert.That(data.GetProperty("credit_limit").GetString()).IsEqualTo("50.00");
        await Assert.That(data.GetProperty("available").GetString()).IsEqualTo(HiShopping.Store.Money.Format(25_000 - spent));
        await Assert.That(data.GetProperty("total_credited").GetString()).IsEqualTo("200.00");
        await Assert.That(data.GetProperty("total_consumed").GetString()).IsEqualTo(HiShopping.Store.Money.Format(spent));
        await Assert.That(data.GetProperty("total_refunded").GetString()).IsEqualTo("0.00");
        await Assert.That(data.GetProperty("utilization").GetDecimal()).IsEqualTo(Math.Round((decimal)spent / 20_000, 4));
        await Assert.That(data.GetProperty("currency").GetString()).IsEqualTo("USD");
        await Assert.That(data.GetProperty("status").GetString()).IsEqualTo("active");
        var days = data.GetProperty("last_30_days");
        await Assert.That(days.GetArrayLength()).IsEqualTo(30);
        var today = days[29];
        await Assert.That(today.GetProperty("date").GetString()).IsEqualTo(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Assert.That(today.GetProperty("credited").GetString()).IsEqualTo("200.00");
        await Assert.That(today.GetProperty("spent").GetString()).IsEqualTo(HiShopping.Store.Money.Format(spent));
    }

    [Test]
    public async Task Transactions_list_newest_first_with_type_filter_and_paging()
    {
        var session = await server.NewMerchantAsync();
        var credit = server.Get<ICreditService>();
        for (var i = 1; i <= 3; i++) credit.TopUp(session.MerchantId, i * 1_000, $"top-up {i}", null);
        server.Get<IOrderService>().Place(session.MerchantId, Fixtures.Order("TX-1"));

        var page = (await session.GetAsync("/api/v1/web/credit/transactions?page_size=2")).EnsureCode(0).Data;
        await Assert.That(page.GetProperty("total").GetInt64()).IsEqualTo(4);
        await Assert.That(page.GetProperty("items").GetArrayLength()).IsEqualTo(2);
        var newest = page.GetProperty("items")[0];
        await Assert.That(newest.GetProperty("type").GetString()).IsEqualTo("ORDER");
        await Assert.That(newest.GetProperty("order_no").GetString()).StartsWith("HS");
        await Assert.That(newest.GetProperty("amount").GetString()).StartsWith("-");
        var previous = page.GetProperty("items")[1];
        await Assert.That(previous.GetProperty("balance_after").GetString()).IsEqualTo(newest.GetProperty("balance_before").GetString());
        await Assert.That(previous.GetProperty("memo").GetString()).IsEqualTo("top-up 3");

        var topups = (await session.GetAsync("/api/v1/web/credit/transactions?type=TOPUP")).Data;
        await Assert.That(topups.GetProperty("total").GetInt64()).IsEqualTo(3);
        var none = (await session.GetAsync("/api/v1/web/credit/transactions?to=2000-01-01")).Data;
        await Assert.That(none.GetProperty("total").GetInt64()).IsEqualTo(0);
        await Assert.That((await session.GetAsync("/api/v1/web/credit/transactions?type=GIFT")).Code).IsEqualTo(4000);

        // Keyset paging: next_cursor leads to the page after, and the last page has none.
        var cursor = page.GetProperty("next_cursor").GetString();
        var next = (await session.GetAsync($"/api/v1/web/credit/transactions?page_size=2&cursor={cursor}")).EnsureCode(0).Data;
        await Assert.That(next.GetProperty("items")[0].GetProperty("memo").GetString()).IsEqualTo("top-up 2");
        await Assert.That(next.TryGetProperty("next_cursor", out _)).IsFalse();
        await Assert.That((await session.GetAsync("/api/v1/web/credit/transactions?cursor=abc")).Code).IsEqualTo(4000);
        await Assert.That((await session.GetAsync($"/api/v1/web/credit/transactions?cursor={cursor}&page=2")).Code).IsEqualTo(4000);
    }

    [Test]
    public async Task Credit_without_a_profile_is_4004()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        await Assert.That((await session.GetAsync("/api/v1/web/credit")).Code).IsEqualTo(4004);
        await Assert.That((await session.GetAsync("/api/v1/web/credit/transactions")).Code).IsEqualTo(4004);
    }
}
