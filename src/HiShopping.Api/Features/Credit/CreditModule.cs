using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Http;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Credit;

/// <summary>The signed-in merchant's credit account and ledger.</summary>
public sealed class CreditModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.MerchantGroups(app))
        {
            group.MapGet("/credit", Summary);
            group.MapGet("/credit/transactions", Transactions);
        }
    }

    private static IResult Summary(HttpContext context, IMerchantService merchants, ICreditService credit) =>
        Envelope.Ok(Dto.Credit(credit.Summary(merchants.GetByUser(CurrentUser.Id(context)).Id)));

    private static IResult Transactions(HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var merchant = merchants.GetByUser(CurrentUser.Id(context));
        var q = new QueryReader(context.Request);
        var (page, size) = q.Paging();
        var query = new TransactionQuery
        {
            Page = page,
            PageSize = size,
            Type = q.OneOf("type", LedgerTypes.All),
            From = q.Time("from"),
            To = q.Time("to", endOfDay: true),
        };
        q.ThrowIfInvalid();
        return Envelope.Ok(Dto.Page(credit.Transactions(merchant.Id, query), e => Dto.LedgerEntry(e)));
    }
}
