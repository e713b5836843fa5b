using System.Globalization;
using System.Text.Json;

namespace HiShopping.Api.Tests.Features;

[ClassDataSource<ApiServer>(Shared = SharedType.PerTestSession)]
public sealed class GoodsTests(ApiServer server)
{
    private static decimal Price(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    [Test]
    public async Task Goods_list_pages_through_the_demo_catalog()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var first = (await session.GetAsync("/api/v1/web/goods")).EnsureCode(0).Data;

        await Assert.That(first.GetProperty("page").GetInt32()).IsEqualTo(1);
        await Assert.That(first.GetProperty("page_size").GetInt32()).IsEqualTo(20);
        await Assert.That(first.GetProperty("total").GetInt64()).IsGreaterThanOrEqualTo(300);
        await Assert.That(first.GetProperty("items").GetArrayLength()).IsEqualTo(20);
        var item = first.GetProperty("items")[0];
        foreach (var field in new[] { "goods_id", "title", "category_id", "thumb_url", "min_price", "max_price", "currency", "sku_count", "in_stock" })
            await Assert.That(item.TryGetProperty(field, out _)).IsTrue();
        await Assert.That(item.GetProperty("currency").GetString()).IsEqualTo("USD");
        await Assert.That(item.GetProperty("min_price").GetString()).Matches(@"^\d+\.\d{2}$");

        var second = (await session.GetAsync("/api/v1/web/goods?page=2&page_size=100")).Data;
        await Assert.That(second.GetProperty("items").GetArrayLength()).IsEqualTo(100);
        await Assert.That(second.GetProperty("items")[0].GetProperty("goods_id").GetString())
            .IsNotEqualTo(first.GetProperty("items")[0].GetProperty("goods_id").GetString());
    }

    [Test]
    public async Task Filters_and_sorts_narrow_the_list()
    {
        var session = await server.NewMerchantAsync(withProfile: false);

        var cheapFirst = (await session.GetAsync("/api/v1/web/goods?sort=price_asc&page_size=50")).Data.GetProperty("items");
        var prices = cheapFirst.EnumerateArray().Select(i => Price(i, "min_price")).ToList();
        await Assert.That(string.Join(",", prices)).IsEqualTo(string.Join(",", prices.Order()));

        var dearFirst = (await session.GetAsync("/api/v1/web/goods?sort=price_desc&page_size=50")).Data.GetProperty("items");
        var maxPrices = dearFirst.EnumerateArray().Select(i => Price(i, "max_price")).ToList();
        await Assert.That(string.Join(",", maxPrices)).IsEqualTo(string.Join(",", maxPrices.OrderDescending()));

        var band = (await session.GetAsync("/api/v1/web/goods?min_price=10.00&max_price=20.00&page_size=100")).Data;
        await Assert.That(band.GetProperty("total").GetInt64()).IsGreaterThan(0);
        foreach (var i in band.GetProperty("items").EnumerateArray())
        {
            await Assert.That(Price(i, "max_price")).IsGreaterThanOrEqualTo(10m);
            await Assert.That(Price(i, "min_price")).IsLessThanOrEqualTo(20m);
        }

        var keyword = (await session.GetAsync("/api/v1/web/goods?keyword=phone%20case&page_size=100")).Data;
        await Assert.That(keyword.GetProperty("total").GetInt64()).IsGreaterThan(0);
        foreach (var i in keyword.GetProperty("items").EnumerateArray())
            await Assert.That(i.GetProperty("title").GetString()!.ToLowerInvariant()).Contains("phone case");
    }

    [Test]
    public async Task A_category_filter_includes_every_category_below_it()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var tree = (await session.GetAsync("/api/v1/web/goods/categories")).EnsureCode(0).Data;
        var top = tree[0];
        var leafIds = top.GetProperty("children").EnumerateArray().SelectMany(m => m.GetProperty("children").EnumerateArray())
            .Select(l => l.GetProperty("category_id").GetString()).ToHashSet();

        var list = (await session.GetAsync($"/api/v1/web/goods?category_id={top.GetProperty("category_id").GetString()}&page_size=100")).Data;

        await Assert.That(list.GetProperty("total").GetInt64()).IsEqualTo(top.GetProperty("goods_count").GetInt64());
        foreach (var i in list.GetProperty("items").EnumerateArray())
            await Assert.That(leafIds).Contains(i.GetProperty("category_id").GetString());
    }

    [Test]
    public async Task Categories_form_a_three_level_tree_with_counts()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var tree = (await session.GetAsync("/api/v1/web/goods/categories")).Data;

        var leaves = tree.EnumerateArray().SelectMany(t => t.GetProperty("children").EnumerateArray())
            .SelectMany(m => m.GetProperty("children").EnumerateArray()).ToList();
        await Assert.That(leaves.Count).IsGreaterThanOrEqualTo(20);
        await Assert.That(leaves.All(l => l.GetProperty("children").GetArrayLength() == 0)).IsTrue();
        var total = tree.EnumerateArray().Sum(t => t.GetProperty("goods_count").GetInt64());
        var listed = (await session.GetAsync("/api/v1/web/goods?page_size=1")).Data.GetProperty("total").GetInt64();
        await Assert.That(total).IsEqualTo(listed);
        await Assert.That(tree[0].GetProperty("parent_id").ValueKind).IsEqualTo(JsonValueKind.Null);
    }

    [Test]
    public async Task Goods_detail_has_skus_with_specs_and_the_category_path()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        var detail = (await session.GetAsync("/api/v1/web/goods/detail/gd-100001")).EnsureCode(0).Data;

        await Assert.That(detail.GetProperty("goods_id").GetString()).IsEqualTo("gd-100001");
        await Assert.That(detail.GetProperty("category_path").GetArrayLength()).IsEqualTo(3);
        var skus = detail.GetProperty("skus");
        await Assert.That(skus.GetArrayLength()).IsGreaterThanOrEqualTo(1);
        var sku = skus[0];
        await Assert.That(sku.GetProperty("sku_id").GetString()).StartsWith("sku-");
        await Assert.That(sku.GetProperty("spec").ValueKind).IsEqualTo(JsonValueKind.Object);
        await Assert.That(sku.GetProperty("price").GetString()).Matches(@"^\d+\.\d{2}$");
        await Assert.That(detail.GetProperty("attributes").GetProperty("Brand").GetString()).IsEqualTo("Temu Select");
        var skuPrices = skus.EnumerateArray().Select(s => Price(s, "price")).ToList();
        await Assert.That(Price(detail, "min_price")).IsEqualTo(skuPrices.Min());
        await Assert.That(Price(detail, "max_price")).IsEqualTo(skuPrices.Max());
    }

    [Test]
    public async Task Unknown_goods_is_4004_and_bad_queries_are_4000()
    {
        var session = await server.NewMerchantAsync(withProfile: false);
        await Assert.That((await session.GetAsync("/api/v1/web/goods/detail/gd-nope")).Code).IsEqualTo(4004);

        foreach (var query in new[] { "page=0", "page_size=101", "page=abc", "sort=cheapest", "min_price=abc", "min_price=5.00&max_price=1.00" })
        {
            var response = await session.GetAsync("/api/v1/web/goods?" + query);
            await Assert.That(response.Code).IsEqualTo(4000);
        }
    }
}
