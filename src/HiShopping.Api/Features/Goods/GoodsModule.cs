using Carter;
using HiShopping.Api.Contracts;
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
            group.MapGet("/goods", List).WithQuery(QueryDocs.Goods);
            group.MapGet("/goods/categories", Categories);
            group.MapGet("/goods/detail/{goods_id}", Detail);
        }
    }

    internal static ApiResult<PageResponse<GoodsSummaryResponse>> List(HttpRequest request, ICatalogService catalog) =>
        Envelope.Ok(PageResponse<GoodsSummaryResponse>.From(catalog.ListGoods(ReadQuery(request)), GoodsSummaryResponse.From));

    internal static ApiResult<IReadOnlyList<CategoryResponse>> Categories(ICatalogService catalog) =>
        Envelope.Ok<IReadOnlyList<CategoryResponse>>(catalog.Categories().Select(CategoryResponse.From).ToList());

    internal static ApiResult<GoodsDetailResponse> Detail(string goods_id, ICatalogService catalog) =>
        Envelope.Ok(GoodsDetailResponse.From(catalog.GetGoods(goods_id) ?? throw new HiShopException(ErrorCode.NotFound, $"Goods {goods_id} not found.")));

    internal static GoodsQuery ReadQuery(HttpRequest request)
    {
        var q = new QueryReader(request);
        var query = q.Paged(new GoodsQuery
        {
            CategoryId = q.String("category_id"),
            Keyword = q.String("keyword"),
            MinPrice = q.Money("min_price"),
            MaxPrice = q.Money("max_price"),
            Sort = q.String("sort"),
        });
        q.ThrowIfInvalid();
        return query;
    }
}
