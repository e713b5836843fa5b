using System.Net;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Features;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class MerchantTests(ApiServer server)
{
    [Test]
    public async Task Creating_the_profile_opens_a_credit_account_and_an_app()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        await Assert.That((await session.GetAsync("/api/v1/web/merchant")).Code).IsEqualTo(4004);
        // Every page of a merchant's own says the same until the profile exists (the same token works after).
        (HttpMethod Method, string Path)[] own =
        [
            (HttpMethod.Get, "/api/v1/web/credit"), (HttpMethod.Get, "/api/v1/web/credit/transactions"),
            (HttpMethod.Get, "/api/v1/web/credit/transactions.csv"), (HttpMethod.Get, "/api/v1/web/orders"),
            (HttpMethod.Get, "/api/v1/web/orders/HS202611280000000001"), (HttpMethod.Post, "/api/v1/web/orders/HS202611280000000001/cancel"),
            (HttpMethod.Get, "/api/v1/web/webhooks/deliveries"), (HttpMethod.Post, "/api/v1/web/webhooks/deliveries/evt_x/retry"),
            (HttpMethod.Post, "/api/v1/web/webhooks/test"),
        ];
        foreach (var (method, path) in own)
        {
            var none = method == HttpMethod.Get ? await session.GetAsync(path) : await session.SendAsync(method, path, new { });
            await Assert.That(none.Code).IsEqualTo(4004).Because($"{method} {path}");
            await Assert.That(none.Message).IsEqualTo("No merchant profile yet: create it with POST /api/v1/web/merchant.");
        }

        var created = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", new
        {
            company_name = "Acme Trading", contact_name = "Wile E.", contact_email = "wile@acme.example", website = "https://acme.example",
            bank_account = new { bank_name = "Desert Bank", account_name = "Acme", account_number = "12345678901234", swift_code = "DSRTUS33" },
        });

        await Assert.That(created.Code).IsEqualTo(0);
        await Assert.That(created.Data.GetProperty("company_name").GetString()).IsEqualTo("Acme Trading");
        await Assert.That(created.Data.GetProperty("bank_account").GetProperty("account_number").GetString()).IsEqualTo("****1234");
        await Assert.That(created.Data.GetProperty("status").GetString()).IsEqualTo("active");
        var credit = (await session.GetAsync("/api/v1/web/credit")).EnsureCode(0).Data;
        await Assert.That(credit.GetProperty("balance").GetString()).IsEqualTo("0.00");
        var app = (await session.GetAsync("/api/v1/web/app")).EnsureCode(0).Data;
        await Assert.That(app.GetProperty("app_id").GetString()).StartsWith("app_");
        await Assert.That(app.GetProperty("api_key_set").GetBoolean()).IsFalse();
    }

    [Test]
    public async Task A_second_profile_is_4005()
    {
        var session = await server.NewMerchantAsync();
        var again = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", new { company_name = "Again" });
        await Assert.That(again.Code).IsEqualTo(4005);
        await Assert.That(again.Status).IsEqualTo(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Put_merchant_updates_given_fields_and_never_status_ids_credit_or_unknown_fields()
    {
        var session = await server.NewMerchantAsync(company: "Before Ltd");
        var before = (await session.GetAsync("/api/v1/web/merchant")).Data;

        var updated = await session.SendAsync(HttpMethod.Put, "/api/v1/web/merchant", new
        {
            contact_phone = "+1 555 0100",
            status = "disabled",
            merchant_id = 999999,
            id = 999999,
            user_id = 1,
            fee_rate_bps = 5000,
            balance = "1000000.00",
            credit_limit = "1000000.00",
            is_admin = true,
        });

        await Assert.That(updated.Code).IsEqualTo(0);
        var after = (await session.GetAsync("/api/v1/web/merchant")).Data;
        await Assert.That(after.GetProperty("contact_phone").GetString()).IsEqualTo("+1 555 0100");
        await Assert.That(after.GetProperty("company_name").GetString()).IsEqualTo("Before Ltd");
        await Assert.That(after.GetProperty("status").GetString()).IsEqualTo("active");
        await Assert.That(after.GetProperty("merchant_id").GetInt64()).IsEqualTo(before.GetProperty("merchant_id").GetInt64());
        await Assert.That(after.GetProperty("fee_rate_bps").GetInt64()).IsEqualTo(0);
        await Assert.That(after.TryGetProperty("is_admin", out _)).IsFalse();
        var credit = (await session.GetAsync("/api/v1/web/credit")).Data;
        await Assert.That(credit.GetProperty("balance").GetString()).IsEqualTo("0.00");
        await Assert.That(credit.GetProperty("credit_limit").GetString()).IsEqualTo("0.00");
        var stored = server.Get<IMerchantService>().Get(session.MerchantId)!;
        await Assert.That(stored.Status).IsEqualTo("active");
        await Assert.That(stored.FeeRateBps).IsEqualTo(0);
    }

    [Test]
    public async Task A_new_bank_account_number_is_stored_and_shown_masked()
    {
        var session = await server.NewMerchantAsync();
        var updated = await session.SendAsync(HttpMethod.Put, "/api/v1/web/merchant", new { bank_account = new { account_number = "GB29 NWBK 6016 1331 9268 19" } });
        await Assert.That(updated.Data.GetProperty("bank_account").GetProperty("account_number").GetString()).IsEqualTo("****6819");
        await Assert.That(updated.Raw).DoesNotContain("9268");
    }

    [Test]
    public async Task Invalid_profile_fields_are_4000_with_each_field_and_change_nothing()
    {
        var session = await server.NewMerchantAsync(company: "Stable Co");
        var response = await session.SendAsync(HttpMethod.Put, "/api/v1/web/merchant", new
        {
            company_name = "   ", website = "ftp://nope", contact_email = "not-an-email", bank_account = new { account_number = "x" },
        });

        await Assert.That(response.Code).IsEqualTo(4000);
        var errors = response.Data.GetProperty("errors");
        foreach (var field in new[] { "company_name", "website", "contact_email", "bank_account.account_number" })
            await Assert.That(errors.TryGetProperty(field, out _)).IsTrue();
        var after = (await session.GetAsync("/api/v1/web/merchant")).Data;
        await Assert.That(after.GetProperty("company_name").GetString()).IsEqualTo("Stable Co");
    }

    [Test]
    public async Task Wrong_types_malformed_json_wrong_media_type_and_huge_bodies_get_4000_4015_4013()
    {
        var session = await server.NewMerchantAsync(withProfile: false);

        var wrongType = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", new { company_name = 42 });
        await Assert.That(wrongType.Code).IsEqualTo(4000);

        var malformed = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", rawBody: "{\"company_name\": ");
        await Assert.That(malformed.Code).IsEqualTo(4000);
        await Assert.That(malformed.Data.GetProperty("errors").TryGetProperty("body", out _)).IsTrue();

        var text = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", rawBody: "company_name=Acme", contentType: "text/plain");
        await Assert.That(text.Code).IsEqualTo(4015);
        await Assert.That(text.Status).IsEqualTo(HttpStatusCode.UnsupportedMediaType);

        var huge = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", new { company_name = "Big", address = new string('x', 1_100_000) }, expectContinue: true);
        await Assert.That(huge.Code).IsEqualTo(4013);
        await Assert.That(huge.Status).IsEqualTo(HttpStatusCode.RequestEntityTooLarge);

        // None of it created a profile.
        await Assert.That((await session.GetAsync("/api/v1/web/merchant")).Code).IsEqualTo(4004);
    }

    [Test]
    public async Task The_original_dashboard_spelling_reaches_the_same_endpoints()
    {
        var session = await server.NewMerchantAsync(company: "Spelling Inc");
        var doubled = await session.GetAsync("/api/v1/web/web/merchant");
        await Assert.That(doubled.Code).IsEqualTo(0);
        await Assert.That(doubled.Data.GetProperty("company_name").GetString()).IsEqualTo("Spelling Inc");
        await Assert.That((await session.GetAsync("/api/v1/web/web/goods?page_size=1")).Code).IsEqualTo(0);
    }
}
