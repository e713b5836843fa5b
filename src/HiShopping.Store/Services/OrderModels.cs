namespace HiShopping.Store.Services;

public static class OrderStatuses
{
    public const string Paid = "paid";
    public const string Processing = "processing";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static readonly string[] All = [Paid, Processing, Shipped, Delivered, Cancelled];
}

public sealed record OrderSummary
{
    /// <summary>The row's id: what a keyset cursor points at (lists are newest first by it).</summary>
    public long Id { get; init; }
    public long MerchantId { get; init; }
    public required string OrderNo { get; init; }
    public required string MerchantOrderNo { get; init; }
    public required string Status { get; init; }
    public long GoodsAmount { get; init; }
    public long Fee { get; init; }
    public long TotalAmount { get; init; }
    public required string Currency { get; init; }
    public long ItemCount { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}

public sealed record OrderItem
{
    public required string SkuId { get; init; }
    public required string GoodsId { get; init; }
    public required string Title { get; init; }
    public required string SpecJson { get; init; }
    public long UnitPrice { get; init; }
    public long Quantity { get; init; }
    public long Amount { get; init; }
}

public sealed record OrderHistoryEntry
{
    public required string Status { get; init; }
    public string? Note { get; init; }
    public long At { get; init; }
}

public sealed record ShippingAddress
{
    public required string Name { get; init; }
    public required string Phone { get; init; }
    public required string Country { get; init; }
    public required string State { get; init; }
    public required string City { get; init; }
    public required string Address1 { get; init; }
    public string? Address2 { get; init; }
    public required string PostalCode { get; init; }
}

public sealed record OrderDetail
{
    public required OrderSummary Order { get; init; }
    public required IReadOnlyList<OrderItem> Items { get; init; }
    public required ShippingAddress Shipping { get; init; }
    public string? Remark { get; init; }
    public string? Carrier { get; init; }
    public string? TrackingNo { get; init; }
    public required IReadOnlyList<OrderHistoryEntry> History { get; init; }
    public required IReadOnlyList<LedgerEntry> LedgerEntries { get; init; }
}

public sealed record OrderQuery : KeysetQuery
{
    public long? MerchantId { get; init; }
    public string? Status { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }

    /// <summary>Matches the start of order_no (in any case) or of merchant_order_no: a whole number or its first characters.</summary>
    public string? Keyword { get; init; }

    public string? MerchantOrderNo { get; init; }
}

public sealed record OrderLine(string SkuId, long Quantity);

public sealed record PlaceOrderInput
{
    public required string MerchantOrderNo { get; init; }
    public required IReadOnlyList<OrderLine> Items { get; init; }
    public required ShippingAddress Shipping { get; init; }
    public string? Remark { get; init; }
}

public sealed record PlacedOrder(OrderDetail Detail, long BalanceAfter);
