using System.Net;
using HiShopping.Api.Signing;
using HiShopping.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Api.Tests.Features.Open;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class OpenAuthTests(ApiServer server)
{
    [Test]
    public async Task A_signed_request_runs_no_jwt_authentication_while_a_web_request_does()
    {
        // Counts the JWT handler's runs by path: it raises MessageReceived first thing on every authentication.
        var runs = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await using var own = new CustomApiServer(s => s, seed: true)
        {
            ConfigureServices = services => services.PostConfigure<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>(
                Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme, options =>
                {
                    var inner = options.Events.OnMessageReceived;
                    options.Events.OnMessageReceived = context =>
                    {
                        runs.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
                        return inner(context);
                    };
                }),
        };
        await own.InitializeAsync();
        var client = await own.NewIntegrationAsync(credit: 100_00);

        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0);
        await Assert.That((await client.PostAsync("/api/v1/open/orders", OpenClient.OrderBody("NO-JWT-1"))).Code).IsEqualTo(0);
        await Assert.That((await client.Web!.SendAsync(HttpMethod.Get, "/api/v1/web/credit")).Code).IsEqualTo(0);

        await Assert.That(runs.Keys.Where(p => p.StartsWith("/api/v1/open", StringComparison.Ordinal))).IsEmpty();
        await Assert.That(runs.GetValueOrDefault("/api/v1/web/credit")).IsGreaterThanOrEqualTo(1);
    }

    [Test]
    public async Task A_request_signed_by_the_rules_is_accepted_and_the_key_use_is_recorded()
    {
        var client = await server.NewIntegrationAsync();
        var response = await client.GetAsync("/api/v1/open/goods?page_size=5&keyword=phone+case&page=1");

        await Assert.That(response.Code).IsEqualTo(0);
        await Assert.That(response.Data.GetProperty("items").GetArrayLength()).IsEqualTo(5);
        var apikey = (await client.Web!.GetAsync("/api/v1/web/apikey")).Data;
        await Assert.That(apikey.GetProperty("last_used_at").GetString()).IsNotNull();
    }

    [Test]
    [Arguments(OpenApiSignature.AppIdHeader)]
    [Arguments(OpenApiSignature.ApiKeyHeader)]
    [Arguments(OpenApiSignature.TimestampHeader)]
    [Arguments(OpenApiSignature.NonceHeader)]
    [Arguments(OpenApiSignature.SignatureHeader)]
    public async Task Each_missing_header_is_1004(string header)
    {
        var client = await server.NewIntegrationAsync();
        var response = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", tamperRequest: r => r.Headers.Remove(header));

        await Assert.That(response.Code).IsEqualTo(1004);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(response.Message).Contains(header);
    }

    [Test]
    public async Task An_unknown_app_is_1002()
    {
        var client = await server.NewIntegrationAsync();
        client.AppId = "app_0000000000000000";
        var response = await client.GetAsync("/api/v1/open/credit");
        await Assert.That(response.Code).IsEqualTo(1002);
    }

    [Test]
    public async Task A_disabled_app_merchant_user_is_1003()
    {
        var appDisabled = await server.NewIntegrationAsync();
        server.Get<IAppService>().SetStatus(appDisabled.MerchantId, "disabled");
        await Assert.That((await appDisabled.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(1003);
        server.Get<IAppService>().SetStatus(appDisabled.MerchantId, "active");
        await Assert.That((await appDisabled.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0);

        var userDisabled = await server.NewIntegrationAsync();
        server.Get<IAccountService>().SetStatus(userDisabled.Web!.Email, "disabled");
        var response = await userDisabled.GetAsync("/api/v1/open/credit");
        await Assert.That(response.Code).IsEqualTo(1003);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_wrong_or_replaced_api_key_is_1005()
    {
        var client = await server.NewIntegrationAsync();
        var good = client.ApiKey;
        client.ApiKey = good[..^1] + (good[^1] == 'a' ? 'b' : 'a');
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(1005);

        client.ApiKey = good;
        (await client.Web!.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).EnsureCode(0);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(1005);
    }

    [Test]
    public async Task A_wrong_signature_is_1001_with_the_servers_canonical_string()
    {
        var client = await server.NewIntegrationAsync();
        var response = await client.SendAsync(HttpMethod.Get, "/api/v1/open/goods?b=2&a=1", signKeyOverride: "sk_not_the_key");

        await Assert.That(response.Code).IsEqualTo(1001);
        await Assert.That(response.Status).IsEqualTo(HttpStatusCode.Unauthorized);
        var canonical = response.Data.GetProperty("canonical_string").GetString()!;
        await Assert.That(canonical).StartsWith($"GET\n/api/v1/open/goods\na=1&b=2\n{client.AppId}\n");
        await Assert.That(canonical).DoesNotContain(client.SignKey);
        await Assert.That(canonical).DoesNotContain(client.ApiKey);
    }

    [Test]
    [Arguments(-301)]
    [Arguments(301)]
    public async Task A_timestamp_more_than_300_seconds_off_is_1001(int offset)
    {
        var client = await server.NewIntegrationAsync();
        // The window is checked to the millisecond: a stamp ahead is rounded up to the next whole second, so that the
        // milliseconds a whole-second stamp drops (and the request's time in flight) cannot bring it back inside.
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var timestamp = (offset > 0 ? (nowMs + 999) / 1000 : nowMs / 1000) + offset;
        var response = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", timestamp: timestamp);
        await Assert.That(response.Code).IsEqualTo(1001);
        await Assert.That(response.Message).Contains("X-Timestamp");
    }

    [Test]
    public async Task A_timestamp_just_inside_the_window_is_accepted()
    {
        var client = await server.NewIntegrationAsync();
        var response = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 290);
        await Assert.That(response.Code).IsEqualTo(0);
    }

    [Test]
    public async Task A_replayed_nonce_is_1001()
    {
        var client = await server.NewIntegrationAsync();
        var nonce = OpenClient.NewNonce();
        await Assert.That((await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", nonce: nonce)).Code).IsEqualTo(0);

        var replay = await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", nonce: nonce);
        await Assert.That(replay.Code).IsEqualTo(1001);
        await Assert.That(replay.Message).Contains("X-Nonce");
    }

    [Test]
    [Arguments("short")]
    [Arguments("has space in it")]
    public async Task A_malformed_nonce_is_1001(string nonce)
    {
        var client = await server.NewIntegrationAsync();
        await Assert.That((await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", nonce: nonce.Replace(' ', '+'))).Code).IsEqualTo(1001);
    }

    [Test]
    public async Task The_old_sign_key_stops_working_once_regenerated()
    {
        var client = await server.NewIntegrationAsync();
        var old = client.SignKey;
        client.SignKey = (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).Data.GetProperty("sign_key").GetString()!;

        await Assert.That((await client.SendAsync(HttpMethod.Get, "/api/v1/open/credit", signKeyOverride: old)).Code).IsEqualTo(1001);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0);
    }

    [Test]
    public async Task Without_a_sign_key_every_request_is_1001()
    {
        var session = await server.NewMerchantAsync();
        var apiKey = (await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).Data.GetProperty("api_key").GetString()!;
        var appId = (await session.GetAsync("/api/v1/web/app")).Data.GetProperty("app_id").GetString()!;
        var client = new OpenClient(server, appId, apiKey, "sk_guess");

        var response = await client.GetAsync("/api/v1/open/credit");
        await Assert.That(response.Code).IsEqualTo(1001);
        await Assert.That(response.Message).Contains("sign key");
    }

    [Test]
    [Arguments("method")]
    [Arguments("path")]
    [Arguments("query")]
    [Arguments("app_id")]
    [Arguments("timestamp")]
    [Arguments("body")]
    public async Task Changing_one_byte_of_any_signed_part_turns_a_good_request_into_1001(string part)
    {
        var client = await server.NewIntegrationAsync(credit: 1_000_000);
        var body = System.Text.Json.JsonSerializer.Serialize(OpenClient.OrderBody("ONEBYTE-" + part));
        static string Flip(string s, int i) => s[..i] + (char)(s[i] ^ 1) + s[(i + 1)..];
        // Line i of the canonical string: 0 method, 1 path, 2 query, 3 app id, 4 timestamp, 5 nonce, 6 body hash.
        Func<string, string>? canonical = part switch
        {
            "method" => c => Flip(c, 1),
            "path" => c => Flip(c, c.IndexOf("orders", StringComparison.Ordinal)),
            "query" => c => c.Replace("\nx=1\n", "\nx=2\n", StringComparison.Ordinal),
            "app_id" => c => Flip(c, c.IndexOf(client.AppId, StringComparison.Ordinal) + client.AppId.Length - 1),
            _ => null,
        };
        Action<HttpRequestMessage>? request = part switch
        {
            "timestamp" => r =>
            {
                var ts = long.Parse(r.Headers.GetValues(OpenApiSignature.TimestampHeader).Single(), System.Globalization.CultureInfo.InvariantCulture);
                r.Headers.Remove(OpenApiSignature.TimestampHeader);
                r.Headers.Add(OpenApiSignature.TimestampHeader, (ts - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            },
            "body" => r =>
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(body.Replace("Stockholm", "Stockholn"));
                r.Content = new ByteArrayContent(bytes);
                r.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            },
            _ => null,
        };

        var tampered = await client.SendAsync(HttpMethod.Post, "/api/v1/open/orders?x=1", body, tamperCanonical: canonical, tamperRequest: request);
        await Assert.That(tampered.Code).IsEqualTo(1001);

        // The same request, untouched, goes through: what failed was the one byte.
        var good = await client.SendAsync(HttpMethod.Post, "/api/v1/open/orders?x=1", body);
        await Assert.That(good.Code).IsEqualTo(0);
    }

    [Test]
    public async Task Body_bytes_are_verified_as_sent_not_as_re_serialized_json()
    {
        var client = await server.NewIntegrationAsync(credit: 1_000_000);
        var body = "{ \"merchant_order_no\" : \"RAW-1\" ,\n  \"items\":[{\"sku_id\":\"sku-100001\",\"quantity\":1}], " +
                   "\"shipping\": {\"name\":\"Zoë\",\"phone\":\"1\",\"country\":\"SE\",\"state\":\"S\",\"city\":\"S\",\"address1\":\"A 1\",\"postal_code\":\"111\"} }";
        var response = await client.SendAsync(HttpMethod.Post, "/api/v1/open/orders", body);
        await Assert.That(response.Code).IsEqualTo(0);
        await Assert.That(response.Data.GetProperty("shipping").GetProperty("name").GetString()).IsEqualTo("Zoë");
    }

    [Test]
    public async Task An_ip_whitelist_that_leaves_out_the_caller_is_4002()
    {
        var client = await server.NewIntegrationAsync();
        (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { ip_whitelist = new[] { "203.0.113.0/24" } })).EnsureCode(0);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(4002);

        (await client.Web!.SendAsync(HttpMethod.Put, "/api/v1/web/app", new { ip_whitelist = new[] { "127.0.0.1" } })).EnsureCode(0);
        await Assert.That((await client.GetAsync("/api/v1/open/credit")).Code).IsEqualTo(0);
    }
}
