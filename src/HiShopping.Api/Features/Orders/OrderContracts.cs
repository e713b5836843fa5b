using HiShopping.Api.Contracts;
using HiShopping.Api.Features.Goods;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features.Orders;

public sealed record OrderSummaryResponse(
    string OrderNo, long MerchantId, string MerchantOrderNo, string Status, Amount GoodsAmount, Amount Fee, Amount TotalAmount,
    string Currency, long ItemCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static OrderSummaryResponse From(OrderSummary o) => new(
        o.OrderNo, o.MerchantId, o.MerchantOrderNo, o.Status, Amount.Of(o.GoodsAmount), Amount.Of(o.Fee), Amount.Of(o.TotalAmount), o.Currency,
        o.ItemCount, UtcTimeJsonConverter.From(o.CreatedAt), UtcTimeJsonConverter.From(o.UpdatedAt));
}

public sealed record OrderItemResponse(string SkuId, string GoodsId, string Title, IReadOnlyDictionary<string, string> Spec, Amount UnitPrice, long Quantity, Amount Amount);

/// <summary>Where an order goes; the same shape in the request that places it and in every answer about it.</summary>
public sealed record ShippingDetails
{
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Country { get; init; }
    public string? State { get; init; }
    public string? City { get; init; }
    public string? Address1 { get; init; }
    public string? Address2 { get; init; }
    public string? PostalCode { get; init; }

    public static ShippingDetails From(ShippingAddress s) => new()
    {
        Name = s.Name, Phone = s.Phone, Country = s.Country, State = s.State, City = s.City, Address1 = s.Address1, Address2 = s.Address2, PostalCode = s.PostalCode,
    };

    public ShippingAddress ToAddress() => new()
    {
        Name = Name ?? "", Phone = Phone ?? "", Country = Country ?? "", State = State ?? "", City = City ?? "", Address1 = Address1 ?? "",
        Address2 = Address2, PostalCode = PostalCode ?? "",
    };
}

public sealed record OrderHistoryResponse(string Status, DateTimeOffset At, string? Note);

public sealed record TrackingResponse(string Carrier, string? TrackingNo);

public sealed record LedgerReferenceResponse(string ReferenceNo, string Type, Amount Amount);

/// <summary>One order whole. <c>balance_after</c> is set in the answers that moved credit (placement, cancellation).</summary>
public sealed record OrderDetailResponse(
    string OrderNo, long MerchantId, string MerchantOrderNo, string Status, Amount GoodsAmount, Amount Fee, Amount TotalAmount, string Currency,
    long ItemCount, IReadOnlyList<OrderItemResponse> Items, ShippingDetails Shipping, string? Remark, IReadOnlyList<OrderHistoryResponse> History,
    TrackingResponse? Tracking, IReadOnlyList<LedgerReferenceResponse> LedgerReferences, Amount? BalanceAfter,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static OrderDetailResponse From(OrderDetail d, long? balanceAfter = null)
    {
        var o = d.Order;
        return new OrderDetailResponse(
            o.OrderNo, o.MerchantId, o.MerchantOrderNo, o.Status, Amount.Of(o.GoodsAmount), Amount.Of(o.Fee), Amount.Of(o.TotalAmount), o.Currency, o.ItemCount,
            d.Items.Select(i => new OrderItemResponse(i.SkuId, i.GoodsId, i.Title, StoredJson.Map(i.SpecJson), Amount.Of(i.UnitPrice), i.Quantity, Amount.Of(i.Amount))).ToList(),
            ShippingDetails.From(d.Shipping), d.Remark,
            d.History.Select(h => new OrderHistoryResponse(h.Status, UtcTimeJsonConverter.From(h.At), h.Note)).ToList(),
            d.Carrier is null ? null : new TrackingResponse(d.Carrier, d.TrackingNo),
            d.LedgerEntries.Select(e => new LedgerReferenceResponse(e.ReferenceNo, e.Type, Amount.Of(e.Amount))).ToList(),
            Amount.Of(balanceAfter), UtcTimeJsonConverter.From(o.CreatedAt), UtcTimeJsonConverter.From(o.UpdatedAt));
    }
}

public sealed record OrderLineRequest
{
    public string? SkuId { get; init; }
    public long? Quantity { get; init; }
}

public sealed record PlaceOrderRequest
{
    public string? MerchantOrderNo { get; init; }
    public IReadOnlyList<OrderLineRequest>? Items { get; init; }
    public ShippingDetails? Shipping { get; init; }
    public string? Remark { get; init; }

    /// <summary>Translation only: the order service names every missing or invalid field in one 4000.</summary>
    public PlaceOrderInput ToInput() => new()
    {
        MerchantOrderNo = MerchantOrderNo ?? "",
        Items = Items?.Select(i => new OrderLine(i?.SkuId ?? "", i?.Quantity ?? 0)).ToList() ?? [],
        Shipping = Shipping?.ToAddress()!,
        Remark = Remark,
    };
}

public sealed record CancelOrderRequest
{
    public string? Reason { get; init; }
}
