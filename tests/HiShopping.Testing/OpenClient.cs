using System.Globalization;
using System.Text;
using HiShopping.Api.Signing;

namespace HiShopping.Testing;

/// <summary>An integration's credentials, and a client that signs each request by the rules of SPEC §4.</summary>
public sealed class OpenClient(ApiServer server, string appId, string apiKey, string signKey)
{
    public string AppId { get; set; } = appId;
    public string ApiKey { get; set; } = apiKey;
    public string SignKey { get; set; } = signKey;
    public long MerchantId { get; init; }
    public Session? Web { get; init; }

    public static string NewNonce() => "n" + Guid.NewGuid().ToString("N");

    public Task<ApiResponse> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery);

    public Task<ApiResponse> PostAsync(string path, object? body) =>
        SendAsync(HttpMethod.Post, path, body is null ? "" : System.Text.Json.JsonSerializer.Serialize(body));

    /// <summary>Signs and sends. <paramref name="tamper"/> may change the canonical string before signing, or the request after.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string pathAndQuery, string body = "", string? nonce = null, long? timestamp = null,
        Func<string, string>? tamperCanonical = null, Action<HttpRequestMessage>? tamperRequest = null, string? signKeyOverride = null)
    {
        var q = pathAndQuery.IndexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? "" : pathAndQuery[(q + 1)..];
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        nonce ??= NewNonce();
        var bytes = Encoding.UTF8.GetBytes(body);
        var canonical = OpenApiSignature.CanonicalString(method.Method, path, query, AppId, ts, nonce, OpenApiSignature.BodySha256(bytes));
        if (tamperCanonical is not null) canonical = tamperCanonical(canonical);
        var signature = OpenApiSignature.Sign(signKeyOverride ?? SignKey, canonical);

        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Add(OpenApiSignature.AppIdHeader, AppId);
        request.Headers.Add(OpenApiSignature.ApiKeyHeader, ApiKey);
        request.Headers.Add(OpenApiSignature.TimestampHeader, ts);
        request.Headers.Add(OpenApiSignature.NonceHeader, nonce);
        request.Headers.Add(OpenApiSignature.SignatureHeader, signature);
        if (bytes.Length > 0)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        tamperRequest?.Invoke(request);
        using var response = await server.Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public static object OrderBody(string merchantOrderNo, string skuId = "sku-100001", int quantity = 1) => new
    {
        merchant_order_no = merchantOrderNo,
        items = new[] { new { sku_id = skuId, quantity } },
        shipping = new
        {
            name = "Zoë Åkesson", phone = "+46 70 123 45 67", country = "SE", state = "Stockholm", city = "Stockholm",
            address1 = "Drottninggatan 1", postal_code = "111 51",
        },
        remark = "gift 🎁",
    };
}

public static class OpenServerExtensions
{
    /// <summary>A merchant with a profile, credit (in minor units) and both keys, as an integration would have them.</summary>
    public static async Task<OpenClient> NewIntegrationAsync(this ApiServer server, long credit = 0)
    {
        var session = await server.NewMerchantAsync();
        var apiKey = (await session.SendAsync(HttpMethod.Post, "/api/v1/web/apikey")).EnsureCode(0).Data.GetProperty("api_key").GetString()!;
        var signKey = (await session.SendAsync(HttpMethod.Put, "/api/v1/web/app/cert")).EnsureCode(0).Data.GetProperty("sign_key").GetString()!;
        var appId = (await session.GetAsync("/api/v1/web/app")).Data.GetProperty("app_id").GetString()!;
        if (credit > 0) server.Get<HiShopping.Store.Services.ICreditService>().TopUp(session.MerchantId, credit, "test credit", null);
        return new OpenClient(server, appId, apiKey, signKey) { MerchantId = session.MerchantId, Web = session };
    }
}
