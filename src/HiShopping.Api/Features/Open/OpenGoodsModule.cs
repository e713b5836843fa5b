using Carter;
using HiShopping.Api.Features.Goods;
using HiShopping.Api.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace HiShopping.Api.Features.Open;

/// <summary>The goods catalog for integrations: the same reads as the Web API.</summary>
public sealed class OpenGoodsModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = OpenRoutes.Group(app);
        group.MapGet("/goods", GoodsModule.List).WithQuery(QueryDocs.Goods);
        group.MapGet("/goods/categories", GoodsModule.Categories);
        group.MapGet("/goods/{goods_id}", GoodsModule.Detail);
    }
}
