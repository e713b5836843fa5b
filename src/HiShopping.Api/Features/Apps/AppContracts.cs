using HiShopping.Api.Contracts;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Apps;

/// <summary>The API key as it may be shown after its moment: <c>hk_…9f3a</c>, or null when none was generated.</summary>
public sealed record ApiKeyResponse(string? ApiKey, DateTimeOffset? CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static ApiKeyResponse From(MerchantApp a) =>
        new(a.MaskedApiKey, UtcTimeJsonConverter.From(a.ApiKeyCreatedAt), UtcTimeJsonConverter.From(a.ApiKeyLastUsedAt));
}

/// <summary>A new API key, in full: the only time it is shown.</summary>
public sealed record IssuedApiKeyResponse(string ApiKey, DateTimeOffset CreatedAt);

/// <summary>A new sign key, in full: the only time it is shown.</summary>
public sealed record IssuedSignKeyResponse(string SignKey, DateTimeOffset CreatedAt);

/// <summary>The app's Open API limit: requests a second (0 = unlimited) and the burst.</summary>
public sealed record RateLimitResponse(long Rps, long Burst);

public sealed record AppResponse(
    string AppId, string Name, string Status, string? NotifyUrl, IReadOnlyList<string> IpWhitelist, bool ApiKeySet, bool SignKeySet,
    DateTimeOffset? SignKeyCreatedAt, RateLimitResponse RateLimit, Amount? LowCreditThreshold, DateTimeOffset CreatedAt)
{
    public static AppResponse From(MerchantApp a) => new(
        a.AppId, a.Name, a.Status, a.NotifyUrl, a.IpWhitelist, a.ApiKeySet, a.SignKeySet, UtcTimeJsonConverter.From(a.SignKeyCreatedAt),
        new RateLimitResponse(a.RateLimit.Rps, a.RateLimit.Burst), Amount.Of(a.LowCreditThreshold), UtcTimeJsonConverter.From(a.CreatedAt));
}

/// <summary>A field left out (or null) stays; <c>"notify_url": ""</c> or <c>"low_credit_threshold": ""</c> clears it.</summary>
public sealed record UpdateAppRequest
{
    public string? Name { get; init; }
    public string? NotifyUrl { get; init; }
    public IReadOnlyList<string>? IpWhitelist { get; init; }
    public string? LowCreditThreshold { get; init; }

    public AppUpdate ToUpdate() => new() { Name = Name, NotifyUrl = NotifyUrl, IpWhitelist = IpWhitelist, LowCreditThreshold = LowCreditThreshold };
}
