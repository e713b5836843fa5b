using Carter;
using HiShopping.Api.Features.Orders;
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
        group.MapPost("/orders", Place);
        group.MapGet("/orders", List);
        group.MapGet("/orders/{order_no}", Detail);
        group.MapPost("/orders/{order_no}/cancel", Cancel);
    }

    private static IResult Place(HttpContext http, IOrderService orders)
    {
        // Here only types are checked; the order service names every missing or invalid field in one 4000.
        var body = JsonBody.Parse(OpenApiAuthFilter.Body(http), http.Request.ContentType);
        var merchantOrderNo = body.String("merchant_order_no", maxLength: 64) ?? "";
        var lines = body.ObjectArray("items")?
            .Select(item => new OrderLine(item.String("sku_id", maxLength: 64) ?? "", item.Integer("quantity") ?? 0))
            .ToList();
        var s = body.Object("shipping");
        var shipping = s is null ? null : new ShippingAddress
        {
            Name = s.String("name", maxLength: 100) ?? "",
            Phone = s.String("phone", maxLength: 40) ?? "",
            Country = s.String("country", maxLength: 100) ?? "",
            State = s.String("state", maxLength: 100) ?? "",
            City = s.String("city", maxLength: 100) ?? "",
            Address1 = s.String("address1", maxLength: 200) ?? "",
            Address2 = s.String("address2", maxLength: 200),
            PostalCode = s.String("postal_code", maxLength: 20) ?? "",
        };
        var remark = body.String("remark", maxLength: 500);
        body.ThrowIfInvalid();

        var placed = orders.Place(OpenApiAuthFilter.App(http).MerchantId, new PlaceOrderInput
        {
            MerchantOrderNo = merchantOrderNo, Items = lines ?? [], Shipping = shipping!, Remark = remark,
        });
        return Envelope.Ok(Dto.OrderDetail(placed.Detail, placed.BalanceAfter));
    }

    private static IResult List(HttpContext http, IOrderService orders) =>
        Envelope.Ok(Dto.Page(orders.List(OrdersModule.ReadQuery(http.Request, OpenApiAuthFilter.App(http).MerchantId, withMerchantOrderNo: true)),
            o => Dto.OrderSummary(o)));

    private static IResult Detail(string order_no, HttpContext http, IOrderService orders) =>
        Envelope.Ok(Dto.OrderDetail(orders.Get(order_no, OpenApiAuthFilter.App(http).MerchantId)
            ?? throw new HiShopException(ErrorCode.NotFound, $"Order {order_no} not found.")));

    private static IResult Cancel(string order_no, HttpContext http, IOrderService orders)
    {
        var raw = OpenApiAuthFilter.Body(http);
        string? reason = null;
        if (raw.Length > 0)
        {
            var body = JsonBody.Parse(raw, http.Request.ContentType);
            reason = body.String("reason", maxLength: 500);
            body.ThrowIfInvalid();
        }
        var detail = orders.Cancel(order_no, OpenApiAuthFilter.App(http).MerchantId, reason);
        var balance = detail.LedgerEntries.LastOrDefault()?.BalanceAfter;
        return Envelope.Ok(Dto.OrderDetail(detail, balance));
    }
}
