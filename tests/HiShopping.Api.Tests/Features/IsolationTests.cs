using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

/// <summary>Merchant A's token never reaches merchant B's data: every read is scoped by the token's user.</summary>
[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class IsolationTests(ApiServer server)
{
    private async Task<(Session A, Session B)> TwoMerchantsAsync()
    {
        var a = await server.NewMerchantAsync(company: "Alpha Goods");
        var b = await server.NewMerchantAsync(company: "Beta Wares");
        server.Get<ICreditService>().TopUp(a.MerchantId, 10_000, "a", null);
        server.Get<ICreditService>().TopUp(b.MerchantId, 77_700, "b", null);
        return (a, b);
    }

    [Test]
    public async Task Profile_is_only_ever_the_callers_own()
    {
        var (a, _) = await TwoMerchantsAsync();
        var profile = (await a.GetAsync("/api/v1/web/merchant")).Data;
        await Assert.That(profile.GetProperty("company_name").GetString()).IsEqualTo("Alpha Goods");
        await Assert.That(profile.GetProperty("merchant_id").GetInt64()).IsEqualTo(a.MerchantId);
    }

    [Test]
    public async Task App_is_only_ever_the_callers_own()
    {
        var (a, b) = await TwoMerchantsAsync();
        var appA = (await a.GetAsync("/api/v1/web/app")).Data.GetProperty("app_id").GetString();
        var appB = (await b.GetAsync("/api/v1/web/app")).Data.GetProperty("app_id").GetString();
        await Assert.That(appA).IsEqualTo(server.Get<IAppService>().GetForMerchant(a.MerchantId).AppId);
        await Assert.That(appA).IsNotEqualTo(appB);
    }

    [Test]
    public async Task Keys_are_only_ever_the_callers_own()
    {
        var (a, b) = await TwoMerchantsAsync();
        var keyB = (await b.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).Data.GetProperty("api_key").GetString()!;
        var seenByA = await a.GetAsync("/api/v1/web/apikey");
        await Assert.That(seenByA.Data.GetProperty("api_key").ValueKind).IsEqualTo(System.Text.Json.JsonValueKind.Null);
        await Assert.That(seenByA.Raw).DoesNotContain(keyB[^4..]);
        // A regenerating its key leaves B's key alone.
        (await a.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).EnsureCode(0);
        await Assert.That(server.Get<IAppService>().GetForMerchant(b.MerchantId).ApiKeyLast4).IsEqualTo(keyB[^4..]);
    }

    [Test]
    public async Task Credit_is_only_ever_the_callers_own()
    {
        var (a, b) = await TwoMerchantsAsync();
        await Assert.That((await a.GetAsync("/api/v1/web/credit")).Data.GetProperty("balance").GetString()).IsEqualTo("100.00");
        await Assert.That((await b.GetAsync("/api/v1/web/credit")).Data.GetProperty("balance").GetString()).IsEqualTo("777.00");
    }

    [Test]
    public async Task Transactions_are_only_ever_the_callers_own()
    {
        var (a, _) = await TwoMerchantsAsync();
        var page = (await a.GetAsync("/api/v1/web/credit/transactions")).Data;
        await Assert.That(page.GetProperty("total").GetInt64()).IsEqualTo(1);
        await Assert.That(page.GetProperty("items")[0].GetProperty("amount").GetString()).IsEqualTo("100.00");
    }

    [Test]
    public async Task Orders_are_only_ever_the_callers_own_and_anothers_order_is_4004()
    {
        var (a, b) = await TwoMerchantsAsync();
        var orderB = server.Get<IOrderService>().Place(b.MerchantId, Fixtures.Order("B-ONLY-1")).Detail.Order.OrderNo;

        var listA = (await a.GetAsync("/api/v1/web/orders")).Data;
        await Assert.That(listA.GetProperty("total").GetInt64()).IsEqualTo(0);
        var detail = await a.GetAsync($"/api/v1/web/orders/{orderB}");
        await Assert.That(detail.Code).IsEqualTo(4004);
        await Assert.That(detail.Raw).DoesNotContain("B-ONLY-1");
        await Assert.That((await b.GetAsync($"/api/v1/web/orders/{orderB}")).Code).IsEqualTo(0);
    }
}
