using System.Globalization;
using System.Net;
using System.Text.Json;
using HiShopping.Api;
using HiShopping.Api.Auth;
using HiShopping.Api.Hosting;
using HiShopping.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HiShopping.Tool.Cli;

/// <summary>What <c>hishop serve</c> was given on its command line; anything left null or empty falls back to the environment, then the file.</summary>
public sealed record ServeFlags
{
    public string? Urls { get; init; }
    public string? Captcha { get; init; }
    public string? Cert { get; init; }
    public string? CertKey { get; init; }
    public string? CertPassword { get; init; }
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];
    public bool AccessLog { get; init; }
    public string? MaxConnections { get; init; }
    public bool AllowPrivateWebhooks { get; init; }
    public bool Verbose { get; init; }
}

/// <summary>
/// Where settings come from, strongest first: command-line flags, <c>HISHOP_*</c> environment variables,
/// <c>hishop.json</c> in the data directory, then defaults. Every setting is checked here, before serve touches
/// anything: a bad one is one line and exit code 2 (1 for a certificate that cannot be used).
/// </summary>
public sealed class ToolConfig(Func<string, string?> env)
{
    public const string FileName = "hishop.json";

    public string DataDir(string? flag)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return Path.GetFullPath(flag);
        if (env("HISHOP_DATA_DIR") is { Length: > 0 } fromEnv) return Path.GetFullPath(fromEnv);
        if (env("XDG_DATA_HOME") is { Length: > 0 } xdg) return Path.Combine(Path.GetFullPath(xdg), "hishopping");
        var home = env("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "hishopping");
    }

