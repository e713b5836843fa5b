using System.Threading.RateLimiting;
using HiShopping.Store;

namespace HiShopping.Api.Auth;

/// <summary>
/// Password hashing is the most expensive thing an unauthenticated caller can ask for (PBKDF2, ~100 ms of a core).
/// Two limits keep it from starving everyone else: each account gets a token bucket of checks (right or wrong
/// passwords alike), and at most half the cores hash at once, with a short queue; past either, 4029 + Retry-After.
/// The per-client limit is the rate limiter policy on the endpoints (see <see cref="ApiRateLimits"/>).
/// </summary>
public sealed class PasswordChecks : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAccount;
    private readonly ConcurrencyLimiter _hashing;

    public PasswordChecks(ApiSettings settings)
    {
        var limits = settings.RateLimits;
        _perAccount = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetTokenBucketLimiter(account, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.PasswordChecksPerAccountBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / Math.Max(1, limits.PasswordChecksPerAccountPerMinute)),
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
        _hashing = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, Environment.ProcessorCount / 2),
            QueueLimit = limits.PasswordHashQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Takes one of the account's checks; 4029 when it has used them up.</summary>
    public void TakeAccountCheck(string account)
    {
        using var lease = _perAccount.AttemptAcquire(account);
        if (!lease.IsAcquired)
            throw TooMany(lease, "Too many password checks for this account; try again");
    }

    /// <summary>Waits for a hashing slot; 4029 when too many are waiting already. Dispose the lease after hashing.</summary>
    public async Task<RateLimitLease> EnterHashingAsync(CancellationToken cancel)
    {
        var lease = await _hashing.AcquireAsync(1, cancel);
        if (lease.IsAcquired) return lease;
        lease.Dispose();
        throw new HiShopException(ErrorCode.TooManyRequests, "The server is busy checking passwords; try again in a moment.", new RetryAfter(1));
    }

    internal static HiShopException TooMany(RateLimitLease lease, string what)
    {
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? RetryAfter.From(wait) : new RetryAfter(1);
        return new HiShopException(ErrorCode.TooManyRequests, $"{what} in {retry.Seconds} s.", retry);
    }

    public void Dispose()
    {
        _perAccount.Dispose();
        _hashing.Dispose();
    }
}
