using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Samples;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;

namespace HiShopping.Api.Tests.Features;

/// <summary>Issue 10: signed webhooks from the outbox to a real receiver on 127.0.0.1.</summary>
public sealed class WebhookTests
{
    private static Task<ApiServer> ServerAsync(bool allowPrivate = true) => ApiServer.StartAsync(s => s with
    {
        Webhooks = new WebhookSettings
        {
            AllowPrivateAddresses = allowPrivate,
            Retry = new WebhookRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(20) },
            PollInterval = TimeSpan.FromMilliseconds(20),
        },
    }, seedDemoCatalog: true);

    private static async Task HookAsync(OpenClient client, string url, string? lowCreditThreshold = null) =>
        (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { notify_url = url, low_credit_threshold = lowCreditThreshold })).EnsureCode(0);

    private static JsonElement Verified(ReceivedWebhook hook, string signKey)
    {
        if (!HiShoppingWebhook.TryVerify(signKey, hook.Signature, hook.Body, DateTimeOffset.UtcNow, out var why))
            throw new InvalidOperationException($"{hook.EventId}: {why}");
        using var document = JsonDocument.Parse(hook.Body);
        return document.RootElement.Clone();
    }

    [Test]
    public async Task An_order_through_fulfilment_and_a_cancelled_one_send_exactly_their_events_in_order_each_signed()
    {
        await using var server = await ServerAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = await server.NewIntegrationAsync(credit: 1_000_000);
        await HookAsync(client, receiver.Url);
        var orders = server.Get<IOrderService>();

        var a = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("HOOK-A"))).EnsureCode(0).Data.GetProperty("order_no").GetString()!;
        orders.Process(a);
        orders.Ship(a, "DHL", "JD0146");
        orders.Deliver(a);
        var b = (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("HOOK-B"))).EnsureCode(0).Data.GetProperty("order_no").GetString()!;
        (await client.PostAsync($"/api/v1/open/orders/{b}/cancel", new { reason = "changed mind" })).EnsureCode(0);
        // A refused order (2001) rolls back, and its event with it.
        var price = server.Get<HiShopping.Store.Catalog.ICatalogService>().GetGoods("gd-100001")!.Skus.Single(s => s.SkuId == "sku-100001").Price;
        var available = server.Get<ICreditService>().Summary(client.MerchantId).Available;
        (await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("HOOK-BROKE", quantity: (int)(available / price) + 1))).EnsureCode(2001);

        var expected = new[]
        {
            ("order.paid", a, "paid"), ("order.processing", a, "processing"), ("order.shipped", a, "shipped"), ("order.delivered", a, "delivered"),
            ("order.paid", b, "paid"), ("order.cancelled", b, "cancelled"),
        };
        var ids = new HashSet<string>();
        foreach (var (type, orderNo, status) in expected)
        {
            var hook = await receiver.NextAsync();
            var payload = Verified(hook, client.SignKey);
            await Assert.That(payload.GetProperty("type").GetString()).IsEqualTo(type);
            await Assert.That(hook.EventType).IsEqualTo(type);
            await Assert.That(payload.GetProperty("id").GetString()).IsEqualTo(hook.EventId);
            await Assert.That(ids.Add(hook.EventId)).IsTrue();
            var data = payload.GetProperty("data");
            await Assert.That(data.GetProperty("order_no").GetString()).IsEqualTo(orderNo);
            await Assert.That(data.GetProperty("status").GetString()).IsEqualTo(status);
            if (type == "order.shipped") await Assert.That(data.GetProperty("tracking").GetProperty("tracking_no").GetString()).IsEqualTo("JD0146");
            if (type == "order.cancelled")
                await Assert.That(data.GetProperty("ledger_references").EnumerateArray().Any(r => r.GetProperty("type").GetString() == "REFUND")).IsTrue();
        }
        var all = server.Get<IWebhookService>().List(new DeliveryQuery { MerchantId = client.MerchantId, PageSize = 100 });
        await Assert.That(all.Total).IsEqualTo(6);
        await Assert.That(all.Items.Select(d => d.Payload)).DoesNotContain(p => p.Contains("HOOK-BROKE"));
    }

    [Test]
    public async Task A_receiver_failing_three_times_gets_the_same_event_on_the_fourth_attempt_and_the_deliveries_say_so()
    {
        await using var server = await ServerAsync();
        await using var receiver = await WebhookReceiver.StartAsync(answers: [500, 500, 503]);
        var client = await server.NewIntegrationAsync();
        await HookAsync(client, receiver.Url);

        server.Get<ICreditService>().TopUp(client.MerchantId, 12_34, "for the hook", null);

        var attempts = new List<ReceivedWebhook>();
        for (var i = 0; i < 4; i++) attempts.Add(await receiver.NextAsync());
        await Assert.That(attempts.Select(h => h.AnsweredWith)).IsEquivalentTo(new[] { 500, 500, 503, 200 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(attempts.Select(h => h.EventId).Distinct().Count()).IsEqualTo(1);
        await Assert.That(attempts.Select(h => h.Text).Distinct().Count()).IsEqualTo(1);
        var payload = Verified(attempts[^1], client.SignKey);
        await Assert.That(payload.GetProperty("type").GetString()).IsEqualTo("credit.topup");
        await Assert.That(payload.GetProperty("data").GetProperty("amount").GetString()).IsEqualTo("12.34");

        var deliveries = await Poll.UntilAsync(() => client.Web!.GetAsync("/api/v1/web/webhooks/deliveries"),
            r => r.Data.GetProperty("items")[0].GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(10), "the delivery recorded");
        var row = deliveries.Data.GetProperty("items")[0];
        await Assert.That(row.GetProperty("event_id").GetString()).IsEqualTo(attempts[0].EventId);
        await Assert.That(row.GetProperty("attempts").GetInt64()).IsEqualTo(4);
        await Assert.That(row.GetProperty("last_status_code").GetInt64()).IsEqualTo(200);

        // A delivered event is not sent again; the test ping is, to the same URL, signed the same way.
        (await client.Web!.SendAsync(HttpMethod.Post, $"/api/v1/web/webhooks/deliveries/{attempts[0].EventId}/retry")).EnsureCode(4000);
        var ping = (await client.Web!.SendAsync(HttpMethod.Post, "/api/v1/web/webhooks/test")).EnsureCode(0).Data.GetProperty("event_id").GetString();
        var test = await receiver.NextAsync();
        await Assert.That(test.EventId).IsEqualTo(ping);
        await Assert.That(Verified(test, client.SignKey).GetProperty("data").GetProperty("app_id").GetString()).IsEqualTo(client.AppId);
    }

    [Test]
    public async Task A_private_notify_url_is_refused_by_default_and_the_delivery_says_why_then_a_retry_is_queued()
    {
        await using var server = await ServerAsync(allowPrivate: false);
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = await server.NewIntegrationAsync();
        await HookAsync(client, receiver.Url);
        server.Get<ICreditService>().TopUp(client.MerchantId, 100, null, null);

        var refused = await Poll.UntilAsync(() => client.Web!.GetAsync("/api/v1/web/webhooks/deliveries"),
            r => r.Data.GetProperty("items")[0].GetProperty("attempts").GetInt64() >= 1, TimeSpan.FromSeconds(10), "the refused attempt recorded");
        var row = refused.Data.GetProperty("items")[0];
        await Assert.That(row.GetProperty("last_error").GetString()).Contains("refused: notify_url resolves to a loopback");
        await Assert.That(row.GetProperty("last_error").GetString()).DoesNotContain("127.0.0.1");
        await Assert.That(row.GetProperty("last_error").GetString()).Contains("--allow-private-webhooks");
        await Assert.That(row.GetProperty("last_status_code").ValueKind).IsEqualTo(JsonValueKind.Null);
        var retried = (await client.Web!.SendAsync(HttpMethod.Post, $"/api/v1/web/webhooks/deliveries/{row.GetProperty("event_id").GetString()}/retry")).EnsureCode(0);
        await Assert.That(retried.Data.GetProperty("status").GetString()).IsEqualTo("pending");
        // One test ping at a time: while the first is pending (refused, waiting to retry), a second is 4005.
        (await client.Web!.SendAsync(HttpMethod.Post, "/api/v1/web/webhooks/test")).EnsureCode(0);
        (await client.Web!.SendAsync(HttpMethod.Post, "/api/v1/web/webhooks/test")).EnsureCode(4005);
        // Another merchant's event is not found.
        var other = await server.NewMerchantAsync();
        (await other.SendAsync(HttpMethod.Post, $"/api/v1/web/webhooks/deliveries/{row.GetProperty("event_id").GetString()}/retry")).EnsureCode(4004);
    }

    [Test]
    [Arguments("127.0.0.1", true)]
    [Arguments("10.1.2.3", true)]
    [Arguments("172.20.0.1", true)]
    [Arguments("192.168.1.1", true)]
    [Arguments("169.254.169.254", true)]
    [Arguments("100.64.0.1", true)]
    [Arguments("0.0.0.0", true)]
    [Arguments("::1", true)]
    [Arguments("::ffff:127.0.0.1", true)]
    [Arguments("fd00:ec2::254", true)]
    [Arguments("fe80::1", true)]
    [Arguments("64:ff9b::a9fe:a9fe", true)]
    [Arguments("2002:a9fe:a9fe::1", true)]
    [Arguments("::a00:1", true)]
    [Arguments("93.184.216.34", false)]
    [Arguments("2606:4700:4700::1111", false)]
    public async Task Private_addresses_are_known(string address, bool inside) =>
        await Assert.That(WebhookDispatcher.IsPrivate(IPAddress.Parse(address))).IsEqualTo(inside);

    [Test]
    public async Task Credit_low_comes_once_when_available_credit_falls_below_the_threshold_and_limit_changes_are_sent()
    {
        await using var server = await ServerAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = await server.NewIntegrationAsync(credit: 100_00);
        await HookAsync(client, receiver.Url, lowCreditThreshold: "60.00");
        var credit = server.Get<ICreditService>();

        credit.Adjust(client.MerchantId, -30_00, "first", null);   // 70.00 left: above the threshold
        credit.Adjust(client.MerchantId, -20_00, "second", null);  // 50.00: crosses it
        credit.Adjust(client.MerchantId, -5_00, "third", null);    // 45.00: already below, no second credit.low
        credit.SetLimit(client.MerchantId, 50_00);

        var types = new List<string>();
        for (var i = 0; i < 5; i++) types.Add(Verified(await receiver.NextAsync(), client.SignKey).GetProperty("type").GetString()!);
        await Assert.That(types).IsEquivalentTo(new[] { "credit.adjusted", "credit.adjusted", "credit.low", "credit.adjusted", "credit.limit_changed" },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var app = (await client.Web!.GetAsync("/api/v1/web/app")).Data;
        await Assert.That(app.GetProperty("low_credit_threshold").GetString()).IsEqualTo("60.00");
        (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { low_credit_threshold = "-1" })).EnsureCode(4000);
    }

    [Test]
    [Arguments("python3", "webhook.py")]
    [Arguments("node", "webhook.js")]
    public async Task The_receiver_samples_verify_a_webhook_the_server_sent_and_refuse_a_tampered_one(string interpreter, string script)
    {
        await using var server = await ServerAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = await server.NewIntegrationAsync();
        await HookAsync(client, receiver.Url);
        server.Get<ICreditService>().TopUp(client.MerchantId, 5_00, "sample", null);
        var hook = await receiver.NextAsync();
        var body = Path.GetTempFileName();
        var tampered = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(body, hook.Body);
            await File.WriteAllTextAsync(tampered, hook.Text.Replace("5.00", "500.00"));
            var (ok, okOut) = await RunAsync(interpreter, script, client.SignKey, hook.Signature, body);
            await Assert.That(ok).IsEqualTo(0).Because(okOut);
            await Assert.That(okOut.Trim()).IsEqualTo($"ok {hook.EventId} credit.topup");
            var (bad, badOut) = await RunAsync(interpreter, script, client.SignKey, hook.Signature, tampered);
            await Assert.That(bad).IsEqualTo(1);
            await Assert.That(badOut).Contains("does not match");
            var stale = DateTimeOffset.UtcNow.AddMinutes(6).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var (late, lateOut) = await RunAsync(interpreter, script, client.SignKey, hook.Signature, body, stale);
            await Assert.That(late).IsEqualTo(1);
            await Assert.That(lateOut).Contains("300 s");
        }
        finally
        {
            File.Delete(body);
            File.Delete(tampered);
        }
    }

    [Test]
    public async Task The_python_receiver_of_the_walk_through_prints_each_verified_event()
    {
        await using var server = await ServerAsync();
        var client = await server.NewIntegrationAsync();
        var port = CliRunner.FreePort();
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(SamplesDir(), "receiver.py"));
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(client.SignKey);
        using var process = Process.Start(info)!;
        try
        {
            var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lines.Writer.TryWrite(line); };
            process.BeginOutputReadLine();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Assert.That(await lines.Reader.ReadAsync(deadline.Token)).StartsWith("listening on");
            await HookAsync(client, $"http://127.0.0.1:{port}/hook");

            var entry = server.Get<ICreditService>().TopUp(client.MerchantId, 7_00, "walk-through", null);

            var printed = await lines.Reader.ReadAsync(deadline.Token);
            await Assert.That(printed).StartsWith("ok evt_");
            await Assert.That(printed).EndsWith($"credit.topup {entry.ReferenceNo}");
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string interpreter, string script, params string[] args)
    {
        var info = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(SamplesDir(), script));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }

    private static string SamplesDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HiShopping.Tool.sln"))) return Path.Combine(dir.FullName, "docs", "samples");
        throw new DirectoryNotFoundException("docs/samples");
    }
}
