using System.Text.Json;
using HiShopping.Api;
using HiShopping.Api.Auth;
using HiShopping.Store;

namespace HiShopping.Tool.Cli;

/// <summary>
/// Where settings come from, strongest first: command-line flags, <c>HISHOP_*</c> environment variables,
/// <c>hishop.json</c> in the data directory, then defaults.
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

    public StoreOptions Store(string? dataDirFlag, string? dbFlag)
    {
        var dataDir = DataDir(dataDirFlag);
        var db = First(dbFlag, env("HISHOP_DB"), FileSetting(dataDir, "db"));
        return new StoreOptions { DataDir = dataDir, DatabasePath = db is null ? null : Path.GetFullPath(db, dataDir) };
    }

    public ApiSettings Api(string dataDir, string? urlsFlag, string? captchaFlag)
    {
        var urls = First(urlsFlag, env("HISHOP_URLS"), FileSetting(dataDir, "urls")) ?? ApiSettings.DefaultUrls;
        var captcha = First(captchaFlag, env("HISHOP_CAPTCHA"), FileSetting(dataDir, "captcha")) ?? "adaptive";
        var policy = captcha.ToLowerInvariant() switch
        {
            "adaptive" => CaptchaPolicy.Adaptive,
            "always" => CaptchaPolicy.Always,
            "off" => CaptchaPolicy.Off,
            _ => throw new UsageException($"captcha policy must be adaptive, always or off (got '{captcha}')."),
        };
        return new ApiSettings { Urls = urls, CaptchaPolicy = policy };
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string? FileSetting(string dataDir, string name)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid JSON: {e.Message}");
        }
    }
}

/// <summary>Bad input on the command line: one line on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
