using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Http;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Merchant;

/// <summary>The signed-in merchant's profile and bank account.</summary>
public sealed class MerchantModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.MerchantGroups(app))
        {
            group.MapPost("/merchant", Create).WithBody<MerchantProfileRequest>();
            group.MapGet("/merchant", Get);
            group.MapPut("/merchant", Update).WithBody<MerchantProfileRequest>();
        }
    }

    private static async Task<ApiResult<MerchantResponse>> Create(HttpContext context, IMerchantService merchants)
    {
        var request = await RequestBody.ReadAsync<MerchantProfileRequest>(context.Request);
        return Envelope.Ok(MerchantResponse.From(merchants.Create(CurrentUser.Id(context), request.ToInput())));
    }

    private static ApiResult<MerchantResponse> Get(HttpContext context, IMerchantService merchants) =>
        Envelope.Ok(MerchantResponse.From(merchants.GetByUser(CurrentUser.Id(context))));

    private static async Task<ApiResult<MerchantResponse>> Update(HttpContext context, IMerchantService merchants)
    {
        var request = await RequestBody.ReadAsync<MerchantProfileRequest>(context.Request);
        return Envelope.Ok(MerchantResponse.From(merchants.Update(CurrentUser.Id(context), request.ToInput())));
    }
}
