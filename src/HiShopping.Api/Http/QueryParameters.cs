using Microsoft.AspNetCore.Builder;

namespace HiShopping.Api.Http;

/// <summary>A query parameter an endpoint reads (with <see cref="QueryReader"/>), for the OpenAPI document.</summary>
public sealed record QueryParameter(string Name, string Description);

/// <summary>The query parameters of an endpoint, in its metadata.</summary>
public sealed record QueryParameters(IReadOnlyList<QueryParameter> Items);

/// <summary>The request body of an endpoint, in its metadata, for the OpenAPI document.</summary>
public sealed record RequestBodyDoc(Type Type, bool Optional);

public static class QueryDocs
{
    public static readonly QueryParameter Page = new("page", "Page, from 1 (default 1).");
    public static readonly QueryParameter PageSize = new("page_size", "Items per page, 1–100 (default 20).");
    public static readonly QueryParameter Cursor = new("cursor", "The next_cursor of the previous page: keyset paging at constant cost (not with page).");
    public static readonly QueryParameter From = new("from", "From this day (YYYY-MM-DD, UTC) or time (ISO 8601).");
    public static readonly QueryParameter To = new("to", "Up to this day (inclusive) or time.");

    public static readonly QueryParameter[] Goods =
    [
        Page, PageSize, new("category_id", "This category and every category below it."), new("keyword", "Words of the title, in any order; word prefixes match."),
        new("min_price", "Lowest price, e.g. 10.00."), new("max_price", "Highest price, e.g. 99.99."),
        new("sort", "price_asc, price_desc, newest or relevance (the default with a keyword)."),
    ];

    public static readonly QueryParameter[] Orders =
    [
        Page, PageSize, Cursor, new("status", "paid, processing, shipped, delivered or cancelled."), From, To,
        new("keyword", "The start of an order number (any case) or of a merchant_order_no."),
    ];

    public static readonly QueryParameter[] OpenOrders = [.. Orders, new("merchant_order_no", "Exactly this merchant_order_no.")];

    public static readonly QueryParameter[] Transactions = [Page, PageSize, Cursor, new("type", "TOPUP, ORDER, REFUND or ADJUST."), From, To];

    public static readonly QueryParameter[] TransactionsExport = [new("type", "TOPUP, ORDER, REFUND or ADJUST."), From, To];

    public static readonly QueryParameter[] Deliveries = [Page, PageSize, Cursor, new("status", "pending, delivered or failed.")];

    /// <summary>
    /// The JSON body an endpoint reads (with <see cref="RequestBody"/>), for the OpenAPI document only. Not ASP.NET's
    /// Accepts metadata: that makes routing refuse other content types before authentication and the signature checks,
    /// while the API answers in the SPEC's order (4001 or 1004 first, then 4015 from the handler).
    /// </summary>
    public static RouteHandlerBuilder WithBody<T>(this RouteHandlerBuilder builder, bool optional = false) =>
        builder.WithMetadata(new RequestBodyDoc(typeof(T), optional));

    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params QueryParameter[] parameters) =>
        builder.WithMetadata(new QueryParameters(parameters));
}
