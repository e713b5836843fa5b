using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Security;

namespace HiShopping.Store.Services;

public sealed record MerchantApp
{
    public long Id { get; init; }
    public long MerchantId { get; init; }
    public required string AppId { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public string? NotifyUrl { get; init; }
    public required string IpWhitelistJson { get; init; }
    public string? ApiKeyPrefix { get; init; }
    public string? ApiKeyLast4 { get; init; }
    public long? ApiKeyCreatedAt { get; init; }
    public long? ApiKeyLastUsedAt { get; init; }
    public bool SignKeySet { get; init; }
    public long? SignKeyCreatedAt { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }

    /// <summary>SHA-256 (hex) of the current API key; never the key itself.</summary>
    public string? ApiKeyHash { get; init; }

    public required string MerchantStatus { get; init; }
    public required string UserStatus { get; init; }

    /// <summary>The app can be used: it, its merchant and the merchant's user are all active.</summary>
    public bool Usable => Status == "active" && MerchantStatus == "active" && UserStatus == "active";

    public bool ApiKeySet => ApiKeyLast4 is not null;

    public IReadOnlyList<string> IpWhitelist => JsonSerializer.Deserialize<string[]>(IpWhitelistJson) ?? [];

    public string? MaskedApiKey => ApiKeySet ? Keys.MaskApiKey(ApiKeyPrefix!, ApiKeyLast4!) : null;

    /// <summary>The operator's setting of the Open API rate limit; null = <see cref="AppRateLimit.DefaultRps"/>.</summary>
    public long? RateLimitRps { get; init; }

    public long? RateLimitBurst { get; init; }

    /// <summary>credit.low is sent when available credit falls below this (minor units); null = never.</summary>
    public long? LowCreditThreshold { get; init; }

    /// <summary>The limit in force: requests per second (0 = unlimited) and the burst a client may send at once.</summary>
    public AppRateLimit RateLimit => AppRateLimit.Of(RateLimitRps, RateLimitBurst);
}

/// <summary>An app's Open API token bucket: <see cref="Rps"/> tokens a second, at most <see cref="Burst"/> saved up.</summary>
public sealed record AppRateLimit(long Rps, long Burst)
{
    /// <summary>A busy integration does not meet it; a runaway one cannot take the whole server.</summary>
    public const long DefaultRps = 1000;
    public const long MaxRps = 1_000_000;
    public const long MaxBurst = 10_000_000;

    public bool Unlimited => Rps == 0;

    public static AppRateLimit Of(long? rps, long? burst)
    {
        var r = rps ?? DefaultRps;
        return new AppRateLimit(r, burst ?? Math.Max(1, r * 2));
    }

    public override string ToString() => Unlimited ? "unlimited" : $"{Rps}/s, burst {Burst}";
}

public sealed record AppUpdate
{
    public string? Name { get; init; }

    /// <summary>Null leaves it; an empty string clears it.</summary>
    public string? NotifyUrl { get; init; }

    public IReadOnlyList<string>? IpWhitelist { get; init; }

    /// <summary>Money text like "500.00"; null leaves it; an empty string clears it (no credit.low events).</summary>
    public string? LowCreditThreshold { get; init; }
}

/// <summary>A key at the one moment it is shown in full.</summary>
public sealed record IssuedKey(string Key, long CreatedAt);

/// <summary>Each merchant's app: its App ID, API key (stored as SHA-256) and sign key (stored sealed).</summary>
public interface IAppService
{
    MerchantApp GetForUser(long userId);
    MerchantApp GetForMerchant(long merchantId);
    MerchantApp? FindByAppId(string appId);
    MerchantApp Update(long userId, AppUpdate update);
    IssuedKey RegenerateApiKey(long userId);
    IssuedKey RegenerateSignKey(long userId);
    MerchantApp SetStatus(long merchantId, string status);

    /// <summary>Sets the app's Open API rate limit: <paramref name="rps"/> a second (0 = unlimited), burst default 2 × rps.</summary>
    MerchantApp SetRateLimit(long merchantId, long rps, long? burst);

    /// <summary>The sign key in clear, for verifying a signature; null when none was generated.</summary>
    string? SignKey(string appId);

