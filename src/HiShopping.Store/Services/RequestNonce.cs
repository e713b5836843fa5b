using System.Data;
using System.Data.Common;
using Dapper;
using HiShopping.Store.Database;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Services;

/// <summary>
/// One signed request's nonce, spent in the same commit as the request's own write (an order and its nonce commit
/// together or not at all). Spending it also notes the API key's use. Holds across restarts and across processes
/// sharing the database.
/// </summary>
public sealed class RequestNonce(string appId, string value, TimeSpan window)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> LastNoted = new(StringComparer.Ordinal);

    public string AppId { get; } = appId;
    public string Value { get; } = value;

    /// <summary>How long a used nonce is refused: a nonce older than this may come back (the timestamp check refuses such old requests).</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>True once a write has recorded it (or found it replayed).</summary>
    public bool Spent { get; private set; }

    /// <summary>Records the nonce in the caller's write; a replay throws 1001 and the write keeps nothing of the request.</summary>
    public void Spend(DbConnection c, IDbTransaction t, long now)
    {
        Spent = true;
        var since = now - (long)Window.TotalMilliseconds;
        const string Use = """
            INSERT INTO used_nonces (app_id, nonce, created_at) VALUES (@AppId, @Value, @now)
            ON CONFLICT (app_id, nonce) DO UPDATE SET created_at = excluded.created_at WHERE used_nonces.created_at < @since
            """;
        if (c.Cached(t, Use).With("@AppId", AppId).With("@Value", Value).With("@now", now).With("@since", since).ExecuteNonQuery() == 0)
            throw new HiShopException(ErrorCode.InvalidSignature, $"This X-Nonce was already used by this app (nonces are kept {Window.TotalMinutes:0} minutes).");
        // last_used_at to the second is plenty: this process notes it at most once a second per app.
        var noted = LastNoted.GetValueOrDefault(AppId);
        if (now - noted >= 1000)
        {
            c.Cached(t, "UPDATE apps SET api_key_last_used_at = @now WHERE app_id = @AppId AND COALESCE(api_key_last_used_at, 0) < @now - 1000")
                .With("@now", now).With("@AppId", AppId).ExecuteNonQuery();
            LastNoted[AppId] = now;
        }
        // Forgetting expired nonces in small slices keeps each write short; one in a hundred requests clears up to
        // 500, five times the pace at which they expire.
        if (Random.Shared.Next(100) == 0)
            c.Execute("DELETE FROM used_nonces WHERE (app_id, nonce) IN (SELECT app_id, nonce FROM used_nonces WHERE created_at < @since LIMIT 500)", new { since }, t);
    }
}
