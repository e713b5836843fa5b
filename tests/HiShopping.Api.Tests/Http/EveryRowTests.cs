using System.Net;
using HiShopping.Api.Auth;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Http;

/// <summary>The failures every row shares: no token, and for rows that take a body, bad bodies. Under both path spellings.</summary>
[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class EveryRowTests(ApiServer server)
{
    public static IEnumerable<(string Method, string Path)> ProtectedRows() =>
        from prefix in new[] { "/api/v1/web", "/api/v1/web/web" }
        from row in new[]
        {
            ("POST", "/logout"), ("PUT", "/password"), ("GET", "/apikey"), ("POST", "/apikey"),
            ("POST", "/merchant"), ("GET", "/merchant"), ("PUT", "/merchant"), ("GET", "/app"), ("PUT", "/app"), ("PUT", "/app/cert"),
            ("GET", "/goods"), ("GET", "/goods/categories"), ("GET", "/goods/detail/gd-100001"),
            ("GET", "/orders"), ("GET", "/orders/HS202611280000000001"), ("GET", "/credit"), ("GET", "/credit/transactions"),
            ("POST", "/orders/HS202611280000000001/cancel"), ("GET", "/credit/transactions.csv"),
            ("GET", "/webhooks/deliveries"), ("POST", "/webhooks/deliveries/evt_x/retry"), ("POST", "/webhooks/test"),
        }
        select (row.Item1, prefix + row.Item2);

    public static IEnumerable<(string Method, string Path)> BodyRows() =>
        [("POST", "/api/v1/web/login"), ("PUT", "/api/v1/web/password"), ("POST", "/api/v1/web/merchant"),
         ("PUT", "/api/v1/web/merchant"), ("PUT", "/api/v1/web/app"), ("PUT", "/api/v1/web/web/merchant")];

    [Test]
    [MethodDataSource(nameof(ProtectedRows))]
    public async Task Without_a_token_every_protected_row_is_4001(string method, string path)
    {
        var response = await new Session(server, null, "").SendAsync(new HttpMethod(method), path, rawBody: method == "GET" ? null : "{}");
        await Assert.That(response.Code).IsEqualTo(4001);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Authentication_comes_before_the_content_type_check()
    {
        // Anonymous with a body that is not JSON: 4001 (who are you?) before 4015 (what is this?), as SPEC orders them.
        var response = await new Session(server, null, "").SendAsync(HttpMethod.Put, "/api/v1/web/merchant", rawBody: "hello", contentType: "text/plain");
        await Assert.That(response.Code).IsEqualTo(4001);
        var cancel = await new Session(server, null, "").SendAsync(HttpMethod.Post, "/api/v1/web/orders/HS1/cancel", rawBody: "x", contentType: "text/plain");
        await Assert.That(cancel.Code).IsEqualTo(4001);
    }

    [Test]
    [MethodDataSource(nameof(BodyRows))]
    public async Task Every_body_row_answers_4015_4013_and_4000_for_bad_bodies(string method, string path)
    {
        var session = await server.NewMerchantAsync();
        var verb = new HttpMethod(method);

        var text = await session.SendAsync(verb, path, rawBody: "hello", contentType: "text/plain");
        await Assert.That(text.Code).IsEqualTo(4015);

        var huge = await session.SendAsync(verb, path, rawBody: "{\"x\":\"" + new string('a', 1_048_577) + "\"}", expectContinue: true);
        await Assert.That(huge.Code).IsEqualTo(4013);

        var malformed = await session.SendAsync(verb, path, rawBody: "{nope");
        await Assert.That(malformed.Code).IsEqualTo(4000);

        var array = await session.SendAsync(verb, path, rawBody: "[1,2]");
        await Assert.That(array.Code).IsEqualTo(4000);

        // The session is untouched by all of it.
        await Assert.That((await session.GetAsync("/api/v1/web/merchant")).Code).IsEqualTo(0);
    }
}

public sealed class AlwaysCaptchaServer : ApiServer
{
    protected override bool SeedDemoCatalog => false;
    protected override CaptchaPolicy CaptchaPolicy => CaptchaPolicy.Always;
}

public sealed class CaptchaPolicyTests
{
    [Test]
    public async Task With_the_always_policy_the_first_login_needs_the_captcha()
    {
        await using var server = new AlwaysCaptchaServer();
        await server.InitializeAsync();
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, email);

        var without = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password = ApiServer.Password });
        await Assert.That(without.Code).IsEqualTo(3004);

        var id = (await anonymous.GetAsync("/api/v1/web/captcha")).Data.GetProperty("captcha_id").GetString();
        var with = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login",
            new { email, password = ApiServer.Password, captcha_id = id, captcha_code = KnownCaptchaCodes.Answer });
        await Assert.That(with.Code).IsEqualTo(0);
    }
}
