using HiShopping.Api;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HiShopping.Store.Tests.Services;

/// <summary>
/// Issue 8: the app cache of the order path (<see cref="CachedAppService"/>) against a change made by another process
/// (the CLI next to serve), on a clock this test moves: the cached app is served until a second has passed since the
/// cache last asked the database, and the change is seen at that second. The API tests show the same end to end.
/// </summary>
public sealed class CachedAppServiceTests
{
    [Test]
    [Arguments("app disabled")]
    [Arguments("user disabled")]
    [Arguments("sign key regenerated")]
    public async Task A_change_by_another_process_is_seen_once_a_second_has_passed_and_the_cache_serves_until_then(string change)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new TestStore(clock: clock);
        var email = $"cache-{Guid.NewGuid():N}@example.com";
        var (merchantId, userId) = Seed.Merchant(store, email);
        var apps = store.Get<IAppService>();
        await Assert.That(apps).IsTypeOf<CachedAppService>();
        var appId = apps.GetForMerchant(merchantId).AppId;
        var before = apps.RegenerateSignKey(userId).Key;
        await Assert.That(apps.FindByAppId(appId)!.Usable).IsTrue();
        await Assert.That(apps.SignKey(appId)).IsEqualTo(before);

        // Another process on the same file: its own composition root, its own writer.
        using (var other = new ServiceCollection().AddHiShoppingDomain(store.Options).BuildServiceProvider())
        {
            switch (change)
            {
                case "app disabled": other.GetRequiredService<IAppService>().SetStatus(merchantId, "disabled"); break;
                case "user disabled": other.GetRequiredService<IAccountService>().SetStatus(email, "disabled"); break;
                default: other.GetRequiredService<IAppService>().RegenerateSignKey(userId); break;
            }
        }
        bool Seen() => change == "sign key regenerated" ? apps.SignKey(appId) != before : !apps.FindByAppId(appId)!.Usable;

        clock.Advance(TimeSpan.FromMilliseconds(999));
        await Assert.That(Seen()).IsFalse().Because("the cached app is served within the second");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.That(Seen()).IsTrue().Because($"{change} by another process is seen once the second has passed");
    }

    [Test]
    public async Task A_change_made_in_this_process_is_seen_by_the_very_next_lookup()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new TestStore(clock: clock);
        var (merchantId, userId) = Seed.Merchant(store);
        var apps = store.Get<IAppService>();
        var appId = apps.GetForMerchant(merchantId).AppId;
        var issued = apps.RegenerateSignKey(userId);
        await Assert.That(apps.SignKey(appId)).IsEqualTo(issued.Key);

        apps.SetStatus(merchantId, "disabled");
        await Assert.That(apps.FindByAppId(appId)!.Usable).IsFalse();
        var again = apps.RegenerateSignKey(userId);
        await Assert.That(apps.SignKey(appId)).IsEqualTo(again.Key); // the clock never moved
    }
}
