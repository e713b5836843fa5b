using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class AppTests(ApiServer server)
{
    [Test]
    public async Task The_api_key_is_shown_in_full_once_then_only_masked()
    {
        var session = await server.NewMerchantAsync();
        var before = (await session.GetAsync("/api/v1/web/apikey")).EnsureCode(0).Data;
        await Assert.That(before.GetProperty("api_key").ValueKind).IsEqualTo(System.Text.Json.JsonValueKind.Null);

        var issued = (await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).EnsureCode(0).Data;
        var key = issued.GetProperty("api_key").GetString()!;
        await Assert.That(key).StartsWith("hk_");
        await Assert.That(key.Length).IsGreaterThan(30);

        var shown = await session.GetAsync("/api/v1/web/apikey");
        await Assert.That(shown.Data.GetProperty("api_key").GetString()).IsEqualTo($"hk_…{key[^4..]}");
        await Assert.That(shown.Raw).DoesNotContain(key[3..]);
        var app = await session.GetAsync("/api/v1/web/app");
        await Assert.That(app.Data.GetProperty("api_key_set").GetBoolean()).IsTrue();
        await Assert.That(app.Raw).DoesNotContain(key[3..]);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Regenerating_the_api_key_replaces_the_old_one_at_once()
    {
        var session = await server.NewMerchantAsync();
        var first = (await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).Data.GetProperty("api_key").GetString()!;
        var second = (await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).Data.GetProperty("api_key").GetString()!;

        await Assert.That(second).IsNotEqualTo(first);
        var stored = server.Get<IAppService>().GetForMerchant(session.MerchantId);
        await Assert.That(stored.ApiKeyLast4).IsEqualTo(second[^4..]);
        // Only the hash of the current key is stored: the old key's hash is gone.
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={server.Store.DbPath}");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT api_key_hash FROM apps WHERE merchant_id = $m";
        command.Parameters.AddWithValue("$m", session.MerchantId);
        var hash = (string)command.ExecuteScalar()!;
        await Assert.That(hash).IsEqualTo(HiShopping.Store.Security.Keys.Sha256Hex(second));
    }

    [Test]
    public async Task The_sign_key_is_shown_once_and_regenerating_replaces_it()
    {
        var session = await server.NewMerchantAsync();
        var first = (await session.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).EnsureCode(0).Data;
        var firstKey = first.GetProperty("sign_key").GetString()!;
        await Assert.That(firstKey).StartsWith("sk_");
        await Assert.That(first.GetProperty("created_at").GetString()).EndsWith("Z");

        var app = await session.GetAsync("/api/v1/web/app");
        await Assert.That(app.Data.GetProperty("sign_key_set").GetBoolean()).IsTrue();
        await Assert.That(app.Data.GetProperty("sign_key_created_at").GetString()).IsNotNull();
        await Assert.That(app.Raw).DoesNotContain(firstKey);

        var secondKey = (await session.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).Data.GetProperty("sign_key").GetString();
        await Assert.That(secondKey).IsNotEqualTo(firstKey);
    }

    [Test]
    public async Task Put_app_sets_name_notify_url_and_ip_whitelist()
    {
        var session = await server.NewMerchantAsync();
        var response = await session.SendAsync(HttpMethod.Put, "/api/v1/web/app", new
        {
            name = "Storefront", notify_url = "https://shop.example/hooks/hishop", ip_whitelist = new[] { "203.0.113.7", "198.51.100.0/24", "2001:db8::/32" },
        });

        await Assert.That(response.Code).IsEqualTo(0);
        var app = (await session.GetAsync("/api/v1/web/app")).Data;
        await Assert.That(app.GetProperty("name").GetString()).IsEqualTo("Storefront");
        await Assert.That(app.GetProperty("notify_url").GetString()).IsEqualTo("https://shop.example/hooks/hishop");
        await Assert.That(app.GetProperty("ip_whitelist").GetArrayLength()).IsEqualTo(3);

        // An empty notify_url clears it; fields not sent stay.
        (await session.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { notify_url = "" })).EnsureCode(0);
        var cleared = (await session.GetAsync("/api/v1/web/app")).Data;
        await Assert.That(cleared.GetProperty("notify_url").ValueKind).IsEqualTo(System.Text.Json.JsonValueKind.Null);
        await Assert.That(cleared.GetProperty("name").GetString()).IsEqualTo("Storefront");
    }

    [Test]
    public async Task Put_app_refuses_bad_urls_and_addresses_and_changes_nothing()
    {
        var session = await server.NewMerchantAsync();
        var response = await session.SendAsync(HttpMethod.Put, "/api/v1/web/app", new
        {
            name = "Changed", notify_url = "javascript:alert(1)", ip_whitelist = new[] { "10.0.0.1", "999.1.1.1", "10.0.0.0/99" },
        });

        await Assert.That(response.Code).IsEqualTo(4000);
        var errors = response.Data.GetProperty("errors");
        await Assert.That(errors.TryGetProperty("notify_url", out _)).IsTrue();
        await Assert.That(errors.GetProperty("ip_whitelist").GetArrayLength()).IsEqualTo(2);
        var app = (await session.GetAsync("/api/v1/web/app")).Data;
        await Assert.That(app.GetProperty("name").GetString()).IsNotEqualTo("Changed");
    }

    [Test]
    public async Task Keys_and_app_need_a_profile_first()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        await Assert.That((await session.GetAsync("/api/v1/web/app")).Code).IsEqualTo(4004);
        await Assert.That((await session.GetAsync("/api/v1/web/apikey")).Code).IsEqualTo(4004);
        await Assert.That((await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).Code).IsEqualTo(4004);
        await Assert.That((await session.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).Code).IsEqualTo(4004);
    }
}
