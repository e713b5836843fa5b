using System.Threading.RateLimiting;
using HiShopping.Api.Auth;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Open;

/// <summary>
/// The Open API's limit per app: a token bucket of <see cref="AppRateLimit.Rps"/> requests a second holding up to
/// <see cref="AppRateLimit.Burst"/>, from System.Threading.RateLimiting (what ASP.NET Core's rate limiter runs on).
/// It is taken inside the signature check, after the API key proved the caller holds the app — so nobody can spend
/// another app's bucket — and before the nonce is used, so a refused request changes nothing.
/// A changed limit makes a new bucket (the setting is part of the partition key).
/// </summary>
public sealed class AppRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string AppId, long Rps, long Burst)> _limiter =
        PartitionedRateLimiter.Create<(string AppId, long Rps, long Burst), (string, long, long)>(key => key.Rps == 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.GetTokenBucketLimiter(key, k => Options(k.Rps, k.Burst)));

    /// <summary>Spends one token of the app's bucket; 4029 with Retry-After when it is empty.</summary>
    public void Take(MerchantApp app)
    {
        var limit = app.RateLimit;
        if (limit.Unlimited) return;
        using var lease = _limiter.AttemptAcquire((app.AppId, limit.Rps, limit.Burst));
        if (!lease.IsAcquired) throw PasswordChecks.TooMany(lease, $"This app's limit of {limit} is used up; try again");
    }

    private static TokenBucketRateLimiterOptions Options(long rps, long burst)
    {
        // Refill ten times a second when the rate allows, so a bucket drains and fills smoothly.
        var (period, tokens) = rps >= 10 ? (TimeSpan.FromMilliseconds(100), (int)Math.Ceiling(rps / 10.0)) : (TimeSpan.FromSeconds(1.0 / rps), 1);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = (int)Math.Min(int.MaxValue, burst), TokensPerPeriod = tokens, ReplenishmentPeriod = period,
            QueueLimit = 0, AutoReplenishment = false,
        };
    }

    public void Dispose() => _limiter.Dispose();
}
