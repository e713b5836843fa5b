using Carter;
using HiShopping.Api.Http;
using HiShopping.Store;
using HiShopping.Store.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Goods;

/// <summary>The Temu goods catalog, for any signed-in user.</summary>
public sealed class GoodsModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var group in WebRoutes.SignedInGroups(app))
        {
            group.MapGet("/goods", List);
            group.MapGet("/goods/categories", Categories);
            group.MapGet("/goods/detail/{goods_id}", Detail);
        }
    }

    internal static IResult List(HttpRequest request, ICatalogService catalog) =>
        Envelope.Ok(Dto.Page(catalog.ListGoods(ReadQuery(request)), g => Dto.GoodsSummary(g)));

    internal static IResult Categories(ICatalogService catalog) =>
        Envelope.Ok(catalog.Categories().Select(Dto.Category).ToList());

    internal static IResult Detail(string goods_id, ICatalogService catalog) =>
        Envelope.Ok(Dto.GoodsDetail(catalog.GetGoods(goods_id) ?? throw new HiShopException(ErrorCode.NotFound, $"Goods {goods_id} not found.")));

    internal static GoodsQuery ReadQuery(HttpRequest request)
    {
        var q = new QueryReader(request);
        var (page, size) = q.Paging();
        var query = new GoodsQuery
        {
            Page = page,
            PageSize = size,
            CategoryId = q.String("category_id", 64),
            Keyword = q.String("keyword", 100),
            MinPrice = q.Money("min_price"),
            MaxPrice = q.Money("max_price"),
            Sort = q.OneOf("sort", GoodsQuery.Sorts) ?? "newest",
        };
        if (query.MinPrice > query.MaxPrice) q.Error("min_price", "min_price must not exceed max_price.");
        q.ThrowIfInvalid();
        return query;
    }
}
