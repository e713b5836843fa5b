using HiShopping.Api.Contracts;
using HiShopping.Store;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Credit;

public sealed record DailyCreditResponse(DateOnly Date, Amount Credited, Amount Spent, Amount Refunded);

public sealed record CreditResponse(
    Amount Balance, Amount CreditLimit, Amount Available, Amount TotalCredited, Amount TotalConsumed, Amount TotalRefunded,
    decimal Utilization, string Currency, string Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("last_30_days")] IReadOnlyList<DailyCreditResponse> Last30Days)
{
    public static CreditResponse From(CreditSummary c) => new(
        Amount.Of(c.Balance), Amount.Of(c.CreditLimit), Amount.Of(c.Available), Amount.Of(c.TotalCredited), Amount.Of(c.TotalConsumed),
        Amount.Of(c.TotalRefunded), c.Utilization, c.Currency, c.Status,
        c.Last30Days.Select(d => new DailyCreditResponse(DateOnly.ParseExact(d.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Amount.Of(d.Credited), Amount.Of(d.Spent), Amount.Of(d.Refunded))).ToList());
}

/// <summary>What an integration can spend now (the Open API's <c>GET /credit</c>).</summary>
public sealed record OpenCreditResponse(Amount Balance, Amount CreditLimit, Amount Available, string Currency)
{
    public static OpenCreditResponse From(CreditSummary c) => new(Amount.Of(c.Balance), Amount.Of(c.CreditLimit), Amount.Of(c.Available), c.Currency);
}

public sealed record LedgerEntryResponse(
    string ReferenceNo, string Type, Amount Amount, Amount BalanceBefore, Amount BalanceAfter, string? OrderNo, string? Memo, string Currency,
    DateTimeOffset CreatedAt)
{
    public static LedgerEntryResponse From(LedgerEntry e) => new(
        e.ReferenceNo, e.Type, Amount.Of(e.Amount), Amount.Of(e.BalanceBefore), Amount.Of(e.BalanceAfter), e.OrderNo, e.Memo, Money.Currency,
        UtcTimeJsonConverter.From(e.CreatedAt));
}
