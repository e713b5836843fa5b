using System.Globalization;
using System.Net;
using HiShopping.Store.Security;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Http;

/// <summary>Issue 12: who the client is behind proxies, login throttling per account and per address, CORS, HEAD.</summary>
public sealed class HardeningTests
{
    private static Task<ApiResponse> Login(Session anonymous, string email, string password, string? forwardedFor = null) =>
        anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password }, headers: forwardedFor is null ? null : new() { ["X-Forwarded-For"] = forwardedFor });

    [Test]
    public async Task Three_failures_of_one_account_leave_another_accounts_correct_login_free_of_the_captcha()
    {
        await using var server = await ApiServer.StartAsync();
        var accounts = server.Get<IAccountService>();
        string victim = ApiServer.NewEmail(), colleague = ApiServer.NewEmail();
        accounts.Create(victim, ApiServer.Password, Roles.Merchant);
        accounts.Create(colleague, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, "");

        for (var i = 0; i < LoginThrottle.CaptchaAfterAccountFailures; i++) (await Login(anonymous, victim, "wrong-password")).EnsureCode(3002);

        await Assert.That((await Login(anonymous, colleague, ApiServer.Password)).Code).IsEqualTo(0);
        await Assert.That((await Login(anonymous, victim, ApiServer.Password)).Code).IsEqualTo(3004);
    }

    [Test]
    public async Task Rotating_x_forwarded_for_from_an_untrusted_peer_still_meets_the_captcha_after_20_failures()
    {
        await using var server = await ApiServer.StartAsync();
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, "");

        // 25 wrong passwords, each for a different account and from a different claimed address, all from one socket:
        // the socket is the client, so after 20 failures the captcha stands in the way.
        var codes = new List<int>();
        for (var i = 0; i < 25; i++)
            codes.Add((await Login(anonymous, ApiServer.NewEmail(), "wrong-password", $"198.51.100.{i + 1}")).Code);
        await Assert.That(codes.Take(LoginThrottle.CaptchaAfterClientFailures).All(c => c == 3002)).IsTrue();
        await Assert.That(codes.Skip(LoginThrottle.CaptchaAfterClientFailures).All(c => c == 3004)).IsTrue();

        var correct = await Login(anonymous, email, ApiServer.Password, "198.51.100.200");
        await Assert.That(correct.Code).IsEqualTo(3004);
    }

    [Test]
    public async Task Behind_a_trusted_proxy_the_forwarded_address_is_the_client()
    {
        await using var server = await ApiServer.StartAsync(s => s with { TrustedProxies = [IPNetwork.Parse("127.0.0.0/8")] }, seedDemoCatalog: true);
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, "");

        for (var i = 0; i < LoginThrottle.CaptchaAfterClientFailures; i++)
            (await Login(anonymous, ApiServer.NewEmail(), "wrong-password", "203.0.113.7")).EnsureCode(3002);

        // The failing office is 203.0.113.7; another client behind the same proxy is not held to its captcha.
        await Assert.That((await Login(anonymous, email, ApiServer.Password, "203.0.113.7")).Code).IsEqualTo(3004);
        await Assert.That((await Login(anonymous, email, ApiServer.Password, "203.0.113.8")).Code).IsEqualTo(0);

        // The app's IP allow-list sees the forwarded address too.
        var client = await server.NewIntegrationAsync();
        (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { ip_whitelist = new[] { "203.0.113.7" } })).EnsureCode(0);
        var allowed = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", tamperRequest: r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"));
        var refused = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", tamperRequest: r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        await Assert.That(allowed.Code).IsEqualTo(0);
        await Assert.That(refused.Code).IsEqualTo(4002);
    }

    [Test]
    public async Task From_an_untrusted_peer_x_forwarded_for_does_not_pass_the_ip_allow_list()
    {
        await using var server = await ApiServer.StartAsync(seedDemoCatalog: true);
        var client = await server.NewIntegrationAsync();
        (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { ip_whitelist = new[] { "203.0.113.7" } })).EnsureCode(0);

        var spoofed = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", tamperRequest: r => r.Headers.Add("X-Forwarded-For", "203.0.113.7"));
        await Assert.That(spoofed.Code).IsEqualTo(4002);
    }

    [Test]
    public async Task A_locked_account_is_unlocked_by_the_throttle_and_the_lock_survives_a_restart()
    {
        var dataDir = TestData.NewDataDir("restart", seeded: false);
        var email = ApiServer.NewEmail();
        try
        {
            await using (var first = await ApiServer.StartAsync(s => s with { CaptchaPolicy = HiShopping.Api.Auth.CaptchaPolicy.Off }, dataDir: dataDir))
            {
                first.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
                var anonymous = new Session(first, null, email);
                for (var i = 0; i < LoginThrottle.LockAfter; i++) (await Login(anonymous, email, "wrong-password")).EnsureCode(3002);
                await Assert.That((await Login(anonymous, email, ApiServer.Password)).Code).IsEqualTo(4029);
            }

            await using var second = await ApiServer.StartAsync(s => s with { CaptchaPolicy = HiShopping.Api.Auth.CaptchaPolicy.Off }, dataDir: dataDir);
            var again = new Session(second, null, email);
            var locked = await Login(again, email, ApiServer.Password);
            await Assert.That(locked.Code).IsEqualTo(4029);
            await Assert.That(int.Parse(locked.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture)).IsGreaterThan(800);

            await Assert.That(second.Get<ILoginThrottle>().Unlock(email)).IsTrue();
            await Assert.That((await Login(again, email, ApiServer.Password)).Code).IsEqualTo(0);
        }
        finally
        {
            TestData.Delete(dataDir);
        }
    }

    [Test]
    public async Task Captcha_failures_survive_a_restart()
    {
        var dataDir = TestData.NewDataDir("restart", seeded: false);
        var email = ApiServer.NewEmail();
        try
        {
            await using (var first = await ApiServer.StartAsync(s => s, dataDir: dataDir))
            {
                first.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
                var anonymous = new Session(first, null, email);
                for (var i = 0; i < LoginThrottle.CaptchaAfterAccountFailures; i++) (await Login(anonymous, email, "wrong-password")).EnsureCode(3002);
            }
            await using var second = await ApiServer.StartAsync(s => s, dataDir: dataDir);
            await Assert.That((await Login(new Session(second, null, email), email, ApiServer.Password)).Code).IsEqualTo(3004);
        }
        finally
        {
            TestData.Delete(dataDir);
        }
    }

    [Test]
    public async Task Login_and_captcha_are_rate_limited_per_client_address_with_retry_after()
    {
        await using var server = await ApiServer.StartAsync(s => s with
        {
            RateLimits = ApiServer.Relaxed with { PasswordChecksPerClientBurst = 2, PasswordChecksPerClientPerMinute = 1, CaptchasPerClientBurst = 2, CaptchasPerClientPerMinute = 1 },
        });
        var anonymous = new Session(server, null, "");
        (await anonymous.GetAsync("/api/v1/web/captcha")).EnsureCode(0);
        (await anonymous.GetAsync("/api/v1/web/captcha")).EnsureCode(0);
        var thirdCaptcha = await anonymous.GetAsync("/api/v1/web/captcha");
        await Assert.That(thirdCaptcha.Code).IsEqualTo(4029);
        await Assert.That(thirdCaptcha.Status).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(int.Parse(thirdCaptcha.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture)).IsGreaterThanOrEqualTo(1);

        (await Login(anonymous, ApiServer.NewEmail(), "wrong-password")).EnsureCode(3002);
        (await Login(anonymous, ApiServer.NewEmail(), "wrong-password")).EnsureCode(3002);
        var thirdLogin = await Login(anonymous, ApiServer.NewEmail(), "wrong-password");
        await Assert.That(thirdLogin.Code).IsEqualTo(4029);
        await Assert.That(thirdLogin.Headers.Contains("Retry-After")).IsTrue();
    }

    [Test]
    public async Task Cors_answers_listed_origins_only()
    {
        await using var server = await ApiServer.StartAsync(s => s with { CorsOrigins = ["https://shop.example.com"] });

        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/web/credit");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            return await server.Http.SendAsync(request);
        }

        using var allowed = await Preflight("https://shop.example.com");
        await Assert.That((int)allowed.StatusCode).IsEqualTo(204);
        await Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single()).IsEqualTo("https://shop.example.com");
        await Assert.That(string.Join(',', allowed.Headers.GetValues("Access-Control-Allow-Methods"))).Contains("GET");

        using var refused = await Preflight("https://evil.example.net");
        await Assert.That(refused.Headers.Contains("Access-Control-Allow-Origin")).IsFalse();

        using var real = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        real.Headers.Add("Origin", "https://shop.example.com");
        using var realAnswer = await server.Http.SendAsync(real);
        await Assert.That(realAnswer.Headers.GetValues("Access-Control-Allow-Origin").Single()).IsEqualTo("https://shop.example.com");

        using var other = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        other.Headers.Add("Origin", "https://evil.example.net");
        using var otherAnswer = await server.Http.SendAsync(other);
        await Assert.That(otherAnswer.Headers.Contains("Access-Control-Allow-Origin")).IsFalse();
    }

    [Test]
    public async Task Without_cors_origins_no_origin_is_allowed()
    {
        await using var server = await ApiServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("Origin", "https://shop.example.com");
        using var answer = await server.Http.SendAsync(request);
        await Assert.That(answer.Headers.Contains("Access-Control-Allow-Origin")).IsFalse();
    }

    [Test]
    public async Task Head_works_on_healthz()
    {
        await using var server = await ApiServer.StartAsync();
        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        await Assert.That(head.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(head.Headers.Contains("X-Request-Id")).IsTrue();
    }
}
