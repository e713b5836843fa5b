using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HiShopping.Api.Contracts;
using HiShopping.Api.Http;
using HiShopping.Api.Signing;
using HiShopping.Store;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HiShopping.Api.Features.Open;

/// <summary>
/// Verifies every Open API request, in the order of SPEC §4: headers (1004), app (1002), app/merchant/user enabled
/// (1003), API key (1005), timestamp window (1001), signature over the raw bytes (1001), nonce replay (1001).
/// </summary>
public sealed class OpenApiAuthFilter(IAppService apps, AppRateLimiter limiter, TimeProvider clock) : IEndpointFilter
{
    public static readonly TimeSpan TimestampWindow = TimeSpan.FromSeconds(300);
    /// <summary>
    /// How long a used nonce is remembered: a request is accepted while its timestamp is within ±300 s of the server's
    /// clock, so one stamped 300 s ahead stays acceptable until 600 s after it was first used. Twice the window plus a
    /// minute of margin keeps every nonce until its request can no longer be accepted.
    /// </summary>
    public static readonly TimeSpan NonceWindow = TimestampWindow * 2 + TimeSpan.FromMinutes(1);
    private const string AppItem = "hishop.open.app";
    private const string BodyItem = "hishop.open.body";
    private const string NonceItem = "hishop.open.nonce";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var headers = http.Request.Headers;
        var missing = OpenApiSignature.Headers.Where(h => string.IsNullOrWhiteSpace(headers[h])).ToList();
        if (missing.Count > 0)
            throw new HiShopException(ErrorCode.MissingAuthHeader, $"Missing header(s): {string.Join(", ", missing)}.", new MissingHeaders(missing));
        string appId = headers[OpenApiSignature.AppIdHeader]!, apiKey = headers[OpenApiSignature.ApiKeyHeader]!,
            timestamp = headers[OpenApiSignature.TimestampHeader]!, nonce = headers[OpenApiSignature.NonceHeader]!,
            signature = headers[OpenApiSignature.SignatureHeader]!;

        var app = apps.FindByAppId(appId) ?? throw new HiShopException(ErrorCode.AppNotFound, $"App {appId} not found.");
        if (!app.Usable)
            throw new HiShopException(ErrorCode.AppDisabled, app.Status != "active" ? "This app is disabled." : "This app's merchant is disabled.");
        if (app.ApiKeyHash is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Keys.Sha256Hex(apiKey)), Encoding.ASCII.GetBytes(app.ApiKeyHash)))
            throw new HiShopException(ErrorCode.InvalidApiKey, "Invalid API key.");
        if (!Allowed(app, http.Connection.RemoteIpAddress))
            throw new HiShopException(ErrorCode.Forbidden, "The client address is not in this app's IP whitelist.");
        // Only the holder of the API key can spend this app's bucket; a refused request never reaches its nonce.
        limiter.Take(app);

        // Compared to the millisecond: a request stamped at the window's edge is accepted for at most 300 s, never 300.9.
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > long.MaxValue / 1000 ||
            Math.Abs(nowMs - seconds * 1000) > (long)TimestampWindow.TotalMilliseconds)
            throw new HiShopException(ErrorCode.InvalidSignature,
                $"X-Timestamp must be Unix seconds within ±{TimestampWindow.TotalSeconds} s of the server's clock ({nowMs / 1000}).", new ServerTime(nowMs / 1000));
        if (!Rules.Nonce().IsMatch(nonce))
            throw new HiShopException(ErrorCode.InvalidSignature, "X-Nonce must be 8–64 characters of A-Z a-z 0-9 _ -.");

        var body = await RequestBody.ReadRawAsync(http.Request);
        var (path, query) = RawPathAndQuery(http);
        // Repeated keys would sign one order of values while the server reads another: the Open API refuses them.
        if (OpenApiSignature.RepeatedQueryKey(query) is { } repeated)
            throw HiShopException.Invalid(repeated, $"The query parameter {repeated} is given more than once; the Open API takes each once.");
        var canonical = OpenApiSignature.CanonicalString(http.Request.Method, path, query, appId, timestamp, nonce, OpenApiSignature.BodySha256(body));
        var signKey = apps.SignKey(appId)
            ?? throw new HiShopException(ErrorCode.InvalidSignature, "This app has no sign key yet: generate one with PUT /api/v1/web/app/cert.");
        if (!OpenApiSignature.Matches(OpenApiSignature.Sign(signKey, canonical), signature))
            throw new HiShopException(ErrorCode.InvalidSignature, "Invalid signature.", new SignatureMismatch(canonical));

        http.Items[AppItem] = app;
        http.Items[BodyItem] = body;
        var spend = new RequestNonce(appId, nonce, NonceWindow);
        if (http.GetEndpoint()?.Metadata.GetMetadata<SpendsNonceInWrite>() is null)
        {
            await apps.SpendNonceAsync(spend);
            return await next(context);
        }
        // The endpoint spends the nonce in the same commit as its own write. Whatever stops it before that write
        // (a body that does not parse, a field out of range) still spends the nonce, as a replay must never pass.
        http.Items[NonceItem] = spend;
        try
        {
            var result = await next(context);
            if (!spend.Spent) await apps.SpendNonceAsync(spend);
            return result;
        }
        catch (Exception e) when (!spend.Spent || e is not HiShopException)
        {
            // Not spent yet, or spent in a batch that then failed to commit (its error is not a HiShopException):
            // spend it now, so the same signed request can never be accepted later.
            await apps.SpendNonceAsync(spend);
            throw;
        }
    }

    /// <summary>The nonce of this request, for an endpoint marked <see cref="SpendsNonceInWrite"/> to spend in its write.</summary>
    public static RequestNonce Nonce(HttpContext http) => (RequestNonce)http.Items[NonceItem]!;

    /// <summary>The verified app of this request.</summary>
    public static MerchantApp App(HttpContext http) => (MerchantApp)http.Items[AppItem]!;

    /// <summary>The body bytes the signature was checked over.</summary>
    public static byte[] Body(HttpContext http) => (byte[])http.Items[BodyItem]!;

    /// <summary>The path and query exactly as the client sent them (percent-encoding untouched).</summary>
    private static (string Path, string Query) RawPathAndQuery(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
            return (http.Request.PathBase + http.Request.Path, http.Request.QueryString.Value?.TrimStart('?') ?? "");
        var q = target.IndexOf('?');
        return q < 0 ? (target, "") : (target[..q], target[(q + 1)..]);
    }

    private static bool Allowed(MerchantApp app, IPAddress? remote)
    {
        var list = app.IpWhitelist;
        if (list.Count == 0) return true;
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        foreach (var entry in list)
        {
            if (entry.Contains('/') ? IPNetwork.TryParse(entry, out var network) && network.Contains(remote)
                                    : IPAddress.TryParse(entry, out var address) && address.Equals(remote))
                return true;
        }
        return false;
    }
}

/// <summary>Marks an Open API endpoint that spends the request's nonce in the same commit as its own write.</summary>
public sealed class SpendsNonceInWrite
{
    public static readonly SpendsNonceInWrite Instance = new();
}
