using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Apps;

/// <summary>The merchant's app: App ID, settings, API key and sign key. Full keys are returned only when generated.</summary>
public sealed class AppModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.MerchantGroups(app))
        {
            group.MapGet("/apikey", GetApiKey);
            group.MapPost("/apikey", RegenerateApiKey);
            group.MapGet("/app", GetApp);
            group.MapPut("/app", UpdateApp);
            group.MapPut("/app/cert", RegenerateSignKey);
        }
    }

    private static IResult GetApiKey(HttpContext context, IAppService apps)
    {
        var app = apps.GetForUser(CurrentUser.Id(context));
        return Envelope.Ok(new
        {
            ApiKey = app.MaskedApiKey,
            CreatedAt = Times.Iso(app.ApiKeyCreatedAt),
            LastUsedAt = Times.Iso(app.ApiKeyLastUsedAt),
        });
    }

    private static IResult RegenerateApiKey(HttpContext context, IAppService apps)
    {
        var issued = apps.RegenerateApiKey(CurrentUser.Id(context));
        return Envelope.Ok(new { ApiKey = issued.Key, CreatedAt = Times.Iso(issued.CreatedAt) });
    }

    private static IResult GetApp(HttpContext context, IAppService apps) =>
        Envelope.Ok(Dto.App(apps.GetForUser(CurrentUser.Id(context))));

    private static async Task<IResult> UpdateApp(HttpContext context, IAppService apps)
    {
        var body = await JsonBody.ReadAsync(context.Request);
        var update = new AppUpdate
        {
            Name = body.String("name", maxLength: 100),
            NotifyUrl = body.Has("notify_url") ? body.String("notify_url", maxLength: 500) ?? "" : null,
            IpWhitelist = body.StringArray("ip_whitelist", maxItems: 50),
        };
        body.ThrowIfInvalid();
        return Envelope.Ok(Dto.App(apps.Update(CurrentUser.Id(context), update)));
    }

    private static IResult RegenerateSignKey(HttpContext context, IAppService apps)
    {
        var issued = apps.RegenerateSignKey(CurrentUser.Id(context));
        return Envelope.Ok(new { SignKey = issued.Key, CreatedAt = Times.Iso(issued.CreatedAt) });
    }
}
