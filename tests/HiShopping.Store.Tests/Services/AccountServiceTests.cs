using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

public sealed class AccountServiceTests
{
    [Test]
    public async Task Emails_are_unique_regardless_of_case()
    {
        using var store = new TestStore();
        var accounts = store.Get<IAccountService>();
        accounts.Create("Ada@Example.com", "password-123", Roles.Merchant);

        var error = await Assert.That(() => accounts.Create("ada@example.COM", "password-123", Roles.Merchant)).Throws<HiShopException>();
        await Assert.That(error!.Code).IsEqualTo(ErrorCode.Conflict);
        await Assert.That(accounts.Find("ADA@example.com")!.Email).IsEqualTo("ada@example.com");
    }

    [Test]
    [Arguments("not-an-email", "password-123")]
    [Arguments("ok@example.com", "short")]
    public async Task Bad_emails_and_short_passwords_are_refused(string email, string password)
    {
        using var store = new TestStore();
        var error = await Assert.That(() => store.Get<IAccountService>().Create(email, password, Roles.Merchant)).Throws<HiShopException>();
        await Assert.That(error!.Code).IsEqualTo(ErrorCode.InvalidRequest);
        await Assert.That(store.Get<IAccountService>().List().Count).IsEqualTo(0);
    }

    [Test]
    public async Task Password_changes_and_disabling_bump_the_token_version_but_enabling_does_not()
    {
        using var store = new TestStore();
        var accounts = store.Get<IAccountService>();
        var user = accounts.Create("v@example.com", "password-123", Roles.Merchant);

        var changed = accounts.ChangePassword(user.Id, "password-123", "password-456");
        var disabled = accounts.SetStatus("v@example.com", "disabled");
        var enabled = accounts.SetStatus("v@example.com", "active");

        await Assert.That(changed.TokenVersion).IsEqualTo(user.TokenVersion + 1);
        await Assert.That(disabled.TokenVersion).IsEqualTo(user.TokenVersion + 2);
        await Assert.That(enabled.TokenVersion).IsEqualTo(disabled.TokenVersion);
        await Assert.That(accounts.VerifyCredentials("v@example.com", "password-456").Id).IsEqualTo(user.Id);
    }

    [Test]
    public async Task A_tokens_state_is_its_users_status_and_version_and_its_own_revocation()
    {
        using var store = new TestStore();
        var accounts = store.Get<IAccountService>();
        var user = accounts.Create("t@example.com", "password-123", Roles.Merchant);
        accounts.Revoke("jti-revoked", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        accounts.SetStatus("t@example.com", "disabled");

        var revoked = accounts.TokenState(user.Id, "jti-revoked");
        var other = accounts.TokenState(user.Id, "jti-other");

        await Assert.That(revoked!.Revoked).IsTrue();
        await Assert.That(other!.Revoked).IsFalse();
        await Assert.That(other.Status).IsEqualTo("disabled");
        await Assert.That(other.TokenVersion).IsEqualTo(user.TokenVersion + 1);
        await Assert.That(accounts.TokenState(user.Id + 1000, "jti-other")).IsNull();
        // The merchant id the Web API trusts for the request: none without a profile, the profile's own with one.
        await Assert.That(other.MerchantId).IsNull();
        var (merchantId, merchantUser) = Seed.Merchant(store);
        await Assert.That(accounts.TokenState(merchantUser, "jti-other")!.MerchantId).IsEqualTo(merchantId);
    }
}
