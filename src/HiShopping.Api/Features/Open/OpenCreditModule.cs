using Carter;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Open;

/// <summary>The integration's view of its credit: what it can spend now.</summary>
public sealed class OpenCreditModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) => OpenRoutes.Group(app).MapGet("/credit", Credit);

    private static IResult Credit(HttpContext http, ICreditService credit)
    {
        var summary = credit.Summary(OpenApiAuthFilter.App(http).MerchantId);
        return Envelope.Ok(new
        {
            Balance = Money.Format(summary.Balance),
            CreditLimit = Money.Format(summary.CreditLimit),
            Available = Money.Format(summary.Available),
            summary.Currency,
        });
    }
}
