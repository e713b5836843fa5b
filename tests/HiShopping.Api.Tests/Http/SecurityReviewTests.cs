using System.Net;
using System.Net.Sockets;
using System.Text;
using HiShopping.Store.Security;
using HiShopping.Store.Services;

namespace HiShopping.Api.Tests.Http;

/// <summary>Issue 15: each finding of the security review, reproduced and shown fixed.</summary>
public sealed class SecurityReviewTests
{
    private static Task<ApiResponse> Login(Session anonymous, string email, string password) =>
        anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password });

    [Test]
    public async Task Two_hundred_simultaneous_wrong_logins_check_at_most_three_passwords_before_the_captcha()
    {
        await using var server = await ApiServer.StartAsync();
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, email);

        var codes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Login(anonymous, email, "wrong-password"))));

        await Assert.That(codes.Count(r => r.Code == 3002)).IsLessThanOrEqualTo(LoginThrottle.CaptchaAfterAccountFailures);
        await Assert.That(codes.Where(r => r.Code is not (3002 or 3004)).Select(r => r.Raw).ToList()).IsEmpty();
    }

    [Test]
    public async Task Two_hundred_simultaneous_wrong_logins_without_captcha_check_at_most_ten_before_the_lock()
    {
        await using var server = await ApiServer.StartAsync(s => s with { CaptchaPolicy = HiShopping.Api.Auth.CaptchaPolicy.Off });
        var email = ApiServer.NewEmail();
        server.Get<IAccountService>().Create(email, ApiServer.Password, Roles.Merchant);
        var anonymous = new Session(server, null, email);

        var codes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Login(anonymous, email, "wrong-password"))));

        await Assert.That(codes.Count(r => r.Code == 3002)).IsLessThanOrEqualTo(LoginThrottle.LockAfter);
        await Assert.That(codes.Count(r => r.Code == 4029)).IsGreaterThanOrEqualTo(190);
        await Assert.That((await Login(anonymous, email, ApiServer.Password)).Code).IsEqualTo(4029);
    }

    [Test]
    public async Task Wrong_old_passwords_are_throttled_per_account_and_count_toward_the_lock()
    {
        await using var server = await ApiServer.StartAsync(s => s with { RateLimits = ApiServer.Relaxed with { PasswordChecksPerAccountBurst = 5, PasswordChecksPerAccountPerMinute = 1 } });
        var session = await server.NewMerchantAsync(withProfile: false);

        var codes = new List<int>();
        for (var i = 0; i < 6; i++)
            codes.Add((await session.SendAsync(HttpMethod.Put, "/api/v1/web/password", new { old_password = "not-my-password", new_password = "another-password-1" })).Code);

        // Five checks (the login spent one of the bucket's tokens), then 4029 instead of another hash.
        await Assert.That(codes.Take(4).All(c => c == 4000)).IsTrue();
        await Assert.That(codes.Skip(4).All(c => c == 4029)).IsTrue();
    }

    [Test]
    public async Task Ten_wrong_old_passwords_lock_the_account_like_failed_logins()
    {
        await using var server = await ApiServer.StartAsync();
        var session = await server.NewMerchantAsync(withProfile: false);
        for (var i = 0; i < LoginThrottle.LockAfter; i++)
            (await session.SendAsync(HttpMethod.Put, "/api/v1/web/password", new { old_password = "not-my-password", new_password = "another-password-1" })).EnsureCode(4000);

        var login = await Login(new Session(server, null, session.Email), session.Email, ApiServer.Password);
        await Assert.That(login.Code).IsEqualTo(4029);
    }

    [Test]
    public async Task A_nonce_is_kept_as_long_as_its_request_could_be_accepted()
    {
        await using var server = new FakeClockApiServer();
        await server.InitializeAsync();
        var client = await server.NewIntegrationAsync();
        var stamped = server.Clock.GetUtcNow().ToUnixTimeSeconds() + 300; // at the window's far edge
        var nonce = OpenClient.NewNonce();

        (await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", nonce: nonce, timestamp: stamped)).EnsureCode(0);
        await Assert.That((await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", nonce: nonce, timestamp: stamped)).Code).IsEqualTo(1001);

        server.Clock.Advance(TimeSpan.FromSeconds(600.4));
        var replay = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", nonce: nonce, timestamp: stamped);
        await Assert.That(replay.Code).IsEqualTo(1001);

        // And 300.4 s after its stamp the request is out of the window, to the millisecond.
        server.Clock.Advance(TimeSpan.FromSeconds(0.5));
        var late = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", timestamp: stamped);
        await Assert.That(late.Code).IsEqualTo(1001);
        await Assert.That(late.Message).Contains("X-Timestamp");
    }

    [Test]
    public async Task Repeated_query_keys_are_refused_and_only_lowercase_signatures_count()
    {
        await using var server = await ApiServer.StartAsync(seedDemoCatalog: true);
        var client = await server.NewIntegrationAsync();

        var repeated = await client.GetAsync("/api/v1/open/goods?page=2&page=1");
        await Assert.That(repeated.Code).IsEqualTo(4000);
        await Assert.That(repeated.Message).Contains("page");

        var upper = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit",
            tamperRequest: r =>
            {
                var signature = r.Headers.GetValues("X-Signature").Single();
                r.Headers.Remove("X-Signature");
                r.Headers.Add("X-Signature", signature.ToUpperInvariant());
            });
        await Assert.That(upper.Code).IsEqualTo(1001);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0);
    }

    [Test]
    public async Task A_lone_surrogate_in_a_json_string_is_4000_naming_the_field()
    {
        await using var server = await ApiServer.StartAsync(seedDemoCatalog: true);
        var anonymous = new Session(server, null, "");
        var login = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", rawBody: """{"email":"a\ud800@example.com","password":"x-password"}""");
        await Assert.That(login.Code).IsEqualTo(4000);
        await Assert.That(login.Data.GetProperty("errors").TryGetProperty("email", out _)).IsTrue();

        var client = await server.NewIntegrationAsync(credit: 100_000);
        var profile = await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/merchant", rawBody: """{"company_name":"Shop \udc00"}""");
        await Assert.That(profile.Code).IsEqualTo(4000);
        await Assert.That(profile.Data.GetProperty("errors").TryGetProperty("company_name", out _)).IsTrue();

        var body = """{"merchant_order_no":"SUR-1","items":[{"sku_id":"sku-100001","quantity":1}],"shipping":{"name":"\ud800","phone":"1","country":"US","state":"CA","city":"LA","address1":"1 St","postal_code":"9"}}""";
        var order = await client.SendAsync(HttpMethod.Post, "/api/v1/open/orders", body);
        await Assert.That(order.Code).IsEqualTo(4000);
        await Assert.That(order.Data.GetProperty("errors").TryGetProperty("shipping.name", out _)).IsTrue();
    }

    [Test]
    public async Task Invalid_utf8_inside_a_json_string_is_4000()
    {
        await using var server = await ApiServer.StartAsync();
        var bytes = Encoding.UTF8.GetBytes("{\"email\":\"a@example.com\",\"password\":\"pw-\u0001\"}");
        bytes[^3] = 0xFF; // the \u0001 byte becomes an invalid UTF-8 byte
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/web/login") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await server.Http.SendAsync(request);
        var answer = await ApiResponse.ReadAsync(response);
        await Assert.That(answer.Code).IsEqualTo(4000);
        await Assert.That(answer.Status).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Oversized_and_non_ascii_headers_get_the_envelope()
    {
        await using var server = await ApiServer.StartAsync();
        var port = server.Http.BaseAddress!.Port;

        var big = await Raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\nConnection: close\r\n\r\n");
        await Assert.That(big).StartsWith("HTTP/1.1 431");
        await Assert.That(big).Contains("\"code\":4000");
        await Assert.That(big).Contains("X-Request-Id:");
        await Assert.That(big).Contains("X-Content-Type-Options: nosniff");

        var latin = await Raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Name: caf\u00e9\r\nConnection: close\r\n\r\n");
        await Assert.That(latin).StartsWith("HTTP/1.1 400");
        await Assert.That(latin).Contains("X-Name");
        await Assert.That(latin).Contains("\"request_id\"");
    }

    private static async Task<string> Raw(int port, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(deadline.Token);
    }
}
