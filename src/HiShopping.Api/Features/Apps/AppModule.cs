using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
using HiShopping.Api.Http;
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
            group.MapPut("/app", UpdateApp).WithBody<UpdateAppRequest>();
            group.MapPut("/app/cert", RegenerateSignKey);
        }
    }

    private static ApiResult<ApiKeyResponse> GetApiKey(HttpContext context, IAppService apps) =>
        Envelope.Ok(ApiKeyResponse.From(apps.GetForUser(CurrentUser.Id(context))));

    private static ApiResult<IssuedApiKeyResponse> RegenerateApiKey(HttpContext context, IAppService apps)
    {
        var issued = apps.RegenerateApiKey(CurrentUser.Id(context));
        return Envelope.Ok(new IssuedApiKeyResponse(issued.Key, UtcTimeJsonConverter.From(issued.CreatedAt)));
    }

    private static ApiResult<AppResponse> GetApp(HttpContext context, IAppService apps) =>
        Envelope.Ok(AppResponse.From(apps.GetForUser(CurrentUser.Id(context))));

    private static async Task<ApiResult<AppResponse>> UpdateApp(HttpContext context, IAppService apps)
    {
        var request = await RequestBody.ReadAsync<UpdateAppRequest>(context.Request);
        return Envelope.Ok(AppResponse.From(apps.Update(CurrentUser.Id(context), request.ToUpdate())));
    }

    private static ApiResult<IssuedSignKeyResponse> RegenerateSignKey(HttpContext context, IAppService apps)
    {
        var issued = apps.RegenerateSignKey(CurrentUser.Id(context));
        return Envelope.Ok(new IssuedSignKeyResponse(issued.Key, UtcTimeJsonConverter.From(issued.CreatedAt)));
    }
}
