using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HiShopping.Api.Signing;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

[ParallelLimiter<ProcessLimit>]
public sealed class CrashRecoveryTests
{
    [Test]
    [Arguments(6)]
    [Arguments(64)] // issue 8: a burst the writer commits in batches
    public async Task Sigkill_in_the_middle_of_an_order_burst_loses_no_acknowledged_order(int connections)
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var user = cli.Get<IAccountService>().Create("burst@example.com", "password-123", Roles.Merchant);
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Burst" });
        cli.Get<ICreditService>().TopUp(merchant.Id, 100_000_000, null, null);
        var apps = cli.Get<IAppService>();
        var apiKey = apps.RegenerateApiKey(user.Id).Key;
        var signKey = apps.RegenerateSignKey(user.Id).Key;
        var appId = apps.GetForUser(user.Id).AppId;

        var port = CliRunner.FreePort();
        var acknowledged = new ConcurrentBag<string>();
        var nonces = new ConcurrentDictionary<string, string>(); // merchant_order_no → the nonce of its request
        var sixty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serve = await HishopProcess.StartServeAsync(cli.DataDir, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var killed = 0;

        async Task Worker(int worker)
        {
            for (var i = 0; i < 500 && Volatile.Read(ref killed) == 0; i++)
            {
                var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
                {
                    merchant_order_no = $"BURST-{worker}-{i}",
                    items = new[] { new { sku_id = "sku-100001", quantity = 1 } },
                    shipping = new { name = "K", phone = "1", country = "US", state = "CA", city = "LA", address1 = "1 St", postal_code = "9" },
                }));
                var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var nonce = "burst" + Guid.NewGuid().ToString("N");
                nonces[$"BURST-{worker}-{i}"] = nonce;
                var canonical = OpenApiSignature.CanonicalString("POST", "/api/v1/open/orders", "", appId, ts, nonce, OpenApiSignature.BodySha256(body));
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/open/orders") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(OpenApiSignature.AppIdHeader, appId);
                request.Headers.Add(OpenApiSignature.ApiKeyHeader, apiKey);
                request.Headers.Add(OpenApiSignature.TimestampHeader, ts);
                request.Headers.Add(OpenApiSignature.NonceHeader, nonce);
                request.Headers.Add(OpenApiSignature.SignatureHeader, OpenApiSignature.Sign(signKey, canonical));
                try
                {
                    using var response = await http.SendAsync(request);
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    if (json.RootElement.GetProperty("code").GetInt32() == 0)
                    {
                        acknowledged.Add(json.RootElement.GetProperty("data").GetProperty("order_no").GetString()!);
                        if (acknowledged.Count >= 60) sixty.TrySetResult();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    return; // the server is gone
                }
            }
        }

        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))).ToList();
        await sixty.Task.WaitAsync(TimeSpan.FromSeconds(60));
        serve.Process.Kill(); // SIGKILL: no shutdown, no flush, mid-transaction
        Volatile.Write(ref killed, 1);
        await serve.Process.WaitForExitAsync();
        await Task.WhenAll(workers);
        await serve.DisposeAsync();
        var acked = acknowledged.ToList();

        await using (await HishopProcess.StartServeAsync(cli.DataDir, port))
        {
            var orders = cli.Get<IOrderService>();
            var missing = acked.Where(no => orders.Get(no) is null).ToList();
            await Assert.That(missing).IsEmpty();
            var check = await cli.RunAsync("db", "check");
            await Assert.That(check.ExitCode).IsEqualTo(0);
            await Assert.That(check.Out).Contains("integrity: ok");
            var stored = orders.List(new OrderQuery { MerchantId = merchant.Id }).Total;
            await Assert.That(stored).IsGreaterThanOrEqualTo(acked.Count);
            // Every stored order committed with its nonce and its ledger entry (db check above holds each order to
            // exactly one ORDER entry of its total).
            using var c = cli.Get<HiShopping.Store.Database.Db>().Open();
            var storedOrders = Dapper.SqlMapper.Query<string>(c, "SELECT merchant_order_no FROM orders WHERE merchant_id = @id", new { id = merchant.Id }).ToList();
            var spent = Dapper.SqlMapper.Query<string>(c, "SELECT nonce FROM used_nonces WHERE app_id = @appId", new { appId }).ToHashSet();
            var withoutNonce = storedOrders.Where(mon => !spent.Contains(nonces[mon])).ToList();
            await Assert.That(withoutNonce).IsEmpty();
            var withoutEntry = Dapper.SqlMapper.ExecuteScalar<long>(c,
                "SELECT COUNT(*) FROM orders o WHERE o.merchant_id = @id AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_no = o.order_no AND l.type = 'ORDER')",
                new { id = merchant.Id });
            await Assert.That(withoutEntry).IsEqualTo(0);
        }
    }
}
