using System.Collections.Concurrent;
using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Services;

/// <summary>
/// Keeps what every signed request needs — the app by App ID with its API-key hash, status and limits, and its sign
/// key in clear — in memory instead of two queries and a decryption per request.
/// </summary>
/// <remarks>
/// The cache is dropped whenever <c>auth_version</c> moves. Triggers bump that number in the same transaction as any
/// change to an app or to its merchant's or user's status, whoever makes it. A change made in this process is seen by
/// the very next request (the writer publishes the number it committed); one made by another process (the CLI next to
/// <c>serve</c>) within a second (the number is re-read at most once a second). Unknown App IDs are not cached, so
/// guessing them cannot fill memory.
/// </remarks>
public sealed class CachedAppService(IAppService inner, Db db, TimeProvider clock) : IAppService
{
    private static readonly TimeSpan VersionCheckEvery = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Entry> _apps = new(StringComparer.Ordinal);
    private long _version = -1;
    private long _checkedAt = long.MinValue;

    public MerchantApp? FindByAppId(string appId) => Lookup(appId)?.App;

    public string? SignKey(string appId) => Lookup(appId)?.SignKey;

    private Entry? Lookup(string appId)
    {
        var version = CurrentVersion();
        if (_apps.TryGetValue(appId, out var cached) && cached.Version == version) return cached;
        var app = inner.FindByAppId(appId);
        if (app is null) return null;
        var entry = new Entry(app, app.SignKeySet ? inner.SignKey(appId) : null, version);
        // Kept only when nothing changed while it was read: otherwise the next request reads it again.
        if (CurrentVersion() == version) _apps[appId] = entry;
        return entry;
    }

    /// <summary>
    /// The newest auth_version known: the writer's after each of its commits, the database's once a second. Lock-free:
    /// every signed request asks, and a lock here was contended by every request in flight.
    /// </summary>
    private long CurrentVersion()
    {
        Raise(db.CommittedAuthVersion);
        var now = clock.GetTimestamp();
        var checkedAt = Volatile.Read(ref _checkedAt);
        if (checkedAt != long.MinValue && clock.GetElapsedTime(checkedAt, now) < VersionCheckEvery) return Volatile.Read(ref _version);
        // One request re-reads it; the others go on with what is known meanwhile.
        if (Interlocked.CompareExchange(ref _checkedAt, now, checkedAt) != checkedAt) return Volatile.Read(ref _version);
        using var c = db.Open();
        Raise(c.ExecuteScalar<long?>("SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'auth_version'") ?? 0);
        return Volatile.Read(ref _version);
    }

    /// <summary>The version only moves up, whichever thread saw the newer one first.</summary>
    private void Raise(long seen)
    {
        var known = Volatile.Read(ref _version);
        while (seen > known)
        {
            var previous = Interlocked.CompareExchange(ref _version, seen, known);
            if (previous == known) return;
            known = previous;
        }
    }

    public MerchantApp GetForUser(long userId) => inner.GetForUser(userId);
    public MerchantApp GetForMerchant(long merchantId) => inner.GetForMerchant(merchantId);
    public MerchantApp Update(long userId, AppUpdate update) => inner.Update(userId, update);
    public IssuedKey RegenerateApiKey(long userId) => inner.RegenerateApiKey(userId);
    public IssuedKey RegenerateSignKey(long userId) => inner.RegenerateSignKey(userId);
    public MerchantApp SetStatus(long merchantId, string status) => inner.SetStatus(merchantId, status);
    public MerchantApp SetRateLimit(long merchantId, long rps, long? burst) => inner.SetRateLimit(merchantId, rps, burst);
    public Task SpendNonceAsync(RequestNonce nonce) => inner.SpendNonceAsync(nonce);

    private sealed record Entry(MerchantApp App, string? SignKey, long Version);
}
