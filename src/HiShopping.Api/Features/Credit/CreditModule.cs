using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
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
            group.MapGet("/credit/transactions", Transactions).WithQuery(QueryDocs.Transactions);
        }
    }

    private static ApiResult<CreditResponse> Summary(HttpContext context, IMerchantService merchants, ICreditService credit) =>
        Envelope.Ok(CreditResponse.From(credit.Summary(merchants.GetByUser(CurrentUser.Id(context)).Id)));

    private static ApiResult<PageResponse<LedgerEntryResponse>> Transactions(HttpContext context, IMerchantService merchants, ICreditService credit)
    {
        var merchant = merchants.GetByUser(CurrentUser.Id(context));
        return Envelope.Ok(PageResponse<LedgerEntryResponse>.From(credit.Transactions(merchant.Id, ReadQuery(context.Request)), LedgerEntryResponse.From));
    }

    internal static TransactionQuery ReadQuery(HttpRequest request)
    {
        var q = new QueryReader(request);
        var query = q.Paged(new TransactionQuery { Type = q.String("type"), From = q.Time("from"), To = q.Time("to", endOfDay: true), Cursor = q.String("cursor") });
        q.ThrowIfInvalid();
        return query;
    }
}
