using System.Text;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

public sealed class SecretsAtRestTests
{
    [Test, Category(TestData.SqliteFile)]
    public async Task No_password_api_key_sign_key_or_bank_account_is_in_the_database_files_in_clear()
    {
        await using var server = await ApiServer.StartAsync();
        var password = "plaintext-password-" + Guid.NewGuid().ToString("N")[..8];
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, password, Roles.Merchant);
        var session = await server.LoginAsync(email, password);
        const string account = "NL91ABNA0417164300";
        (await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", new { company_name = "Vault BV", bank_account = new { account_number = account } })).EnsureCode(0);
        var apiKey = (await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).Data.GetProperty("api_key").GetString()!;
        var signKey = (await session.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).Data.GetProperty("sign_key").GetString()!;
        var newPassword = "changed-password-" + Guid.NewGuid().ToString("N")[..8];
        (await session.SendAsync(HttpMethod.Put, "/api/v1/web/password", new { old_password = password, new_password = newPassword })).EnsureCode(0);

        var files = Directory.GetFiles(server.DataDir, "hishop.db*");
        await Assert.That(files.Length).IsGreaterThanOrEqualTo(1);
        var bytes = files.SelectMany(File.ReadAllBytes).ToArray();
        // The check itself can see: the email (not a secret) is there in clear.
        await Assert.That(Contains(bytes, email)).IsTrue();
        foreach (var secret in new[] { password, newPassword, apiKey, apiKey[3..], signKey, signKey[3..], account, "0417164300" })
            await Assert.That(Contains(bytes, secret)).IsFalse();
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
