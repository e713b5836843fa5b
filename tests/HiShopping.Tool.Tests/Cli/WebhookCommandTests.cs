using HiShopping.Api.Features.Webhooks;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;

namespace HiShopping.Tool.Tests.Cli;

/// <summary>Issue 10 with the real binary: events written by the CLI next to serve, delivered after a SIGKILL and a restart.</summary>
[ParallelLimiter<ProcessLimit>]
public sealed class WebhookCommandTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["HISHOP_ALLOW_PRIVATE_WEBHOOKS"] = "true",
        ["HISHOP_WEBHOOK_RETRY_BASE_MS"] = "50",
    };

    [Test]
    public async Task Events_pending_when_serve_is_killed_are_delivered_in_order_after_the_restart_and_the_cli_lists_them()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo");
        var user = cli.Get<IAccountService>().Create("hooked@example.com", "password-123", Roles.Merchant);
        var merchant = cli.Get<IMerchantService>().Create(user.Id, new MerchantProfileInput { CompanyName = "Hooked" });
        var apps = cli.Get<IAppService>();
        var signKey = apps.RegenerateSignKey(user.Id).Key;
        var receiverPort = CliRunner.FreePort();
        apps.Update(user.Id, new AppUpdate { NotifyUrl = $"http://127.0.0.1:{receiverPort}/hook" });

        var port = CliRunner.FreePort();
        var serve = await HishopProcess.StartAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{port}"], Env);
        var webhooks = cli.Get<IWebhookService>();
        try
        {
            // Three top-ups by the operator's CLI while serve runs; nobody listens at notify_url yet.
            foreach (var amount in new[] { "10.00", "20.00", "30.00" })
                await Assert.That((await cli.RunAsync("credit", "topup", "--merchant", "hooked@example.com", "--amount", amount)).ExitCode).IsEqualTo(0);
            await Poll.UntilAsync(() => Task.FromResult(webhooks.List(new DeliveryQuery { MerchantId = merchant.Id }).Items),
                items => items.Count == 3 && items.Min(d => d.Attempts) == 0 && items.Max(d => d.Attempts) >= 2, TimeSpan.FromSeconds(20),
                "serve trying the first event (the later ones wait behind it)");
            serve.Process.Kill(entireProcessTree: true);
            await serve.Process.WaitForExitAsync();
        }
        finally
        {
            await serve.DisposeAsync();
        }
        var ids = webhooks.List(new DeliveryQuery { MerchantId = merchant.Id }).Items.OrderBy(d => d.Id).Select(d => d.EventId).ToList();
        await Assert.That(webhooks.List(new DeliveryQuery { MerchantId = merchant.Id, Status = DeliveryStatuses.Pending }).Total).IsEqualTo(3);

        await using var receiver = await WebhookReceiver.StartAsync(port: receiverPort);
        await using var again = await HishopProcess.StartAsync(["serve", "--data-dir", cli.DataDir, "--urls", $"http://127.0.0.1:{port}"], Env);
        var received = new List<ReceivedWebhook>();
        // The kill may land while an attempt is under way: its claim (a lease of the delivery timeout + 30 s, so that
        // no other serve sends the same attempt meanwhile) then holds the first event until it runs out.
        received.Add(await receiver.NextAsync(TimeSpan.FromSeconds(10 + 30 + 20)));
        for (var i = 1; i < 3; i++) received.Add(await receiver.NextAsync());

        await Assert.That(received.Select(h => h.EventId)).IsEquivalentTo(ids, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        foreach (var hook in received)
        {
            var t = hook.Signature.Split(',')[0]["t=".Length..];
            await Assert.That(hook.Signature).IsEqualTo($"t={t},v1={WebhookDispatcher.Sign(signKey, t, hook.Body)}");
        }
        await Assert.That(received.Select(h => h.Text.Contains("\"amount\":\"10.00\"") ? 1 : h.Text.Contains("\"amount\":\"20.00\"") ? 2 : 3))
            .IsEquivalentTo(new[] { 1, 2, 3 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var listed = await Poll.UntilAsync(() => cli.RunAsync("webhook", "list", "--merchant", "hooked@example.com"),
            r => r.Out.Split('\n').Count(l => l.Contains(" delivered ")) == 3, TimeSpan.FromSeconds(10), "three delivered events listed");
        await Assert.That(listed.Out).Contains("credit.topup");
        await Assert.That(listed.Out).Contains("3 events");
        var retry = await cli.RunAsync("webhook", "retry", "--event-id", ids[0]);
        await Assert.That(retry.ExitCode).IsEqualTo(2);
        await Assert.That(retry.Err).Contains("delivered already");
        var unknown = await cli.RunAsync("webhook", "retry", "--event-id", "evt_nope");
        await Assert.That(unknown.ExitCode).IsEqualTo(1);
        await Assert.That(unknown.ErrLines.Length).IsEqualTo(1);
    }
}
