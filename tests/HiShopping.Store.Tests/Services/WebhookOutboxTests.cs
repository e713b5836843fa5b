using HiShopping.Store.Services;
using HiShopping.Store.Webhooks;

namespace HiShopping.Store.Tests.Services;

/// <summary>Issue 10: the outbox's claim, so that no read that raced an attempt's record sends an event twice.</summary>
public sealed class WebhookOutboxTests
{
    [Test]
    public async Task An_event_is_claimed_once_per_attempt_and_a_stale_read_claims_nothing()
    {
        using var store = new TestStore();
        var (merchantId, userId) = Seed.Merchant(store);
        store.Get<IAppService>().Update(userId, new AppUpdate { NotifyUrl = "https://hooks.example.com/hishop" });
        store.Get<ICreditService>().TopUp(merchantId, 10_00, null, null);
        var webhooks = store.Get<IWebhookService>();
        var due = webhooks.Due(10).Single();
        var lease = TimeSpan.FromSeconds(40);

        await Assert.That(webhooks.Claim(due, lease)).IsTrue();
        await Assert.That(webhooks.Claim(due, lease)).IsFalse();   // taken: not due for the lease
        await Assert.That(webhooks.Due(10)).IsEmpty();

        var failed = webhooks.Record(due.Id, new DeliveryOutcome(false, 500, "HTTP 500"), new WebhookRetryPolicy { BaseDelay = TimeSpan.Zero });
        await Assert.That(failed.Attempts).IsEqualTo(1);
        await Assert.That(webhooks.Claim(due, lease)).IsFalse();   // the read from before the attempt is stale
        var again = webhooks.Due(10).Single();
        await Assert.That(webhooks.Claim(again, lease)).IsTrue();  // the fresh one goes
        webhooks.Record(again.Id, new DeliveryOutcome(true, 200, null), new WebhookRetryPolicy());
        await Assert.That(webhooks.Claim(again, lease)).IsFalse();
        await Assert.That(webhooks.Get(due.EventId)!.Status).IsEqualTo(DeliveryStatuses.Delivered);
    }
}
