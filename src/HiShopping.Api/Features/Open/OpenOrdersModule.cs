using Carter;
using HiShopping.Api.Features.Orders;
using HiShopping.Api.Contracts;
using HiShopping.Api.Hosting;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Open;

/// <summary>Orders for integrations: place (debiting credit), list, read and cancel (refunding).</summary>
public sealed class OpenOrdersModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = OpenRoutes.Group(app);
        group.MapPost("/orders", Place).WithMetadata(SpendsNonceInWrite.Instance).WithBody<PlaceOrderRequest>()
            .WithMetadata(OpenApiSetup.RequestExample.Of(new PlaceOrderRequest
            {
                MerchantOrderNo = "MO-1001", Items = [new OrderLineRequest { SkuId = "sku-100001", Quantity = 2 }], Remark = "gift",
                Shipping = new ShippingDetails
                {
                    Name = "Ada Lovelace", Phone = "+1 555 0100", Country = "US", State = "CA", City = "San Francisco", Address1 = "1 Market St",
                    PostalCode = "94105",
                },
            }));
        group.MapGet("/orders", List).WithQuery(QueryDocs.OpenOrders);
        group.MapGet("/orders/{order_no}", Detail);
        group.MapPost("/orders/{order_no}/cancel", Cancel).WithMetadata(SpendsNonceInWrite.Instance).WithBody<CancelOrderRequest>(optional: true);
    }

    private static async Task<ApiResult<OrderDetailResponse>> Place(HttpContext http, IOrderService orders)
    {
        var request = RequestBody.Parse<PlaceOrderRequest>(OpenApiAuthFilter.Body(http), http.Request.ContentType);
        var placed = await orders.PlaceAsync(OpenApiAuthFilter.App(http).MerchantId, request.ToInput(), OpenApiAuthFilter.Nonce(http));
        return Envelope.Ok(OrderDetailResponse.From(placed.Detail, placed.BalanceAfter));
    }

    private static ApiResult<PageResponse<OrderSummaryResponse>> List(HttpContext http, IOrderService orders) =>
        Envelope.Ok(PageResponse<OrderSummaryResponse>.From(
            orders.List(OrdersModule.ReadQuery(http.Request, OpenApiAuthFilter.App(http).MerchantId, withMerchantOrderNo: true)), OrderSummaryResponse.From));

    private static ApiResult<OrderDetailResponse> Detail(string order_no, HttpContext http, IOrderService orders) =>
        Envelope.Ok(OrderDetailResponse.From(orders.Get(order_no, OpenApiAuthFilter.App(http).MerchantId)
            ?? throw new HiShopException(ErrorCode.NotFound, $"Order {order_no} not found.")));

    private static async Task<ApiResult<OrderDetailResponse>> Cancel(string order_no, HttpContext http, IOrderService orders)
    {
        var raw = OpenApiAuthFilter.Body(http);
        var reason = raw.Length > 0 ? RequestBody.Parse<CancelOrderRequest>(raw, http.Request.ContentType).Reason : null;
        var detail = await orders.CancelAsync(order_no, OpenApiAuthFilter.App(http).MerchantId, reason, OpenApiAuthFilter.Nonce(http));
        var balance = detail.LedgerEntries.LastOrDefault()?.BalanceAfter;
        return Envelope.Ok(OrderDetailResponse.From(detail, balance));
    }
}
