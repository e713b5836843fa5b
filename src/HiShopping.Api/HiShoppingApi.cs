using System.Globalization;
using System.Net;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Features.Admin;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Auth;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Health;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Open;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Features.Webhooks;
using HiShopping.Api.Hosting;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HiShopping.Api;

/// <summary>Settings of the HTTP side.</summary>
public sealed record ApiSettings
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Below the usual 65,536 open files, with room for the database and key files.</summary>
    public const int DefaultMaxConnections = 10_000;

    public string Urls { get; init; } = DefaultUrls;

    public CaptchaPolicy CaptchaPolicy { get; init; } = CaptchaPolicy.Adaptive;

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>The TLS certificate for <c>https://</c> URLs (<c>--cert</c>).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Peers whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed (<c>--trusted-proxy</c>); none by default.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Browser origins allowed to call the APIs (<c>--cors-origin</c>); none by default.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Where <c>--access-log</c> writes one line per request; null = no access log.</summary>
    public TextWriter? AccessLog { get; init; }

    /// <summary>Connections Kestrel keeps open at once; past it new ones are refused, and the process lives on.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    public ApiRateLimits RateLimits { get; init; } = new();

    public Features.Webhooks.WebhookSettings Webhooks { get; init; } = new();
}

/// <summary>The per-client and per-account limits of the endpoints that cost the server dear (documented in operations.md).</summary>
public sealed record ApiRateLimits
{
    public const string PasswordPolicy = "password";
    public const string CaptchaPolicy = "captcha";

    /// <summary><c>/login</c> and <c>PUT /password</c> per client address.</summary>
    public int PasswordChecksPerClientPerMinute { get; init; } = 30;
    public int PasswordChecksPerClientBurst { get; init; } = 30;

    /// <summary>Password checks of one account, right or wrong.</summary>
    public int PasswordChecksPerAccountPerMinute { get; init; } = 10;
    public int PasswordChecksPerAccountBurst { get; init; } = 10;

    /// <summary>Checks that may wait for a hashing slot before the next is refused.</summary>
    public int PasswordHashQueue { get; init; } = 64;

    /// <summary><c>GET /captcha</c> per client address (each image costs CPU).</summary>
    public int CaptchasPerClientPerMinute { get; init; } = 30;
    public int CaptchasPerClientBurst { get; init; } = 30;
}

public static class ApiInfo
{
    public static string Version { get; } =
        typeof(ApiInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}

/// <summary>Builds the HTTP host: Carter modules on Kestrel over the store. Used by <c>hishop serve</c> and the tests.</summary>
public static class HiShoppingApi
{
    /// <summary>The modules, listed so discovery never depends on which executable hosts them.</summary>
    public static readonly Type[] Modules =
    [
        typeof(HealthModule), typeof(AuthModule), typeof(MerchantModule), typeof(AppModule),
        typeof(GoodsModule), typeof(OrdersModule), typeof(CreditModule),
        typeof(WebhooksModule), typeof(AdminModule),
        typeof(OpenGoodsModule), typeof(OpenCreditModule), typeof(OpenOrdersModule),
    ];

    /// <summary>
    /// The store with what the API layer adds to it (the events' data in the API's own shapes): the one composition
    /// of serve, the CLI and the console.
    /// </summary>
    public static IServiceCollection AddHiShoppingDomain(this IServiceCollection services, StoreOptions store)
    {
        services.AddHiShoppingStore(store);
        services.AddSingleton<HiShopping.Store.Webhooks.IEventData, EventData>();
        return services;
    }

