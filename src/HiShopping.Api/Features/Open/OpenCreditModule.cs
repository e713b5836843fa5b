using Carter;
using HiShopping.Api.Features.Credit;
using HiShopping.Api.Http;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Open;

/// <summary>The integration's view of its credit: what it can spend now.</summary>
public sealed class OpenCreditModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) => OpenRoutes.Group(app).MapGet("/credit", Credit);

    private static ApiResult<OpenCreditResponse> Credit(HttpContext http, ICreditService credit) =>
        Envelope.Ok(OpenCreditResponse.From(credit.Summary(OpenApiAuthFilter.App(http).MerchantId)));
}
