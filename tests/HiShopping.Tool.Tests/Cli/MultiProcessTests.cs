using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Api.Signing;
using HiShopping.Store;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>
/// Two <c>serve</c> processes on one database, as behind a load balancer (issue 14): on PostgreSQL when the suite runs
/// with <c>HISHOP_TEST_PG</c>, on one SQLite file otherwise. Credit, nonces, token revocations and webhook claims are
/// the database's, so each process refuses what the other already let through, and no event goes out twice.
/// </summary>
[ParallelLimiter<ProcessLimit>]
public sealed class MultiProcessTests
{
    [Test]
    public async Task Two_serve_processes_share_credit_nonces_and_token_revocations()
    {
        await using var pair = await Pair.StartAsync(orders: 10);

        // 40 distinct orders for credit worth 10, half through each process, all at once: exactly 10 go through.
        var codes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            pair.Signed(i % 2, "POST", "/api/v1/open/orders", Order($"RACE-{i}"))));
        await Assert.That(codes.Count(c => c == 0)).IsEqualTo(10);
        await Assert.That(codes.Count(c => c == 2001)).IsEqualTo(30);
        await Assert.That(pair.Balance()).IsEqualTo(0);

        // One signed request (one nonce) sent to both at once: one answer 0, the other 1001.
        await pair.TopUpOneOrder();
        var replay = pair.Prepare("POST", "/api/v1/open/orders", Order("NONCE-ONCE"));
        var both = await Task.WhenAll(pair.Send(0, replay), pair.Send(1, replay));
        await Assert.That(both.Order().ToArray()).IsEquivalentTo(new[] { 0, 1001 });

        // A token revoked through one process is refused by the other.
        var token = await pair.LoginAsync(0);
        await Assert.That(await pair.WebAsync(1, HttpMethod.Get, "/api/v1/web/credit", token)).IsEqualTo(0);
        await Assert.That(await pair.WebAsync(0, HttpMethod.Post, "/api/v1/web/logout", token)).IsEqualTo(0);
        await Assert.That(await pair.WebAsync(1, HttpMethod.Get, "/api/v1/web/credit", token)).IsEqualTo(4001);

        var check = await pair.Cli.RunAsync("db", "check");
        await Assert.That(check.ExitCode).IsEqualTo(0);
    }

    [Test]
    public async Task Sigkill_of_one_of_two_serve_processes_mid_burst_loses_no_acknowledged_order()
    {
        await using var pair = await Pair.StartAsync(orders: 1_000_000);
        var acknowledged = new ConcurrentBag<string>();
        var forty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = 0;

        async Task Worker(int worker)
        {
            for (var i = 0; i < 400 && Volatile.Read(ref stop) == 0; i++)
            {
                try
                {
                    var (code, orderNo) = await pair.PlaceAsync(worker % 2, Order($"KILL-{worker}-{i}"));
                    if (code != 0) continue;
                    acknowledged.Add(orderNo!);
                    if (acknowledged.Count >= 40) forty.TrySetResult();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    if (worker % 2 == 0) return; // the killed process is gone; the other one's workers go on
                }
            }
        }

        var workers = Enumerable.Range(0, 16).Select(w => Task.Run(() => Worker(w))).ToList();
        await forty.Task.WaitAsync(TimeSpan.FromSeconds(60));
        pair.Serves[0].Process.Kill(); // SIGKILL: no shutdown, mid-batch
        await Task.Delay(500);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(workers);

        var orders = pair.Cli.Get<IOrderService>();
        var missing = acknowledged.Where(no => orders.Get(no) is null).ToList();
        await Assert.That(missing).IsEmpty();
        var check = await pair.Cli.RunAsync("db", "check");
        await Assert.That(check.ExitCode).IsEqualTo(0);
        // The survivor still answers (its writes went on while the other process died mid-batch).
        await Assert.That(await pair.Signed(1, "GET", "/api/v1/open/credit", "")).IsEqualTo(0);
    }

    [Test]
    public async Task Two_serve_processes_deliver_each_webhook_event_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var pair = await Pair.StartAsync(orders: 100, notifyUrl: receiver.Url);

        // Orders through both processes: each writes its order.paid event; both dispatchers look for pending events.
        var placed = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => pair.PlaceAsync(i % 2, Order($"HOOK-{i}"))));
        await Assert.That(placed.Count(p => p.Code == 0)).IsEqualTo(24);
        using (var c = pair.Cli.Get<Db>().Open())
        {
            var stored = c.Query<string>("SELECT event_id FROM webhook_events WHERE merchant_id = @id", new { id = pair.MerchantId }).ToHashSet();
            var received = new List<ReceivedWebhook>();
            while (received.Select(h => h.EventId).Distinct().Count() < stored.Count) received.Add(await receiver.NextAsync());
            // A little longer: a second delivery of any of them would arrive now.
            try { while (true) received.Add(await receiver.NextAsync(TimeSpan.FromSeconds(3))); }
            catch (TimeoutException) { }
            await Assert.That(received.Select(h => h.EventId).ToHashSet().SetEquals(stored)).IsTrue();
            await Assert.That(received.Count).IsEqualTo(stored.Count);
        }
    }

    private static string Order(string merchantOrderNo) => JsonSerializer.Serialize(new
    {
        merchant_order_no = merchantOrderNo,
        items = new[] { new { sku_id = "sku-100001", quantity = 1 } },
        shipping = new { name = "K", phone = "1", country = "US", state = "CA", city = "LA", address1 = "1 St", postal_code = "9" },
    });

    /// <summary>One data directory (one database), a merchant with keys and credit for N orders, and two serve processes on it.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        public required CliRunner Cli { get; init; }
        public required HishopProcess[] Serves { get; init; }
        public required HttpClient[] Http { get; init; }
        public required string AppId { get; init; }
        public required string ApiKey { get; init; }
        public required string SignKey { get; init; }
        public required long MerchantId { get; init; }
        public required long Price { get; init; }
        public const string Email = "pair@example.com";
        public const string Password = "password-123";

        public static async Task<Pair> StartAsync(long orders, string? notifyUrl = null)
        {
            var cli = new CliRunner(seeded: true);
            var user = cli.Get<IAccountService>().Create(Email, Password, Roles.Merchant);
            var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Pair" });
            long price;
            using (var c = cli.Get<Db>().Open()) price = c.ExecuteScalar<long>("SELECT price FROM skus WHERE sku_id = 'sku-100001'");
            cli.Get<ICreditService>().TopUp(merchant.Id, price * orders, null, null);
            var apps = cli.Get<IAppService>();
            var apiKey = apps.RegenerateApiKey(user.Id).Key;
            var signKey = apps.RegenerateSignKey(user.Id).Key;
            var appId = apps.GetForUser(user.Id).AppId;
            if (notifyUrl is not null) apps.Update(user.Id, new AppUpdate { NotifyUrl = notifyUrl });
            var ports = new[] { CliRunner.FreePort(), CliRunner.FreePort() };
            var env = new Dictionary<string, string> { ["HISHOP_ALLOW_PRIVATE_WEBHOOKS"] = "true", ["HISHOP_WEBHOOK_RETRY_BASE_MS"] = "50" };
            var serves = await Task.WhenAll(ports.Select(p =>
                HishopProcess.StartAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{p}"], env)));
            return new Pair
            {
                Cli = cli, Serves = serves, AppId = appId, ApiKey = apiKey, SignKey = signKey, MerchantId = merchant.Id, Price = price,
                Http = ports.Select(p => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{p}"), Timeout = TimeSpan.FromSeconds(20) }).ToArray(),
            };
        }

        public long Balance() => Cli.Get<ICreditService>().Summary(MerchantId).Balance;

        public Task TopUpOneOrder()
        {
            Cli.Get<ICreditService>().TopUp(MerchantId, Price, null, null);
            return Task.CompletedTask;
        }

        public sealed record Request(string Method, string Path, byte[] Body, string Timestamp, string Nonce, string Signature);

        public Request Prepare(string method, string path, string body)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var nonce = "pair" + Guid.NewGuid().ToString("N");
            var canonical = OpenApiSignature.CanonicalString(method, path, "", AppId, ts, nonce, OpenApiSignature.BodySha256(bytes));
            return new Request(method, path, bytes, ts, nonce, OpenApiSignature.Sign(SignKey, canonical));
        }

        public async Task<(int Code, string? OrderNo)> SendFull(int serve, Request r)
        {
            using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
            if (r.Body.Length > 0)
            {
                request.Content = new ByteArrayContent(r.Body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            request.Headers.Add(OpenApiSignature.AppIdHeader, AppId);
            request.Headers.Add(OpenApiSignature.ApiKeyHeader, ApiKey);
            request.Headers.Add(OpenApiSignature.TimestampHeader, r.Timestamp);
            request.Headers.Add(OpenApiSignature.NonceHeader, r.Nonce);
            request.Headers.Add(OpenApiSignature.SignatureHeader, r.Signature);
            using var response = await Http[serve].SendAsync(request);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var code = json.RootElement.GetProperty("code").GetInt32();
            return (code, code == 0 && json.RootElement.GetProperty("data").TryGetProperty("order_no", out var no) ? no.GetString() : null);
        }

        public async Task<int> Send(int serve, Request r) => (await SendFull(serve, r)).Code;

        public Task<int> Signed(int serve, string method, string path, string body) => Send(serve, Prepare(method, path, body));

        public Task<(int Code, string? OrderNo)> PlaceAsync(int serve, string body) => SendFull(serve, Prepare("POST", "/api/v1/open/orders", body));

        public async Task<string> LoginAsync(int serve)
        {
            using var response = await Http[serve].PostAsync("/api/v1/web/login",
                new StringContent(JsonSerializer.Serialize(new { email = Email, password = Password }), Encoding.UTF8, "application/json"));
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("data").GetProperty("token").GetString()!;
        }

        public async Task<int> WebAsync(int serve, HttpMethod method, string path, string token)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (method == HttpMethod.Post) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await Http[serve].SendAsync(request);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("code").GetInt32();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var http in Http) http.Dispose();
            foreach (var serve in Serves) await serve.DisposeAsync();
            Cli.Dispose();
        }
    }
}