    /// <summary>
    /// Builds the host without touching the data directory: the store's files are made by
    /// <see cref="IStoreInitializer.Initialize"/>, which <c>serve</c> runs only once the listener is bound.
    /// </summary>
    public static WebApplication Build(StoreOptions store, ApiSettings settings, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "HiShopping",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(settings.Urls);
        if (settings.Certificate is not null) builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ApiMiddleware.MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = settings.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = settings.MaxConnections;
            // Kestrel answers what it refuses itself with an empty 400/431. Let the application see headers up to twice
            // its own limit, and headers in any encoding, so that ApiMiddleware can refuse them with the envelope.
            kestrel.Limits.MaxRequestHeadersTotalSize = ApiMiddleware.MaxHeaderBytes * 2;
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            if (settings.Certificate is { } certificate) kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; });
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        if (settings.LogLevel > LogLevel.Information)
        {
            // serve reports a failed start in one line of its own; the host's stack trace would only bury it.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Critical);
            // The host's per-request log ("Request starting/finished") is Information, so none of it is written here;
            // but while its category is enabled at all, the host starts an Activity and a log scope for every request.
            // Off, then: serve has its own access log (--access-log), and reports a failed start itself (the category's
            // other entries, such as "Application startup exception", go with it; --verbose keeps them all).
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        var services = builder.Services;
        services.AddHiShoppingDomain(store);
        services.AddSingleton(settings);
        services.AddSingleton<ServeReadiness>();
        services.AddSingleton<CaptchaService>();
        services.AddSingleton<ICaptchaCodeSource, RandomCaptchaCodeSource>();
        services.AddSingleton<PasswordChecks>();
        services.AddSingleton<AppRateLimiter>();
        services.AddSingleton<OpenApiAuthFilter>();
        if (settings.AccessLog is { } accessLog) services.AddSingleton(_ => new AccessLog(accessLog));
        // Webhooks: IHttpClientFactory's pooled handler, with our own connect step (the private-address check after DNS).
        // Retries are not Polly's (Microsoft.Extensions.Http.Resilience): they span three days and restarts, so the
        // outbox holds them; each attempt is one POST with a timeout.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => WebhookDispatcher.Handler(settings.Webhooks.AllowPrivateAddresses));
        services.AddHostedService<WebhookDispatcher>();
        services.AddHiShoppingOpenApi();
        // Nothing here uses ASP.NET data protection, but authentication registers it and its hosted service makes a key
        // ring at start: keep that in memory, so serve writes nothing outside the data directory (no ~/.aspnet).
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new InMemoryXmlRepository();
            o.XmlEncryptor = new NullXmlEncryptor();
        });
        services.AddWebAuth(store);
        services.AddRateLimiter(options => ConfigureRateLimits(options, settings.RateLimits));
        if (settings.CorsOrigins.Count > 0)
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. settings.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("X-Request-Id", "Retry-After").SetPreflightMaxAge(TimeSpan.FromHours(1))));
        // The array overload: the single-assembly one would scan the dependency context of that assembly instead.
        services.AddCarter(new DependencyContextAssemblyCatalog([typeof(HiShoppingApi).Assembly]), c => c.WithModules(Modules));
        configure?.Invoke(services);

        var app = builder.Build();
        // The first goods lists after a start find the goods in memory already (docs/operations.md "Search and goods
        // lists in memory"). serve binds its listener before it sets the store up (ServeReadiness), so it does this
        // itself once the store is there: here the data directory may not exist yet.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (app.Services.GetRequiredService<ServeReadiness>().IsReady)
                app.Services.GetRequiredService<Store.Catalog.ICatalogService>().PrepareSearch();
        });
        if (settings.TrustedProxies.Count > 0) app.UseForwardedHeaders(ForwardedHeaders(settings.TrustedProxies));
        if (settings.AccessLog is not null) app.UseMiddleware<AccessLogMiddleware>();
        app.UseMiddleware<ApiMiddleware>();
        if (settings.CorsOrigins.Count > 0) app.UseCors();
        // The Open API is signed (OpenApiAuthFilter) and reads no token: JWT authentication, a handler and its lookups per
        // request, runs for every other path only.
        app.UseWhen(http => !http.Request.Path.StartsWithSegments(Features.Open.OpenRoutes.Prefix, StringComparison.OrdinalIgnoreCase),
            web => web.UseAuthentication());
        // A WebApplication adds UseAuthentication in front of everything when the app's own builder has not recorded it,
        // and UseWhen records it on the branch's copy only. This is the key UseAuthentication itself sets; were it ever
        // renamed, authentication would run for the Open API too: slower, never less safe.
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapCarter();
        app.MapHiShoppingOpenApi();
        return app;
    }

    /// <summary>
    /// ASP.NET Core's forwarded-headers middleware, believing only the configured peers: the defaults (loopback) are
    /// cleared, so with no <c>--trusted-proxy</c> nobody is believed. Through a chain of trusted proxies the client is
    /// the first untrusted address from the right.
    /// </summary>
    private static ForwardedHeadersOptions ForwardedHeaders(IReadOnlyList<System.Net.IPNetwork> trusted)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in trusted) options.KnownIPNetworks.Add(network);
        return options;
    }

    private static void ConfigureRateLimits(RateLimiterOptions options, ApiRateLimits limits)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (context, cancel) =>
        {
            var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? RetryAfter.From(wait) : new RetryAfter(1);
            context.HttpContext.Response.Headers.RetryAfter = retry.Seconds.ToString(CultureInfo.InvariantCulture);
            await Envelope.WriteAsync(context.HttpContext, ErrorCode.TooManyRequests,
                $"Too many requests from this address; try again in {retry.Seconds} s.", null);
        };
        options.AddPolicy(ApiRateLimits.PasswordPolicy, http => PerClient(http, limits.PasswordChecksPerClientBurst, limits.PasswordChecksPerClientPerMinute));
        options.AddPolicy(ApiRateLimits.CaptchaPolicy, http => PerClient(http, limits.CaptchasPerClientBurst, limits.CaptchasPerClientPerMinute));
    }

    private static RateLimitPartition<string> PerClient(HttpContext http, int burst, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(ClientAddress(http), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / Math.Max(1, perMinute)),
            QueueLimit = 0,
            AutoReplenishment = false,
        });

    /// <summary>The client's address as throttling, captcha, allow-lists and logs see it (after trusted proxies).</summary>
    public static string ClientAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
