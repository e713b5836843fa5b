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
            group.MapGet("/credit/transactions.csv", Export).WithQuery(QueryDocs.TransactionsExport).Produces(StatusCodes.Status200OK, contentType: "text/csv");
        }
    }

    private static ApiResult<CreditResponse> Summary(HttpContext context, ICreditService credit) =>
        Envelope.Ok(CreditResponse.From(credit.Summary(CurrentUser.MerchantId(context))));

    private static ApiResult<PageResponse<LedgerEntryResponse>> Transactions(HttpContext context, ICreditService credit) =>
        Envelope.Ok(PageResponse<LedgerEntryResponse>.From(credit.Transactions(CurrentUser.MerchantId(context), ReadQuery(context.Request)), LedgerEntryResponse.From));

    /// <summary>The whole ledger (with the filters) as CSV, streamed: see <see cref="TransactionsCsv"/>.</summary>
    private static Task Export(HttpContext context, ICreditService credit) =>
        WriteCsvAsync(context, CurrentUser.MerchantId(context), credit);

    /// <summary>One merchant's ledger with the request's filters, as a CSV download (the merchant's own, or an operator's view of it).</summary>
    internal static async Task WriteCsvAsync(HttpContext context, long merchantId, ICreditService credit)
    {
        var q = new QueryReader(context.Request);
        var filter = new TransactionQuery { Type = q.String("type"), From = q.Time("from"), To = q.Time("to", endOfDay: true) };
        q.ThrowIfInvalid();
        credit.Transactions(merchantId, filter with { PageSize = 1 }); // the filters checked before the first byte is sent
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"transactions-{DateTime.UtcNow:yyyyMMdd}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), 16 * 1024);
        await TransactionsCsv.WriteAsync(credit, merchantId, filter, writer, context.RequestAborted);
    }

    internal static TransactionQuery ReadQuery(HttpRequest request)
    {
        var q = new QueryReader(request);
        var query = q.Paged(new TransactionQuery { Type = q.String("type"), From = q.Time("from"), To = q.Time("to", endOfDay: true), Cursor = q.String("cursor") });
        q.ThrowIfInvalid();
        return query;
    }
}
