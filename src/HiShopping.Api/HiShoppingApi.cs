using System.Reflection;
using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Features.Apps;
using HiShopping.Api.Features.Auth;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Features.Health;
using HiShopping.Api.Features.Merchant;
using HiShopping.Api.Features.Open;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HiShopping.Api;

/// <summary>Settings of the HTTP side.</summary>
public sealed class ApiSettings
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public string Urls { get; init; } = DefaultUrls;

    public CaptchaPolicy CaptchaPolicy { get; init; } = CaptchaPolicy.Adaptive;

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
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
        typeof(OpenGoodsModule), typeof(OpenCreditModule), typeof(OpenOrdersModule),
    ];

    public static WebApplication Build(StoreOptions store, ApiSettings settings, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "HiShopping",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ApiMiddleware.MaxBodyBytes;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; });
        builder.Logging.SetMinimumLevel(settings.LogLevel);

        var services = builder.Services;
        services.AddHiShoppingStore(store);
        services.AddSingleton(settings);
        services.AddSingleton<LoginGuard>();
        services.AddSingleton<CaptchaService>();
        services.AddSingleton<ICaptchaCodeSource, RandomCaptchaCodeSource>();
        services.AddSingleton<OpenApiAuthFilter>();
        // Nothing here uses ASP.NET data protection; keep its keys in memory instead of writing them to ~/.aspnet.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddWebAuth(new JwtKey(KeyFiles.LoadOrCreate(store.JwtKeyPath, 64)));
        // The array overload: the single-assembly one would scan the dependency context of that assembly instead.
        services.AddCarter(new DependencyContextAssemblyCatalog([typeof(HiShoppingApi).Assembly]), c => c.WithModules(Modules));
        configure?.Invoke(services);

        var app = builder.Build();
        app.UseMiddleware<ApiMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapCarter();
        return app;
    }
}