    /// <summary>Spends a request's nonce in a write of its own (for requests that write nothing else); 1001 on a replay.</summary>
    Task SpendNonceAsync(RequestNonce nonce);
}

public sealed class AppService(Db db, SecretBox secrets, TimeProvider clock) : IAppService
{
    private const string SelectApp = """
        SELECT a.id AS Id, a.merchant_id AS MerchantId, a.app_id AS AppId, a.name AS Name, a.status AS Status,
               a.notify_url AS NotifyUrl, a.ip_whitelist AS IpWhitelistJson, a.api_key_prefix AS ApiKeyPrefix,
               a.api_key_last4 AS ApiKeyLast4, a.api_key_created_at AS ApiKeyCreatedAt, a.api_key_last_used_at AS ApiKeyLastUsedAt,
               a.sign_key_enc IS NOT NULL AS SignKeySet, a.sign_key_created_at AS SignKeyCreatedAt,
               a.created_at AS CreatedAt, a.updated_at AS UpdatedAt, a.api_key_hash AS ApiKeyHash,
               a.rate_limit_rps AS RateLimitRps, a.rate_limit_burst AS RateLimitBurst, a.low_credit_threshold AS LowCreditThreshold,
               (SELECT m2.status FROM merchants m2 WHERE m2.id = a.merchant_id) AS MerchantStatus,
               (SELECT u2.status FROM merchants m2 JOIN users u2 ON u2.id = m2.user_id WHERE m2.id = a.merchant_id) AS UserStatus
        FROM apps a
        """;

    public MerchantApp GetForUser(long userId)
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<MerchantApp>(SelectApp + " JOIN merchants m ON m.id = a.merchant_id WHERE m.user_id = @userId", new { userId })
            ?? throw NoProfile();
    }

