using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Tool.Tui.Client;

namespace HiShopping.Tool.Tests.Tui;

/// <summary>Issue 13: the console's local sign-in goes through the same lockout as the Web API's login.</summary>
public sealed class LocalSignInTests
{
    [Test]
    public async Task Ten_wrong_passwords_lock_a_local_sign_in_too()
    {
        using var store = ConsoleStore.Create();
        using var client = store.LocalClient();
        for (var i = 0; i < LoginThrottle.LockAfter; i++)
        {
            var wrong = await Assert.That(async () => await client.LoginAsync(ConsoleStore.Merchant, "not-the-password")).Throws<HiShopException>();
            await Assert.That(wrong!.Code).IsEqualTo(ErrorCode.InvalidCredentials);
        }

        var locked = await Assert.That(async () => await client.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password)).Throws<HiShopException>();
        await Assert.That(locked!.Code).IsEqualTo(ErrorCode.TooManyRequests);
        // The lock is the store's: the CLI lifts it for the console as for the API.
        await Assert.That((await store.Cli.RunAsync("user", "unlock", "--email", ConsoleStore.Merchant)).ExitCode).IsEqualTo(0);
        await Assert.That((await client.LoginAsync(ConsoleStore.Merchant, ConsoleStore.Password)).Email).IsEqualTo(ConsoleStore.Merchant);
    }
}
