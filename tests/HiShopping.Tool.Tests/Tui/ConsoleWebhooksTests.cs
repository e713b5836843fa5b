using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;
using Terminal.Gui.Input;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>Issue 10: the merchant's Webhooks screen over the local store — the deliveries, a retry, a test ping.</summary>
public sealed class ConsoleWebhooksTests
{
    [Test]
    public async Task The_webhooks_screen_lists_deliveries_retries_a_failed_one_and_sends_a_test_ping()
    {
        using var store = await ConsoleStore.CreateAsync();
        var user = store.Cli.Get<IAccountService>().Find(ConsoleStore.Merchant)!;
        store.Cli.Get<IAppService>().Update(user.Id, new AppUpdate { NotifyUrl = "https://hooks.example.com/hishop" });
        store.Cli.Get<ICreditService>().TopUp(store.MerchantId, 25_00, "for the hook", null);
        var webhooks = store.Cli.Get<IWebhookService>();
        var topUp = webhooks.List(new DeliveryQuery { MerchantId = store.MerchantId }).Items.Single();
        // As the dispatcher leaves an event after three days of failures.
        store.Cli.Get<Db>().Write((c, t) => c.Execute("UPDATE webhook_events SET status = 'failed', attempts = 9, last_error = 'HTTP 500' WHERE id = @Id", topUp, t));

        await using var ui = await ConsoleHarness.StartAsync(store.LocalClient(), width: 120, height: 30);
        await ui.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password, "Credit Status");
        await ui.OpenAsync("Webhooks", "credit.topup");
        // The app (its notify URL) and the deliveries load side by side: wait for both.
        var screen = await ui.WaitForAsync("Notify URL: https://hooks.example.com/hishop");
        await Assert.That(screen).Contains("credit.topup");
        await Assert.That(screen).Contains("failed");
        await Assert.That(screen).Contains("HTTP 500");

        await ui.PressAsync(Key.R.WithAlt);
        await ui.WaitForAsync("is due again");
        await Assert.That(webhooks.Get(topUp.EventId)!.Status).IsEqualTo(DeliveryStatuses.Pending);
        await ui.PressAsync(Key.Enter);

        await ui.PressAsync(Key.T.WithAlt);
        await ui.WaitForAsync("is on its way");
        await ui.PressAsync(Key.Enter);
        await ui.WaitForAsync("webhook.test");
        var all = webhooks.List(new DeliveryQuery { MerchantId = store.MerchantId });
        await Assert.That(all.Items.Select(d => d.Type)).IsEquivalentTo(new[] { "webhook.test", "credit.topup" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(ui.Errors).IsEmpty();
    }
}
