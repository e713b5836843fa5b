using System.Text.Json;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using HiShopping.Store.Services;

namespace HiShopping.Api.Features;

/// <summary>How domain records leave the server: money as two-decimal strings, times as ISO 8601, names snake_case.</summary>
internal static class Dto
{
    public static object User(User u) => new { u.Id, u.Email, u.Role, u.HasMerchant };

    public static object Merchant(HiShopping.Store.Services.Merchant m) => new
    {
        MerchantId = m.Id,
        m.Email,
        m.CompanyName,
        m.ContactName,
        m.ContactPhone,
        m.ContactEmail,
        m.Country,
        m.Address,
        m.Website,
        BankAccount = new { m.BankName, AccountName = m.BankAccountName, AccountNumber = m.BankAccountMasked, SwiftCode = m.BankSwift },
        FeeRateBps = m.FeeRateBps,
        m.Status,
        CreatedAt = Times.Iso(m.CreatedAt),
        UpdatedAt = Times.Iso(m.UpdatedAt),
    };

    public static object App(MerchantApp a) => new
    {
        a.AppId,
        a.Name,
        a.Status,
        a.NotifyUrl,
        a.IpWhitelist,
        a.ApiKeySet,
        a.SignKeySet,
        SignKeyCreatedAt = Times.Iso(a.SignKeyCreatedAt),
        CreatedAt = Times.Iso(a.CreatedAt),
    };

    public static object GoodsSummary(GoodsSummary g) => new
    {
        g.GoodsId,
        g.Title,
        g.CategoryId,
        g.ThumbUrl,
        MinPrice = Money.Format(g.MinPrice),
        MaxPrice = Money.Format(g.MaxPrice),
        Currency = Money.Currency,
        g.SkuCount,
        g.InStock,
    };

    public static object GoodsDetail(GoodsDetail g) => new
    {
        g.GoodsId,
        g.Title,
        g.Description,
        g.CategoryId,
        CategoryPath = g.CategoryPath.Select(c => new { c.CategoryId, c.Name }),
        Images = Json(g.ImagesJson),
        Attributes = Json(g.AttributesJson),
        Skus = g.Skus.Select(s => new { s.SkuId, Spec = Json(s.SpecJson), Price = Money.Format(s.Price), s.Stock, s.Image }),
        MinPrice = Money.Format(g.MinPrice),
        MaxPrice = Money.Format(g.MaxPrice),
        Currency = Money.Currency,
        UpdatedAt = Times.Iso(g.UpdatedAt),
    };

    public static object Category(CategoryNode c) => new
    {
        c.CategoryId,
        c.Name,
        c.ParentId,
        c.GoodsCount,
        Children = c.Children.Select(Category).ToList(),
    };

    public static object OrderSummary(OrderSummary o) => new
    {
        o.OrderNo,
        o.MerchantOrderNo,
        o.Status,
        GoodsAmount = Money.Format(o.GoodsAmount),
        Fee = Money.Format(o.Fee),
        TotalAmount = Money.Format(o.TotalAmount),
        o.Currency,
        o.ItemCount,
        CreatedAt = Times.Iso(o.CreatedAt),
        UpdatedAt = Times.Iso(o.UpdatedAt),
    };

    public static object OrderDetail(OrderDetail d, long? balanceAfter = null) => new
    {
        d.Order.OrderNo,
        d.Order.MerchantOrderNo,
        d.Order.Status,
        GoodsAmount = Money.Format(d.Order.GoodsAmount),
        Fee = Money.Format(d.Order.Fee),
        TotalAmount = Money.Format(d.Order.TotalAmount),
        d.Order.Currency,
        d.Order.ItemCount,
        Items = d.Items.Select(i => new
        {
            i.SkuId, i.GoodsId, i.Title, Spec = Json(i.SpecJson), UnitPrice = Money.Format(i.UnitPrice), i.Quantity, Amount = Money.Format(i.Amount),
        }),
        d.Shipping,
        d.Remark,
        History = d.History.Select(h => new { h.Status, At = Times.Iso(h.At), h.Note }),
        Tracking = d.Carrier is null ? null : new { d.Carrier, d.TrackingNo },
        LedgerReferences = d.LedgerEntries.Select(e => new { e.ReferenceNo, e.Type, Amount = Money.Format(e.Amount) }),
        BalanceAfter = balanceAfter is { } b ? Money.Format(b) : null,
        CreatedAt = Times.Iso(d.Order.CreatedAt),
        UpdatedAt = Times.Iso(d.Order.UpdatedAt),
    };

    public static object LedgerEntry(LedgerEntry e) => new
    {
        e.ReferenceNo,
        e.Type,
        Amount = Money.Format(e.Amount),
        BalanceBefore = Money.Format(e.BalanceBefore),
        BalanceAfter = Money.Format(e.BalanceAfter),
        e.OrderNo,
        e.Memo,
        Currency = Money.Currency,
        CreatedAt = Times.Iso(e.CreatedAt),
    };

    public static Dictionary<string, object?> Credit(CreditSummary c) => new()
    {
        ["balance"] = Money.Format(c.Balance),
        ["credit_limit"] = Money.Format(c.CreditLimit),
        ["available"] = Money.Format(c.Available),
        ["total_credited"] = Money.Format(c.TotalCredited),
        ["total_consumed"] = Money.Format(c.TotalConsumed),
        ["total_refunded"] = Money.Format(c.TotalRefunded),
        ["utilization"] = c.Utilization,
        ["currency"] = c.Currency,
        ["status"] = c.Status,
        ["last_30_days"] = c.Last30Days.Select(d => new
        {
            d.Date, Credited = Money.Format(d.Credited), Spent = Money.Format(d.Spent), Refunded = Money.Format(d.Refunded),
        }).ToList(),
    };

    public static object Page<T>(PageOf<T> page, Func<T, object> map) => new
    {
        Items = page.Items.Select(map).ToList(),
        page.Page,
        page.PageSize,
        page.Total,
    };

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