    public MerchantApp GetForMerchant(long merchantId)
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<MerchantApp>(SelectApp + " WHERE a.merchant_id = @merchantId", new { merchantId })
            ?? throw new HiShopException(ErrorCode.NotFound, "This merchant has no app.");
    }

    public MerchantApp? FindByAppId(string appId)
    {
        using var c = db.Open();
        return c.QuerySingleOrDefault<MerchantApp>(SelectApp + " WHERE a.app_id = @appId", new { appId });
    }

    public MerchantApp Update(long userId, AppUpdate update)
    {
        Validation.Check(v =>
        {
            if (update.Name is not null && (update.Name.Trim().Length == 0 || update.Name.Length > Rules.AppNameMax))
                v.Add("name", $"name must be 1–{Rules.AppNameMax} characters.");
            if (update.NotifyUrl is { Length: > 0 } url && (url.Length > Rules.NotifyUrlMax || !Rules.IsHttpUrl(url)))
                v.Add("notify_url", "notify_url must be an absolute http(s) URL.");
            if (update.LowCreditThreshold is { Length: > 0 } threshold && (!Money.TryParse(threshold, out var minor) || minor < 0 || minor > Money.MaxAmount))
                v.Add("low_credit_threshold", "low_credit_threshold must be an amount like 500.00, or \"\" to clear it.");
            if (update.IpWhitelist is { } list)
            {
                if (list.Count > Rules.IpWhitelistMax) v.Add("ip_whitelist", $"ip_whitelist holds at most {Rules.IpWhitelistMax} entries.");
                foreach (var entry in list.Where(e => !Rules.IsIpOrCidr(e)))
                    v.Add("ip_whitelist", $"'{entry}' is not an IP address or CIDR range.");
            }
        });

        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var app = c.QuerySingleOrDefault<MerchantApp>(SelectApp + " JOIN merchants m ON m.id = a.merchant_id WHERE m.user_id = @userId", new { userId }, t)
                ?? throw NoProfile();
            const string Sql = """
                UPDATE apps SET name = COALESCE(@name, name),
                                notify_url = CASE WHEN @notifyUrl IS NULL THEN notify_url WHEN @notifyUrl = '' THEN NULL ELSE @notifyUrl END,
                                ip_whitelist = COALESCE(@ips, ip_whitelist),
                                low_credit_threshold = CASE WHEN @threshold IS NULL THEN low_credit_threshold WHEN @threshold = '' THEN NULL ELSE @minor END,
                                updated_at = @now
                WHERE id = @id
                """;
            c.Execute(Sql, new
            {
                name = update.Name?.Trim(), notifyUrl = update.NotifyUrl,
                threshold = update.LowCreditThreshold,
                minor = update.LowCreditThreshold is { Length: > 0 } th && Money.TryParse(th, out var m) ? m : (long?)null,
                ips = update.IpWhitelist is null ? null : JsonSerializer.Serialize(update.IpWhitelist.Select(i => i.Trim())),
                now, id = app.Id,
            }, t);
            return c.QuerySingle<MerchantApp>(SelectApp + " WHERE a.id = @id", new { id = app.Id }, t);
        });
    }

    public IssuedKey RegenerateApiKey(long userId)
    {
        var key = Keys.NewApiKey();
        var now = Times.Now(clock);
        db.Write((c, t) =>
        {
            const string Sql = """
                UPDATE apps SET api_key_hash = @hash, api_key_prefix = 'hk_', api_key_last4 = @last4,
                                api_key_created_at = @now, api_key_last_used_at = NULL, updated_at = @now
                WHERE merchant_id = (SELECT id FROM merchants WHERE user_id = @userId)
                """;
            if (c.Execute(Sql, new { hash = Keys.Sha256Hex(key), last4 = key[^4..], now, userId }, t) != 1) throw NoProfile();
        });
        return new IssuedKey(key, now);
    }

    public IssuedKey RegenerateSignKey(long userId)
    {
        var key = Keys.NewSignKey();
        var now = Times.Now(clock);
        db.Write((c, t) =>
        {
            var appId = c.QuerySingleOrDefault<string>("SELECT a.app_id FROM apps a JOIN merchants m ON m.id = a.merchant_id WHERE m.user_id = @userId",
                new { userId }, t) ?? throw NoProfile();
            const string Sql = "UPDATE apps SET sign_key_enc = @sealedKey, sign_key_created_at = @now, updated_at = @now WHERE app_id = @appId";
            c.Execute(Sql, new { sealedKey = secrets.Seal(key, "sign_key:" + appId), now, appId }, t);
        });
        return new IssuedKey(key, now);
    }

    public MerchantApp SetStatus(long merchantId, string status)
    {
        if (status is not ("active" or "disabled")) throw HiShopException.Invalid("status", "status must be active or disabled.");
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            if (c.Execute("UPDATE apps SET status = @status, updated_at = @now WHERE merchant_id = @merchantId", new { status, now, merchantId }, t) != 1)
                throw new HiShopException(ErrorCode.NotFound, "This merchant has no app.");
            return c.QuerySingle<MerchantApp>(SelectApp + " WHERE a.merchant_id = @merchantId", new { merchantId }, t);
        });
    }

    public MerchantApp SetRateLimit(long merchantId, long rps, long? burst)
    {
        Validation.Check(v =>
        {
            if (rps is < 0 or > AppRateLimit.MaxRps) v.Add("rps", $"rps must be 0 (unlimited) to {AppRateLimit.MaxRps}.");
            if (burst is < 1 or > AppRateLimit.MaxBurst) v.Add("burst", $"burst must be 1 to {AppRateLimit.MaxBurst}.");
        });
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            const string Sql = "UPDATE apps SET rate_limit_rps = @rps, rate_limit_burst = @burst, updated_at = @now WHERE merchant_id = @merchantId";
            if (c.Execute(Sql, new { rps, burst, now, merchantId }, t) != 1)
                throw new HiShopException(ErrorCode.NotFound, "This merchant has no app.");
            return c.QuerySingle<MerchantApp>(SelectApp + " WHERE a.merchant_id = @merchantId", new { merchantId }, t);
        });
    }

    public string? SignKey(string appId)
    {
        using var c = db.Open();
        var sealedKey = c.QuerySingleOrDefault<byte[]>("SELECT sign_key_enc FROM apps WHERE app_id = @appId", new { appId });
        return sealedKey is null ? null : secrets.Open(sealedKey, "sign_key:" + appId);
    }

    public Task SpendNonceAsync(RequestNonce nonce) =>
        db.WriteAsync((_, _) => true, (c, t) => nonce.Spend(c, t, Times.Now(clock)));

    private static HiShopException NoProfile() =>
        new(ErrorCode.NotFound, MerchantService.NoProfileMessage);
}
