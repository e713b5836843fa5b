using System.Text.Json;
using HiShopping.Api.Contracts;
using HiShopping.Store;
using HiShopping.Store.Catalog;

namespace HiShopping.Api.Features.Goods;

public sealed record GoodsSummaryResponse(
    string GoodsId, string Title, string CategoryId, string? ThumbUrl, Amount MinPrice, Amount MaxPrice, string Currency, long SkuCount, bool InStock)
{
    public static GoodsSummaryResponse From(GoodsSummary g) =>
        new(g.GoodsId, g.Title, g.CategoryId, g.ThumbUrl, Amount.Of(g.MinPrice), Amount.Of(g.MaxPrice), Money.Currency, g.SkuCount, g.InStock);
}

public sealed record CategoryRefResponse(string CategoryId, string Name);

public sealed record SkuResponse(string SkuId, IReadOnlyDictionary<string, string> Spec, Amount Price, long Stock, string? Image);

public sealed record GoodsDetailResponse(
    string GoodsId, string Title, string Description, string CategoryId, IReadOnlyList<CategoryRefResponse> CategoryPath,
    IReadOnlyList<string> Images, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<SkuResponse> Skus,
    Amount MinPrice, Amount MaxPrice, string Currency, DateTimeOffset UpdatedAt)
{
    public static GoodsDetailResponse From(GoodsDetail g) => new(
        g.GoodsId, g.Title, g.Description, g.CategoryId, g.CategoryPath.Select(c => new CategoryRefResponse(c.CategoryId, c.Name)).ToList(),
        StoredJson.Strings(g.ImagesJson), StoredJson.Map(g.AttributesJson),
        g.Skus.Select(s => new SkuResponse(s.SkuId, StoredJson.Map(s.SpecJson), Amount.Of(s.Price), s.Stock, s.Image)).ToList(),
        Amount.Of(g.MinPrice), Amount.Of(g.MaxPrice), Money.Currency, UtcTimeJsonConverter.From(g.UpdatedAt));
}

public sealed record CategoryResponse(string CategoryId, string Name, string? ParentId, long GoodsCount, IReadOnlyList<CategoryResponse> Children)
{
    public static CategoryResponse From(CategoryNode c) => new(c.CategoryId, c.Name, c.ParentId, c.GoodsCount, c.Children.Select(From).ToList());
}

/// <summary>The JSON the catalog stores for images, attributes and SKU specs, as contract values.</summary>
public static class StoredJson
{
    public static IReadOnlyList<string> Strings(string json) => JsonSerializer.Deserialize(json, ApiJsonContext.Wire.StringArray) ?? [];

    public static IReadOnlyDictionary<string, string> Map(string json) => JsonSerializer.Deserialize(json, ApiJsonContext.Wire.DictionaryStringString) ?? [];
}

/// <summary>How big the catalog is (<c>hishop catalog stats</c>, the operator's Catalog screen).</summary>
public sealed record CatalogStatsResponse(long Categories, long LeafCategories, long Goods, long ActiveGoods, long Skus, long SkusInStock, DateTimeOffset? LastUpdatedAt)
{
    public static CatalogStatsResponse From(CatalogStats s) =>
        new(s.Categories, s.LeafCategories, s.Goods, s.ActiveGoods, s.Skus, s.SkusInStock, UtcTimeJsonConverter.From(s.LastUpdatedAt));
}
