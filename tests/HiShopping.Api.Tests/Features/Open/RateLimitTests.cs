using System.Globalization;
using System.Net;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features.Open;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class RateLimitTests(ApiServer server)
{
    [Test]
    public async Task Past_its_limit_an_app_gets_4029_with_retry_after_its_nonce_stays_unused_and_other_apps_go_on()
    {
        var limited = await server.NewIntegrationAsync(credit: 10_000);
        var other = await server.NewIntegrationAsync(credit: 10_000);
        var apps = server.Get<IAppService>();
        await Assert.That(apps.SetRateLimit(limited.MerchantId, rps: 1, burst: 2).RateLimit.ToString()).IsEqualTo("1/s, burst 2");

        (await limited.GetAsync("/api/v1/open/credit")).EnsureCode(0);
        (await limited.GetAsync("/api/v1/open/credit")).EnsureCode(0);
        var nonce = OpenClient.NewNonce();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = System.Text.Json.JsonSerializer.Serialize(OpenClient.OrderBody("RL-1"));
        var refused = await limited.SendAsync(HttpMethod.Post, "/api/v1/open/orders", body, nonce, timestamp);

        await Assert.That(refused.Code).IsEqualTo(4029);
        await Assert.That(refused.Status).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture)).IsGreaterThanOrEqualTo(1);
        // Nothing was written for the refused order.
        await Assert.That((await limited.GetAsync("/api/v1/open/orders?merchant_order_no=RL-1")).Code).IsEqualTo(4029);
        await Assert.That(server.Get<IOrderService>().List(new OrderQuery { MerchantId = limited.MerchantId }).Total).IsEqualTo(0);

        // Another app is not held back by the first one's flood.
        for (var i = 0; i < 5; i++) (await other.GetAsync("/api/v1/open/credit")).EnsureCode(0);

        // Lifting the limit makes a new bucket; the very same signed request (same nonce) now goes through: it was never used.
        apps.SetRateLimit(limited.MerchantId, rps: 0, burst: null);
        var retried = await limited.SendAsync(HttpMethod.Post, "/api/v1/open/orders", body, nonce, timestamp);
        await Assert.That(retried.Code).IsEqualTo(0);
        var replay = await limited.SendAsync(HttpMethod.Post, "/api/v1/open/orders", body, nonce, timestamp);
        await Assert.That(replay.Code).IsEqualTo(1001);
    }

    [Test]
    public async Task The_default_limit_is_1000_a_second_with_a_burst_of_2000()
    {
        var client = await server.NewIntegrationAsync();
        var app = server.Get<IAppService>().GetForMerchant(client.MerchantId);
        await Assert.That(app.RateLimit).IsEqualTo(new AppRateLimit(1000, 2000));
    }
}
