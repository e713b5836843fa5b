using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using Microsoft.Extensions.Time.Testing;

namespace HiShopping.Store.Tests.Catalog;

/// <summary>Issue 9: what a keyword finds (docs/api.md "Search"), with the filters and sorts around it.</summary>
public sealed class SearchTests
{
    private static GoodsRecord Goods(string id, string title, string category, long price, string status = "active") => new()
    {
        GoodsId = id, CategoryId = category, Title = title, Status = status,
        Skus = [new SkuRecord { SkuId = id + "-s", Price = price, Stock = 5 }],
    };

    private static TestStore Store(FakeTimeProvider? clock = null)
    {
        var store = new TestStore(clock: clock);
        var writer = store.Get<ICatalogWriter>();
        writer.UpsertCategories([
            new CategoryRecord { CategoryId = "s-top", Name = "Top" },
            new CategoryRecord { CategoryId = "s-mid", ParentId = "s-top", Name = "Mid" },
            new CategoryRecord { CategoryId = "s-leaf", ParentId = "s-mid", Name = "Leaf" },
            new CategoryRecord { CategoryId = "s-other", Name = "Other" },
        ]);
        writer.UpsertGoods([
            Goods("g1", "Phone Case Silicone Black", "s-leaf", 1_00),
            Goods("g2", "Wireless Headphones Over Ear", "s-leaf", 30_00),
            Goods("g3", "Forehead Thermometer", "s-mid", 20_00),
            Goods("g4", "Leather Phone Case", "s-other", 12_00),
            Goods("g5", "Café Table Round", "s-top", 80_00),
            Goods("g6", "Phone Case Retired", "s-leaf", 5_00, status: "inactive"),
            Goods("g7", "Phone Case Deluxe", "s-mid", 25_00),
        ]);
        return store;
    }

    private static List<string> Ids(TestStore store, GoodsQuery query) =>
        store.Get<ICatalogService>().ListGoods(query).Items.Select(g => g.GoodsId).ToList();

    [Test]
    public async Task Words_match_in_any_order_as_words_or_word_starts_never_inside_a_word()
    {
        using var store = Store();
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "case phone" }).Order()).IsEquivalentTo(["g1", "g4", "g7"]);
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "head" })).IsEquivalentTo(["g2"]); // not "Forehead"
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "HEADPHONES" })).IsEquivalentTo(["g2"]);
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "cafe" })).IsEquivalentTo(["g5"]); // accents fold
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "phone-case, black!" })).IsEquivalentTo(["g1"]);
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "hone" })).IsEmpty(); // inside a word
        await Assert.That(store.Get<ICatalogService>().ListGoods(new GoodsQuery { Keyword = "!!!" }).Total).IsEqualTo(0);
    }

    [Test]
    public async Task An_inactive_goods_is_never_found()
    {
        using var store = Store();
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "retired" })).IsEmpty();
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "phone", Sort = "price_asc" })).DoesNotContain("g6");
    }

    [Test]
    public async Task Category_subtree_price_range_and_sort_work_together_with_a_keyword()
    {
        using var store = Store();
        var query = new GoodsQuery { Keyword = "phone case", CategoryId = "s-top", MinPrice = 50, MaxPrice = 30_00, Sort = "price_desc" };
        await Assert.That(Ids(store, query)).IsEquivalentTo(["g7", "g1"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(store, query with { Sort = "price_asc" })).IsEquivalentTo(["g1", "g7"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(store, query with { CategoryId = "s-other" })).IsEquivalentTo(["g4"]);
        await Assert.That(Ids(store, query with { MaxPrice = 10_00 })).IsEquivalentTo(["g1"]);
        // Without a keyword the same filters list by the category's own index.
        await Assert.That(Ids(store, new GoodsQuery { CategoryId = "s-mid", Sort = "price_asc" }))
            .IsEquivalentTo(["g1", "g3", "g7", "g2"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task By_default_a_keyword_ranks_and_without_one_the_newest_come_first()
    {
        using var store = Store();
        var ranked = store.Get<ICatalogService>().ListGoods(new GoodsQuery { Keyword = "phone case black" });
        await Assert.That(ranked.Items.Select(g => g.GoodsId)).IsEquivalentTo(["g1"]);
        var newest = Ids(store, new GoodsQuery { Keyword = "phone", Sort = "newest" });
        await Assert.That(newest).IsEquivalentTo(["g7", "g4", "g1"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(Ids(store, new GoodsQuery()).First()).IsEqualTo("g7");
    }

    [Test]
    public async Task A_goods_retitled_by_an_import_is_found_by_its_new_title_once_the_cache_refreshes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = Store(clock);
        var catalog = store.Get<ICatalogService>();
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "thermometer" })).IsEquivalentTo(["g3"]); // cached now

        store.Get<ICatalogWriter>().UpsertGoods([Goods("g3", "Infrared Forehead Scanner", "s-mid", 20_00)]);
        clock.Advance(TimeSpan.FromSeconds(1.1)); // the cache re-reads the catalog's version once a second

        await Assert.That(Ids(store, new GoodsQuery { Keyword = "thermometer" })).IsEmpty();
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "infrared scan" })).IsEquivalentTo(["g3"]);
        await Assert.That(catalog.ListGoods(new GoodsQuery { Keyword = "infrared" }).Total).IsEqualTo(1);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task An_existing_store_is_migrated_in_place_and_search_works_after()
    {
        using var store = Store();
        var db = store.Get<Db>();
        // Back to the schema before version 4, as a store made by an older hishop would be.
        using (var c = db.Open())
        {
            c.Execute("""
                DROP TRIGGER goods_fts_insert; DROP TRIGGER goods_fts_delete; DROP TRIGGER goods_fts_update;
                DROP TABLE goods_fts; DROP TABLE ledger_daily;
                DROP INDEX ix_goods_category_price; DROP INDEX ix_goods_category_created; DROP INDEX ix_goods_status_price;
                DROP INDEX ix_goods_status_price_desc; DROP INDEX ix_ledger_merchant_type; DROP INDEX ix_ledger_merchant_created;
                ALTER TABLE credit_accounts DROP COLUMN total_credited; ALTER TABLE credit_accounts DROP COLUMN total_ordered;
                ALTER TABLE credit_accounts DROP COLUMN total_refunded;
                DELETE FROM schema_migrations WHERE version IN (4, 10);
                """);
        }
        var applied = store.Get<Migrator>().Migrate();
        await Assert.That(applied).IsEquivalentTo(["0004_scale", "0010_ledger_upkeep"]);
        await Assert.That(Ids(store, new GoodsQuery { Keyword = "case phone", Sort = "price_asc" }))
            .IsEquivalentTo(["g1", "g4", "g7"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(store.Get<HiShopping.Store.Services.ILedgerAuditor>().Check().Ok).IsTrue();
    }
}
