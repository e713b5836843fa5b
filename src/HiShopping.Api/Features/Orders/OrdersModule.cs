using Carter;
using HiShopping.Api.Auth;
using HiShopping.Api.Contracts;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Orders;

/// <summary>The signed-in merchant's orders.</summary>
public sealed class OrdersModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.MerchantGroups(app))
        {
            group.MapGet("/orders", List).WithQuery(QueryDocs.Orders);
            group.MapGet("/orders/{order_no}", Detail);
            group.MapPost("/orders/{order_no}/cancel", Cancel).WithBody<CancelOrderRequest>(optional: true);
        }
    }

    private static ApiResult<PageResponse<OrderSummaryResponse>> List(HttpContext context, IOrderService orders)
    {
        var merchantId = CurrentUser.MerchantId(context);
        return Envelope.Ok(PageResponse<OrderSummaryResponse>.From(orders.List(ReadQuery(context.Request, merchantId)), OrderSummaryResponse.From));
    }

    private static ApiResult<OrderDetailResponse> Detail(string order_no, HttpContext context, IOrderService orders)
    {
        var merchantId = CurrentUser.MerchantId(context);
        // Another merchant's order is "not found", never "forbidden": its existence is not revealed.
        var detail = orders.Get(order_no, merchantId) ?? throw new HiShopException(ErrorCode.NotFound, $"Order {order_no} not found.");
        return Envelope.Ok(OrderDetailResponse.From(detail));
    }

    /// <summary>The merchant cancels a paid or processing order of their own: refunded in full, as in the Open API.</summary>
    private static async Task<ApiResult<OrderDetailResponse>> Cancel(string order_no, HttpContext context, IOrderService orders)
    {
        var merchantId = CurrentUser.MerchantId(context);
        var reason = (await RequestBody.ReadOptionalAsync<CancelOrderRequest>(context.Request))?.Reason;
        return Envelope.Ok(OrderDetailResponse.From(await orders.CancelAsync(order_no, merchantId, reason)));
    }

    internal static OrderQuery ReadQuery(HttpRequest request, long? merchantId, bool withMerchantOrderNo = false)
    {
        var q = new QueryReader(request);
        var query = q.Paged(new OrderQuery
        {
            MerchantId = merchantId,
            Status = q.String("status"),
            From = q.Time("from"),
            To = q.Time("to", endOfDay: true),
            Keyword = q.String("keyword"),
            MerchantOrderNo = withMerchantOrderNo ? q.String("merchant_order_no") : null,
            Cursor = q.String("cursor"),
        });
        q.ThrowIfInvalid();
        return query;
    }
}
