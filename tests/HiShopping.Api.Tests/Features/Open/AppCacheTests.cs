using System.Diagnostics;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features.Open;

/// <summary>
/// Issue 8: apps, API-key hashes and sign keys come from memory on the order path, and every change to them is seen
/// by the very next request of this process, and within a second when another process (the CLI) made it.
/// </summary>
[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class AppCacheTests(ApiServer server)
{
    [Test]
    public async Task A_regenerated_sign_key_refuses_the_old_one_on_the_very_next_request()
    {
        var client = await server.NewIntegrationAsync();
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0); // the app is cached now
        var old = client.SignKey;
        client.SignKey = (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).EnsureCode(0).Data.GetProperty("sign_key").GetString()!;

        await Assert.That((await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", signKeyOverride: old)).Code).IsEqualTo(1001);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0);
    }

    [Test]
    public async Task Disabling_the_app_or_its_user_in_this_process_refuses_the_very_next_request()
    {
        var client = await server.NewIntegrationAsync(credit: 100_000_00);
        await Assert.That((await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("CACHE-1"))).Code).IsEqualTo(0);

        server.Get<IAppService>().SetStatus(client.MerchantId, "disabled");
        await Assert.That((await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("CACHE-2"))).Code).IsEqualTo(1003);
        server.Get<IAppService>().SetStatus(client.MerchantId, "active");
        await Assert.That((await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("CACHE-3"))).Code).IsEqualTo(0);

        server.Get<IAccountService>().SetStatus(client.Web!.Email, "disabled");
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(1003);
    }

    [Test]
    public async Task An_app_disabled_by_the_cli_is_refused_within_a_second_or_so()
    {
        var client = await server.NewIntegrationAsync();
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0); // cached in serve
        using var cli = new CliRunner();

        var disabled = await cli.RunRawAsync("--data-dir", server.DataDir, "app", "disable", "--merchant", client.Web!.Email);
        await Assert.That(disabled.ExitCode).IsEqualTo(0);
        var since = Stopwatch.StartNew();
        // serve re-reads auth_version at most once a second; the deadline leaves room for a loaded test machine.
        await Poll.UntilAsync(async () => (await client.GetAsync("/api/v1/open/credit")).Code, code => code == 1003, TimeSpan.FromSeconds(5),
            "the CLI's app disable in serve's answers");
        await Assert.That(since.Elapsed).IsLessThan(TimeSpan.FromSeconds(5));

        await cli.RunRawAsync("--data-dir", server.DataDir, "app", "enable", "--merchant", client.Web!.Email);
        await Poll.UntilAsync(async () => (await client.GetAsync("/api/v1/open/credit")).Code, code => code == 0, TimeSpan.FromSeconds(5),
            "the CLI's app enable in serve's answers");
    }
}