    /// <summary>
    /// The zone the console shows times in: <c>--tz</c>, <c>HISHOP_TZ</c>, <c>tz</c> in hishop.json, else the system's
    /// (which follows <c>TZ</c>). An unknown zone is a usage error.
    /// </summary>
    public TimeZoneInfo TimeZone(string? flag, string? dataDirFlag)
    {
        var id = First(flag, env("HISHOP_TZ"), FileString(DataDir(dataDirFlag), "tz"));
        if (id is null) return TimeZoneInfo.Local;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id.Trim()); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new UsageException($"unknown time zone '{id}': use an IANA name such as Europe/Berlin or UTC.");
        }
    }

    /// <summary>The console's "type it again" amount, in minor units (<c>--large-amount</c>, <c>HISHOP_LARGE_AMOUNT</c>, <c>large_amount</c>).</summary>
    public long LargeAmount(string? flag, string? dataDirFlag)
    {
        var text = First(flag, env("HISHOP_LARGE_AMOUNT"), FileString(DataDir(dataDirFlag), "large_amount"));
        if (text is null) return HiShopping.Tool.Tui.Ui.DefaultLargeAmount;
        return Money.TryParse(text.Trim(), out var minor) && minor > 0
            ? minor
            : throw new UsageException($"the large amount must be a positive amount like 100000.00 (got '{text}').");
    }

    public StoreOptions Store(string? dataDirFlag, string? dbFlag)
    {
        var dataDir = DataDir(dataDirFlag);
        var db = First(dbFlag, env("HISHOP_DB"), FileString(dataDir, "db"))?.Trim();
        // A connection string (Host=…;Database=…) selects PostgreSQL; a path, or nothing, keeps SQLite.
        if (db is not null && StoreOptions.IsConnectionString(db))
        {
            try { _ = new Npgsql.NpgsqlConnectionStringBuilder(db); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new UsageException($"the PostgreSQL connection string is not valid ({e.Message.TrimEnd('.')}): write Key=Value pairs " +
                    "separated by ';', such as Host=127.0.0.1;Database=hishop;Username=hishop;Password=…");
            }
            return new StoreOptions { DataDir = dataDir, ConnectionString = db, PasswordIterations = PasswordIterations() };
        }
        return new StoreOptions { DataDir = dataDir, DatabasePath = db is null ? null : Path.GetFullPath(db, dataDir), PasswordIterations = PasswordIterations() };
    }

    /// <summary>
    /// PBKDF2 iterations of new password hashes: 600,000 unless <c>HISHOP_PASSWORD_ITERATIONS</c> says otherwise —
    /// there for test suites, which create thousands of users; production leaves it unset (each hash keeps its count).
    /// </summary>
    private int PasswordIterations()
    {
        if (env("HISHOP_PASSWORD_ITERATIONS") is not { Length: > 0 } text) return HiShopping.Store.Security.PasswordHasher.ProductionIterations;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000_000
            ? n
            : throw new UsageException($"HISHOP_PASSWORD_ITERATIONS must be a whole number from 1 to 10000000 (got '{text}').");
    }

    public ApiSettings Api(string dataDir, string? urlsFlag, string? captchaFlag) => Api(dataDir, new ServeFlags { Urls = urlsFlag, Captcha = captchaFlag });

    public ApiSettings Api(string dataDir, ServeFlags flags)
    {
        var urls = First(flags.Urls, env("HISHOP_URLS"), FileString(dataDir, "urls")) ?? ApiSettings.DefaultUrls;
        var schemes = CheckUrls(urls);

        var captcha = First(flags.Captcha, env("HISHOP_CAPTCHA"), FileString(dataDir, "captcha")) ?? "adaptive";
        var policy = captcha.ToLowerInvariant() switch
        {
            "adaptive" => CaptchaPolicy.Adaptive,
            "always" => CaptchaPolicy.Always,
            "off" => CaptchaPolicy.Off,
            _ => throw new UsageException($"captcha policy must be adaptive, always or off (got '{captcha}')."),
        };

        var proxies = List(flags.TrustedProxies, "HISHOP_TRUSTED_PROXIES", dataDir, "trusted_proxies").Select(TrustedProxy).ToList();
        var origins = List(flags.CorsOrigins, "HISHOP_CORS_ORIGINS", dataDir, "cors_origins").Select(CorsOrigin).Distinct().ToList();
        var accessLog = flags.AccessLog || Flag(env("HISHOP_ACCESS_LOG"), "HISHOP_ACCESS_LOG") || FileBool(dataDir, "access_log");

        var maxText = First(flags.MaxConnections, env("HISHOP_MAX_CONNECTIONS"), FileString(dataDir, "max_connections"));
        var maxConnections = ApiSettings.DefaultMaxConnections;
        if (maxText is not null && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxConnections) || maxConnections is < 1 or > 1_000_000))
            throw new UsageException($"max connections must be a whole number from 1 to 1000000 (got '{maxText}').");

        var allowPrivateWebhooks = flags.AllowPrivateWebhooks || Flag(env("HISHOP_ALLOW_PRIVATE_WEBHOOKS"), "HISHOP_ALLOW_PRIVATE_WEBHOOKS") || FileBool(dataDir, "allow_private_webhooks");
        var retryText = First(env("HISHOP_WEBHOOK_RETRY_BASE_MS"), FileString(dataDir, "webhook_retry_base_ms"));
        var retryBase = new HiShopping.Store.Webhooks.WebhookRetryPolicy().BaseDelay;
        if (retryText is not null)
        {
            if (!int.TryParse(retryText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms is < 1 or > 3_600_000)
                throw new UsageException($"webhook retry base must be a whole number of milliseconds from 1 to 3600000 (got '{retryText}').");
            retryBase = TimeSpan.FromMilliseconds(ms);
        }

        // Paths in hishop.json are relative to the data directory; paths on the command line or in the environment to the working directory.
        var cert = PathSetting(flags.Cert, "HISHOP_CERT", dataDir, "cert");
        var certKey = PathSetting(flags.CertKey, "HISHOP_CERT_KEY", dataDir, "cert_key");
        var certPassword = First(flags.CertPassword, env("HISHOP_CERT_PASSWORD"), FileString(dataDir, "cert_password"));
        if (schemes.Contains("https") && cert is null)
            throw new UsageException("an https:// URL needs a certificate: add --cert FILE.pem --cert-key FILE.pem (or --cert FILE.pfx), or see docs/operations.md for a reverse proxy.");
        if (cert is not null && !schemes.Contains("https"))
            throw new UsageException($"--cert is given but no https:// URL is: listen with e.g. --urls https://0.0.0.0:5443 (the URLs are {urls}).");
        if (certKey is not null && cert is null) throw new UsageException("--cert-key needs --cert.");

        return new ApiSettings
        {
            Urls = urls,
            CaptchaPolicy = policy,
            TrustedProxies = proxies,
            CorsOrigins = origins,
            AccessLog = accessLog ? Console.Out : null,
            MaxConnections = maxConnections,
            Webhooks = new() { AllowPrivateAddresses = allowPrivateWebhooks, Retry = new() { BaseDelay = retryBase } },
            Certificate = cert is null ? null : Tls.Load(cert, certKey, certPassword),
            LogLevel = flags.Verbose ? LogLevel.Information : LogLevel.Warning,
        };
    }

    /// <summary>Each of the ';'-separated URLs parses as Kestrel will read it; returns their schemes.</summary>
    private static HashSet<string> CheckUrls(string urls)
    {
        var schemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                throw new UsageException($"'{url}' is not a URL to listen on, like http://127.0.0.1:5080 or https://0.0.0.0:5443.");
            }
            if (address.IsUnixPipe || address.Scheme is not ("http" or "https") || address.Host.Length == 0)
                throw new UsageException($"'{url}' is not a URL to listen on, like http://127.0.0.1:5080 or https://0.0.0.0:5443.");
            if (address.PathBase.Length > 0) throw new UsageException($"'{url}': a URL to listen on has no path.");
            schemes.Add(address.Scheme);
        }
        if (schemes.Count == 0) throw new UsageException("no URL to listen on was given.");
        return schemes;
    }

    private static IPNetwork TrustedProxy(string value)
    {
        var v = value.Trim();
        if (v.Contains('/') ? IPNetwork.TryParse(v, out var network) : TryHost(v, out network)) return network;
        throw new UsageException($"trusted proxy '{value}' is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/8).");

        static bool TryHost(string s, out IPNetwork n)
        {
            n = default;
            if (!IPAddress.TryParse(s, out var ip)) return false;
            n = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
    }

    private static string CorsOrigin(string value)
    {
        var v = value.Trim().TrimEnd('/');
        if (Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0
            && uri.UserInfo.Length == 0 && v.Length > 0)
            return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        throw new UsageException($"CORS origin '{value}' must be a scheme and host like https://shop.example.com (no path).");
    }

    private IReadOnlyList<string> List(IReadOnlyList<string> flag, string envName, string dataDir, string fileName)
    {
        if (flag.Count > 0) return flag;
        if (env(envName) is { Length: > 0 } fromEnv) return fromEnv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var file = FileValue(dataDir, fileName);
        return file?.ValueKind switch
        {
            null => [],
            JsonValueKind.String => file.Value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JsonValueKind.Array when file.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                file.Value.EnumerateArray().Select(e => e.GetString()!).ToList(),
            _ => throw new UsageException($"\"{fileName}\" in {FileName} must be a list of strings."),
        };
    }

    private string? PathSetting(string? flag, string envName, string dataDir, string fileName)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return System.IO.Path.GetFullPath(flag);
        if (env(envName) is { Length: > 0 } fromEnv) return System.IO.Path.GetFullPath(fromEnv);
        return FileString(dataDir, fileName) is { } fromFile ? System.IO.Path.GetFullPath(fromFile, dataDir) : null;
    }

    private static bool Flag(string? value, string name) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "0" or "false" or "no" or "off" => false,
        "1" or "true" or "yes" or "on" => true,
        _ => throw new UsageException($"{name} must be true or false (got '{value}')."),
    };

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string? FileString(string dataDir, string name)
    {
        var value = FileValue(dataDir, name);
        return value?.ValueKind switch
        {
            null or JsonValueKind.Null => null,
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Number => value.Value.GetRawText(),
            _ => throw new UsageException($"\"{name}\" in {FileName} must be a string."),
        };
    }

    private static bool FileBool(string dataDir, string name)
    {
        var value = FileValue(dataDir, name);
        return value?.ValueKind switch
        {
            null or JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.True => true,
            _ => throw new UsageException($"\"{name}\" in {FileName} must be true or false."),
        };
    }

    private static JsonElement? FileValue(string dataDir, string name)
    {
        var path = System.IO.Path.Combine(dataDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var v) ? v.Clone() : null;
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid JSON: {e.Message}");
        }
    }
}

/// <summary>Bad input on the command line: one line on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
