using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Demo;

namespace HiShopping.Store.Tests.Catalog;

public sealed class CatalogTests
{
    [Test]
    public async Task The_demo_catalog_is_deterministic_and_large_enough()
    {
        var goods = DemoCatalog.Goods();
        var again = DemoCatalog.Goods();
        var categories = DemoCatalog.Categories();

        await Assert.That(System.Text.Json.JsonSerializer.Serialize(goods)).IsEqualTo(System.Text.Json.JsonSerializer.Serialize(again));
        await Assert.That(goods.Count).IsGreaterThanOrEqualTo(300);
        var leaves = categories.Where(c => !categories.Any(k => k.ParentId == c.CategoryId)).ToList();
        await Assert.That(leaves.Count).IsGreaterThanOrEqualTo(20);
        // Three levels: every leaf has a parent that has a parent that is a root.
        var byId = categories.ToDictionary(c => c.CategoryId);
        await Assert.That(leaves.All(l => byId[l.ParentId!].ParentId is { } top && byId[top].ParentId is null)).IsTrue();
        await Assert.That(goods.All(g => g.Skus.Count is >= 1 and <= 12)).IsTrue();
        await Assert.That(goods.Select(g => g.Skus.Count).Distinct().Count()).IsGreaterThan(5);
        await Assert.That(goods.SelectMany(g => g.Skus).All(s => s.Spec.Count >= 1 && s.Price > 0)).IsTrue();
        await Assert.That(goods.Select(g => g.Title).Distinct().Count()).IsGreaterThan(200);
    }

    [Test]
    public async Task Upserting_the_same_goods_again_changes_nothing()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var writer = store.Get<ICatalogWriter>();
        var before = Snapshot(store);

        var result = writer.UpsertGoods(DemoCatalog.Goods().Take(50).ToList());

        await Assert.That(result.Unchanged).IsEqualTo(50);
        await Assert.That(result.Changed).IsFalse();
        await Assert.That(Snapshot(store)).IsEqualTo(before);
    }

    [Test]
    public async Task A_changed_sku_updates_the_goods_and_a_dropped_sku_leaves_the_shelf()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var original = DemoCatalog.Goods().First(g => g.Skus.Count >= 2);
        var changed = original with
        {
            Skus = [original.Skus[0] with { Price = 1 }],
        };

        var result = store.Get<ICatalogWriter>().UpsertGoods([changed]);
        var detail = store.Get<ICatalogService>().GetGoods(original.GoodsId)!;

        await Assert.That(result.Updated).IsEqualTo(1);
        await Assert.That(detail.Skus.Count).IsEqualTo(1);
        await Assert.That(detail.MinPrice).IsEqualTo(1);
    }

    [Test]
    public async Task Cached_reads_see_a_write_once_the_version_is_read_again_a_second_later()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new TestStore(seedDemoCatalog: true, clock: clock);
        var catalog = store.Get<ICatalogService>();
        await Assert.That(catalog).IsTypeOf<CachedCatalogService>();
        var query = new GoodsQuery { Keyword = "Zebra Unicorn Lamp" };
        await Assert.That(catalog.ListGoods(query).Total).IsEqualTo(0);

        store.Get<ICatalogWriter>().UpsertGoods([new GoodsRecord
        {
            GoodsId = "gd-zebra", CategoryId = "cat-3", Title = "Zebra Unicorn Lamp",
            Skus = [new SkuRecord { SkuId = "sku-zebra", Price = 999, Stock = 3 }],
        }]);
        // Within the second the cached version stands (a write from another process would be unseen too)…
        await Assert.That(catalog.ListGoods(query).Total).IsEqualTo(0);
        clock.Advance(TimeSpan.FromSeconds(1));
        // …then the version is read again, and the new goods are found.
        await Assert.That(catalog.ListGoods(query).Total).IsEqualTo(1);
    }

    private static string Snapshot(TestStore store)
    {
        using var c = store.Get<Db>().Open();
        return string.Join("|", c.Query<string>("SELECT goods_id || ':' || updated_at FROM goods ORDER BY goods_id")) +
               string.Join("|", c.Query<string>("SELECT sku_id || ':' || updated_at FROM skus ORDER BY sku_id")) +
               c.ExecuteScalar<string>("SELECT value FROM meta WHERE key = 'catalog_version'");
    }

    [Test]
    public async Task A_loop_of_parent_categories_lists_and_shows_its_goods_instead_of_running_forever()
    {
        using var store = new TestStore();
        var writer = store.Get<ICatalogWriter>();
        writer.UpsertCategories([new CategoryRecord { CategoryId = "loop-a", Name = "A" }, new CategoryRecord { CategoryId = "loop-b", ParentId = "loop-a", Name = "B" }]);
        writer.UpsertCategories([new CategoryRecord { CategoryId = "loop-a", ParentId = "loop-b", Name = "A" }]); // imports refuse this now; a store imported before may hold it
        writer.UpsertGoods([new GoodsRecord { GoodsId = "loop-g", CategoryId = "loop-a", Title = "Looped Lamp", Skus = [new SkuRecord { SkuId = "loop-s", Price = 5_00, Stock = 1 }] }]);
        var sql = new CatalogService(store.Get<Db>()) { GoodsInMemory = null };
        var catalog = store.Get<ICatalogService>();

        var listed = await Task.Run(() => sql.ListGoods(new GoodsQuery { CategoryId = "loop-b", Sort = "price_asc" })).WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.That(listed.Items.Select(g => g.GoodsId)).IsEquivalentTo(["loop-g"]);
        await Assert.That(catalog.ListGoods(new GoodsQuery { CategoryId = "loop-a" }).Items.Select(g => g.GoodsId)).IsEquivalentTo(["loop-g"]);
        var detail = await Task.Run(() => sql.GetGoods("loop-g")).WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.That(detail!.CategoryPath.Select(p => p.CategoryId)).IsEquivalentTo(["loop-b", "loop-a"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(catalog.Categories().Select(c => c.CategoryId)).DoesNotContain("loop-a"); // no root leads to it
    }
}
