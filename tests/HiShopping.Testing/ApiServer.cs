using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HiShopping.Api;
using HiShopping.Api.Auth;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TUnit.Core.Interfaces;

namespace HiShopping.Testing;

/// <summary>Hands out the answer of every captcha, so tests can solve them; everything else is the real server.</summary>
public sealed class KnownCaptchaCodes : ICaptchaCodeSource
{
    public const string Answer = "K7MWX";

    public string Next() => Answer;
}

/// <summary>The real HTTP host on Kestrel at 127.0.0.1 (a free port) over a SQLite file in its own temporary data directory.</summary>
public class ApiServer : IAsyncInitializer, IAsyncDisposable
{
    private WebApplication? _app;

    private string? _dataDir;

    /// <summary>Its own data directory: a copy of the seeded template when <see cref="SeedDemoCatalog"/>, else empty.</summary>
    public string DataDir { get => _dataDir ??= TestData.NewDataDir("api", SeedDemoCatalog); init => _dataDir = value; }

    /// <summary>Leave the data directory behind on dispose (a test that restarts a server over it deletes it itself).</summary>
    public bool KeepDataDir { get; init; }
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    public StoreOptions Store => TestData.Options(DataDir) with { PasswordIterations = PasswordIterations };

    /// <summary>PBKDF2 iterations of users made here: few, unless a test needs the production cost.</summary>
    public int PasswordIterations { get; init; } = TestData.PasswordIterations;

    protected virtual bool SeedDemoCatalog => true;
    protected virtual CaptchaPolicy CaptchaPolicy => CaptchaPolicy.Adaptive;
    protected virtual void Configure(IServiceCollection services) { }

    /// <summary>Many tests share one server from one address: the per-client limits are raised out of their way; tests of the limits set their own.</summary>
    public static readonly ApiRateLimits Relaxed = new()
    {
        PasswordChecksPerClientBurst = 1_000_000, PasswordChecksPerClientPerMinute = 1_000_000,
        PasswordChecksPerAccountBurst = 1_000, PasswordChecksPerAccountPerMinute = 1_000,
        CaptchasPerClientBurst = 1_000_000, CaptchasPerClientPerMinute = 1_000_000, PasswordHashQueue = 10_000,
    };

    protected virtual ApiSettings Settings => new() { Urls = "http://127.0.0.1:0", CaptchaPolicy = CaptchaPolicy, RateLimits = Relaxed };

    public async Task InitializeAsync()
    {
        _app = HiShoppingApi.Build(Store, Settings, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<ICaptchaCodeSource, KnownCaptchaCodes>());
            Configure(services);
        });
        _app.Services.GetRequiredService<IStoreInitializer>().Initialize(SeedDemoCatalog, createOperator: false);
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public static async Task<ApiServer> StartAsync(bool seedDemoCatalog = false)
    {
        var server = seedDemoCatalog ? new ApiServer() : new BareApiServer();
        await server.InitializeAsync();
        return server;
    }

    /// <summary>A server of its own with the settings the test gives (over a bare store).</summary>
    public static async Task<ApiServer> StartAsync(Func<ApiSettings, ApiSettings> settings, bool seedDemoCatalog = false, string? dataDir = null,
        int passwordIterations = TestData.PasswordIterations)
    {
        var server = dataDir is null
            ? new CustomApiServer(settings, seedDemoCatalog) { PasswordIterations = passwordIterations }
            : new CustomApiServer(settings, seedDemoCatalog) { DataDir = dataDir, KeepDataDir = true, PasswordIterations = passwordIterations };
        await server.InitializeAsync();
        return server;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        if (!KeepDataDir) TestData.Delete(DataDir);
        else Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GC.SuppressFinalize(this);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    public static string NewEmail(string prefix = "m") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public const string Password = "correct horse 42";

    /// <summary>A merchant user straight through the store (the CLI's path), then a login through the API.</summary>
    public async Task<Session> NewMerchantAsync(bool withProfile = true, string? company = null)
    {
        var email = NewEmail();
        Get<IAccountService>().Create(email, Password, Roles.Merchant);
        var session = await LoginAsync(email, Password);
        if (withProfile)
        {
            var created = await session.SendAsync(HttpMethod.Post, "/api/v1/web/merchant", new
            {
                company_name = company ?? "Shop " + email[..10],
                contact_name = "Ada Lovelace",
                bank_account = new { bank_name = "First Bank", account_name = "Ada L", account_number = "DE44500105175407324931" },
            });
            created.EnsureCode(0);
            session.MerchantId = created.Data.GetProperty("merchant_id").GetInt64();
        }
        return session;
    }

    public async Task<Session> NewOperatorAsync()
    {
        var email = NewEmail("op");
        Get<IAccountService>().Create(email, Password, Roles.Operator);
        return await LoginAsync(email, Password);
    }

    public async Task<Session> LoginAsync(string email, string password)
    {
        var anonymous = new Session(this, null, email);
        var response = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/web/login", new { email, password });
        response.EnsureCode(0);
        return new Session(this, response.Data.GetProperty("token").GetString(), email)
        {
            UserId = response.Data.GetProperty("user").GetProperty("id").GetInt64(),
        };
    }
}

public sealed class BareApiServer : ApiServer
{
    protected override bool SeedDemoCatalog => false;
}

public sealed class CustomApiServer(Func<ApiSettings, ApiSettings> settings, bool seed) : ApiServer
{
    public Action<IServiceCollection>? ConfigureServices { get; init; }
    protected override bool SeedDemoCatalog => seed;
    protected override ApiSettings Settings => settings(base.Settings);
    protected override void Configure(IServiceCollection services) => ConfigureServices?.Invoke(services);
}

/// <summary>A server whose clock the test moves (token expiry, nonce window, lockout).</summary>
public sealed class FakeClockApiServer : ApiServer
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    protected override void Configure(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
}

/// <summary>A caller: an optional bearer token and helpers that return the parsed envelope.</summary>
public sealed class Session(ApiServer server, string? token, string email)
{
    public string? Token { get; set; } = token;
    public string Email { get; } = email;
    public long UserId { get; init; }
    public long MerchantId { get; set; }
    public ApiServer Server { get; } = server;

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body = null, string? rawBody = null,
        string contentType = "application/json", bool expectContinue = false, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers ?? []) request.Headers.Add(name, value);
        // With 100-continue the client waits for the server's verdict before sending a body the server may refuse unread.
        if (expectContinue) request.Headers.ExpectContinue = true;
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null) rawBody = JsonSerializer.Serialize(body);
        if (rawBody is not null) request.Content = new StringContent(rawBody, Encoding.UTF8, contentType);
        using var response = await Server.Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }
}

public sealed record ApiResponse(HttpStatusCode Status, int Code, string Message, JsonElement Data, string RequestId, HttpResponseHeaders Headers, string Raw)
{
    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(raw);
        var root = document.RootElement;
        return new ApiResponse(response.StatusCode, root.GetProperty("code").GetInt32(), root.GetProperty("message").GetString()!,
            root.GetProperty("data").Clone(), root.GetProperty("request_id").GetString()!, response.Headers, raw);
    }

    public ApiResponse EnsureCode(int code)
    {
        if (Code != code) throw new InvalidOperationException($"expected code {code}, got {Code} ({(int)Status}): {Raw}");
        return this;
    }
}
