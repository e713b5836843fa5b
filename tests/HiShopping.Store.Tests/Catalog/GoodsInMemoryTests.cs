using HiShopping.Store.Catalog;
using HiShopping.Store.Database;

namespace HiShopping.Store.Tests.Catalog;

/// <summary>
/// The FTS5 index held in memory (SQLite): every keyword-only search answers exactly what FTS5 answers — the same goods
/// in the same order, the same total — and a snapshot never serves a catalog version other than its own.
/// </summary>
public sealed class GoodsInMemoryTests
{
    private static readonly string[] Vocabulary =
    [
        "lamp", "lamps", "lampshade", "desk", "phone", "case", "cases", "cable", "usb", "4k", "2024", "black", "blue",
        "blueberry", "soft", "sofa", "pro", "projector", "light", "lightweight", "mini", "x", "Café", "crème", "naïve",
    ];

    private static GoodsRecord Goods(string id, string title, string status = "active") => new()
    {
        GoodsId = id, CategoryId = "m-cat", Title = title, Status = status,
        Skus = [new SkuRecord { SkuId = id + "-s", Price = 1_00 + id.Length, Stock = 5 }],
    };

    /// <summary>Titles of every kind: repeated words, prefixes of one another, digits, punctuation, accents, no word.</summary>
    private static List<GoodsRecord> Catalog(int common)
    {
        var random = new Random(42);
        var goods = new List<GoodsRecord>();
        for (var i = 0; i < 400; i++)
        {
            var words = Enumerable.Range(0, random.Next(1, 8)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();
            if (i % 7 == 0) words.Add(words[0]); // a word twice: bm25 counts it twice
            if (i % 11 == 0) words[0] = words[0].ToUpperInvariant();
            var title = i % 13 == 0 ? string.Join("-", words) : i % 17 == 0 ? string.Join(", ", words) + "!" : string.Join(' ', words);
            goods.Add(Goods($"m{i:D4}", title, status: i % 19 == 0 ? "inactive" : "active"));
        }
        goods.Add(Goods("m-none", "!!! ---"));
        goods.Add(Goods("m-usbc", "USB-C Cable 4K Pro"));
        goods.Add(Goods("m-zebra", "Zebra Quokka Lantern"));
        // More goods holding one word than the rank limit: that word is listed newest first, as FTS5 lists it.
        // "edge" in exactly the rank limit's number of goods (ranked: the shorter titles first), "brink" in one more
        // (newest first).
        for (var i = 0; i < common; i++)
            goods.Add(Goods($"c{i:D4}", $"common {Vocabulary[i % 8]} item{(i % 3 == 0 ? " with a longer title" : "")}{(i < CatalogService.RankLimit ? " edge" : "")}{(i <= CatalogService.RankLimit ? " brink" : "")}"));
        return goods;
    }

    private static TestStore Store(int common = 0)
    {
        var store = new TestStore();
        var writer = store.Get<ICatalogWriter>();
        writer.UpsertCategories([new CategoryRecord { CategoryId = "m-cat", Name = "Everything" }]);
        writer.UpsertGoods(Catalog(common));
        return store;
    }

    private static (CatalogService Fts, CatalogService Memory) Services(TestStore store, int summaryLimit = 200_000)
    {
        var db = store.Get<Db>();
        var memory = new CatalogService(db) { GoodsInMemory = new GoodsInMemory { SummaryLimit = summaryLimit } };
        using (var c = db.Open()) memory.GoodsInMemory!.Load(c);
        return (new CatalogService(db) { GoodsInMemory = null }, memory);
    }

    private static IEnumerable<string> Keywords()
    {
        foreach (var word in Vocabulary.Append("common").Append("item"))
        {
            yield return word;
            for (var n = 1; n < word.Length && n <= 4; n++) yield return word[..n];
        }
        yield return "lamp lamp";
        yield return "case phone";
        yield return "PHONE-case";
        yield return "usb c";
        yield return "4k pro cable";
        yield return "common lamp";
        yield return "common l";
        yield return "cafe";
        yield return "light lamps desk";
        yield return "nothing";
        yield return "lamp nothing";
        yield return "blue berry";
        yield return "edge";
        yield return "brink";
        yield return "edge lamp";
        yield return string.Join(' ', Enumerable.Repeat("l", 20)); // a keyword's first 16 words count
        foreach (var a in Vocabulary.Take(8))
            foreach (var b in Vocabulary.Skip(8).Take(8))
                yield return $"{a} {b[..Math.Min(3, b.Length)]}";
    }

    [Test, Category(TestData.SqliteFile)]
    [Arguments(200_000)]
    [Arguments(0)] // a catalog too large to hold the goods: the snapshot keeps rowids, the page reads its goods
    public async Task Every_keyword_finds_the_same_goods_in_the_same_order_as_FTS5(int summaryLimit)
    {
        using var store = Store(common: CatalogService.RankLimit + 50);
        var (fts, memory) = Services(store, summaryLimit);
        await Assert.That(memory.GoodsInMemory!.Version).IsEqualTo(fts.Version());

        var compared = 0;
        foreach (var keyword in Keywords())
            foreach (var sort in new[] { "relevance", "newest" })
                foreach (var (page, size) in new[] { (1, 20), (2, 7), (3, 7), (40, 50), (1000, 100) })
                {
                    var query = new GoodsQuery { Keyword = keyword, Sort = sort, Page = page, PageSize = size };
                    var expected = fts.ListGoods(query);
                    var actual = memory.ListGoods(query);
                    await Assert.That(actual.Items).IsEquivalentTo(expected.Items, TUnit.Assertions.Enums.CollectionOrdering.Matching)
                        .Because($"'{keyword}' sorted {sort}, page {page} of {size}");
                    await Assert.That((actual.Total, actual.TotalIsEstimate)).IsEqualTo((expected.Total, expected.TotalIsEstimate))
                        .Because($"'{keyword}' sorted {sort}");
                    if (expected.Items.Count > 0) compared++;
                }
        await Assert.That(compared).IsGreaterThan(500);

        // The memory answered these itself (an ASCII keyword at the snapshot's version)...
        var version = fts.Version();
        await Assert.That(memory.GoodsInMemory.Find(version, ["common"], rank: true, 0, 20)!.Matches).IsEqualTo(CatalogService.RankLimit + 50);
        var found = memory.GoodsInMemory.Find(version, ["lamp", "desk"], rank: true, 0, 20)!;
        await Assert.That(found.Items is null).IsEqualTo(summaryLimit == 0);
        await Assert.That(memory.GoodsInMemory.IndexOnly).IsEqualTo(summaryLimit == 0);
        await Assert.That(memory.GoodsInMemory.Find(version, ["edge"], rank: true, 0, 20)!.Matches).IsEqualTo(CatalogService.RankLimit);
        await Assert.That(memory.GoodsInMemory.Find(version, ["brink"], rank: true, 0, 20)!.Matches).IsEqualTo(CatalogService.RankLimit + 1);
        // ...and an inactive goods is in neither.
        await Assert.That(memory.ListGoods(new GoodsQuery { Keyword = "lamp", PageSize = 100, Page = 1 }).Items.Select(g => g.GoodsId)).DoesNotContain("m0000");
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_snapshot_serves_only_its_own_catalog_version()
    {
        using var store = Store();
        var (fts, memory) = Services(store);
        var before = fts.Version();
        await Assert.That(memory.GoodsInMemory!.Find(before, ["zebra"], rank: true, 0, 20)!.Items!.Select(g => g.GoodsId)).IsEquivalentTo(["m-zebra"]);

        store.Get<ICatalogWriter>().UpsertGoods([Goods("m-zebra", "Lightning Adapter")]);
        await Assert.That(fts.Version()).IsGreaterThan(before);
        await Assert.That(memory.GoodsInMemory.Find(fts.Version(), ["zebra"], rank: true, 0, 20)).IsNull();
        // The old snapshot is not asked: the retitled goods is found by its new title only, as FTS5 finds it.
        await Assert.That(memory.ListGoods(new GoodsQuery { Keyword = "zebra" }).Items).IsEmpty();
        await Assert.That(memory.ListGoods(new GoodsQuery { Keyword = "lightning" }).Items.Select(g => g.GoodsId)).IsEquivalentTo(["m-zebra"]);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_search_after_a_catalog_change_reads_the_next_snapshot_in_the_background()
    {
        using var store = Store();
        var db = store.Get<Db>();
        var memory = new CatalogService(db);
        var fts = new CatalogService(db) { GoodsInMemory = null };
        await Assert.That(memory.GoodsInMemory!.Version).IsNull();

        // The first search is answered by FTS5 and starts the read; the snapshot then serves that version.
        var query = new GoodsQuery { Keyword = "lamp" };
        await Assert.That(memory.ListGoods(query).Items).IsEquivalentTo(fts.ListGoods(query).Items, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (memory.GoodsInMemory.Version != fts.Version() && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Assert.That(memory.GoodsInMemory.Version).IsEqualTo(fts.Version());
        await Assert.That(memory.GoodsInMemory.Find(fts.Version(), ["lamp"], rank: true, 0, 20)!.Items!)
            .IsEquivalentTo(fts.ListGoods(query).Items, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    /// <summary>
    /// A tree (two tops, five mids of three leaves) and goods spread over it with few distinct prices, so sorts tie often:
    /// a top holds most goods, a mid a few lists (merged), a leaf one.
    /// </summary>
    private static TestStore ListingStore(int goods)
    {
        var store = new TestStore();
        var writer = store.Get<ICatalogWriter>();
        var categories = new List<CategoryRecord> { new() { CategoryId = "t1", Name = "Top 1" }, new() { CategoryId = "t2", Name = "Top 2" } };
        for (var m = 0; m < 5; m++)
        {
            categories.Add(new CategoryRecord { CategoryId = $"t1-m{m}", ParentId = "t1", Name = $"Mid {m}" });
            for (var l = 0; l < 3; l++) categories.Add(new CategoryRecord { CategoryId = $"t1-m{m}-l{l}", ParentId = $"t1-m{m}", Name = $"Leaf {m}.{l}" });
        }
        writer.UpsertCategories(categories);
        var random = new Random(7);
        var leaves = categories.Where(c => c.CategoryId.Contains("-l") || c.CategoryId == "t2" || c.CategoryId == "t1-m1").Select(c => c.CategoryId).ToList();
        for (var batch = 0; batch < goods; batch += 500)
            writer.UpsertGoods([.. Enumerable.Range(batch, Math.Min(500, goods - batch)).Select(i => new GoodsRecord
            {
                // Ids whose byte order differs from their number's: "g10" < "g9", "G…" < "g…".
                GoodsId = i % 5 == 0 ? $"G{i}" : $"g{i}", CategoryId = leaves[random.Next(leaves.Count)], Title = $"Goods {i}",
                Status = i % 23 == 0 ? "inactive" : "active",
                Skus = [.. Enumerable.Range(0, random.Next(1, 4)).Select(k => new SkuRecord { SkuId = $"g{i}-s{k}", Price = 100 * random.Next(1, 30), Stock = random.Next(0, 3) })],
            })]);
        return store;
    }

    private static async Task ListsTheSame(CatalogService fts, CatalogService memory, GoodsQuery query)
    {
        var expected = fts.ListGoods(query);
        var actual = memory.ListGoods(query);
        await Assert.That(actual.Items).IsEquivalentTo(expected.Items, TUnit.Assertions.Enums.CollectionOrdering.Matching).Because(query.ToString());
        await Assert.That((actual.Total, actual.TotalIsEstimate)).IsEqualTo((expected.Total, expected.TotalIsEstimate)).Because(query.ToString());
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Every_list_without_a_keyword_is_the_same_as_SQL_reads_it()
    {
        using var store = ListingStore(goods: 1_200);
        var (fts, memory) = Services(store);
        var version = fts.Version();
        await Assert.That(memory.GoodsInMemory!.List(version, new GoodsQuery())).IsNotNull();

        foreach (var category in new[] { null, "", "t1", "t1-m0", "t1-m1", "t1-m2-l1", "t2", "nope" })
            foreach (var sort in new[] { null, "newest", "price_asc", "price_desc", "relevance" })
                foreach (var (min, max) in new (long?, long?)[] { (null, null), (1_000, null), (null, 800), (500, 1_500), (1_200, 1_200), (9_000, null) })
                    foreach (var (page, size) in new[] { (1, 20), (2, 7), (30, 50) })
                        await ListsTheSame(fts, memory, new GoodsQuery { CategoryId = category, Sort = sort, MinPrice = min, MaxPrice = max, Page = page, PageSize = size });
        await ListsTheSame(fts, memory, new GoodsQuery { Keyword = "   ", Sort = "price_desc" }); // no word: a list, not a search
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_list_past_the_count_cap_counts_and_pages_as_SQL_does()
    {
        using var store = ListingStore(goods: Rules.CountCap + 600);
        var (fts, memory) = Services(store);
        await Assert.That(fts.ListGoods(new GoodsQuery()).TotalIsEstimate).IsTrue();
        foreach (var (page, size) in new[] { (1, 20), (500, 20), (501, 20), (502, 20), (200, 50), (201, 50), (1000, 20) })
            foreach (var sort in new[] { "newest", "price_asc" })
                await ListsTheSame(fts, memory, new GoodsQuery { Sort = sort, Page = page, PageSize = size });
        await ListsTheSame(fts, memory, new GoodsQuery { CategoryId = "t1", Sort = "price_desc", Page = 480, PageSize = 20 });
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Searches_and_lists_from_many_threads_at_once_answer_as_one_at_a_time()
    {
        using var store = Store(common: 300);
        var (fts, memory) = Services(store);
        var queries = Keywords().SelectMany(k => new[] { new GoodsQuery { Keyword = k }, new GoodsQuery { Keyword = k, Sort = "newest", Page = 2, PageSize = 5 } })
            .Concat([new GoodsQuery(), new GoodsQuery { Sort = "price_asc", MinPrice = 150 }, new GoodsQuery { CategoryId = "m-cat", Sort = "price_desc" }])
            .ToList();
        var expected = queries.ConvertAll(fts.ListGoods);
        var differ = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (worker, _) =>
        {
            await Task.Yield();
            for (var i = worker; i < queries.Count * 4; i += 8)
            {
                var actual = memory.ListGoods(queries[i % queries.Count]);
                var want = expected[i % queries.Count];
                if (!actual.Items.SequenceEqual(want.Items) || actual.Total != want.Total) differ.Add(queries[i % queries.Count].ToString());
            }
        });
        await Assert.That(differ).IsEmpty();
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task An_empty_catalog_lists_and_finds_nothing()
    {
        using var store = new TestStore();
        var (fts, memory) = Services(store);
        await Assert.That(memory.GoodsInMemory!.Version).IsEqualTo(fts.Version());
        foreach (var query in new[] { new GoodsQuery(), new GoodsQuery { Keyword = "lamp" }, new GoodsQuery { CategoryId = "any", Sort = "price_asc" } })
        {
            var page = memory.ListGoods(query);
            await Assert.That((page.Items.Count, page.Total)).IsEqualTo((0, 0L));
        }
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task An_index_out_of_step_with_the_goods_is_never_used_and_says_why()
    {
        using var store = Store();
        var db = store.Get<Db>();
        // A row in the search index that is no goods on sale (as a damaged index would hold).
        using (var c = db.Open()) Dapper.SqlMapper.Execute(c, "INSERT INTO goods_fts (rowid, title) VALUES (999999, 'ghost lamp')");
        var log = new RecordingLogger();
        var memory = new CatalogService(db, log);
        var fts = new CatalogService(db) { GoodsInMemory = null };

        var query = new GoodsQuery { Keyword = "desk" };
        await Assert.That(memory.ListGoods(query).Items).IsEquivalentTo(fts.ListGoods(query).Items, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        // The warning is written last, once the reason is kept and the next read's time set.
        while (log.Lines.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await Assert.That(memory.GoodsInMemory!.LastFailure).Contains("999999");
        await Assert.That(memory.GoodsInMemory.Version).IsNull();
        // serve's log says why (a line per failed read; the next read waits at least two seconds).
        await Assert.That(log.Lines[0]).StartsWith("Warning: Goods in memory: reading the catalog failed (").And.Contains("999999");
        await Assert.That(memory.ListGoods(new GoodsQuery { Sort = "price_asc" }).Items)
            .IsEquivalentTo(fts.ListGoods(new GoodsQuery { Sort = "price_asc" }).Items, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Memory_answers_plain_keywords_alone_and_every_list_without_one()
    {
        using var store = Store();
        var (_, memory) = Services(store);
        foreach (var query in new GoodsQuery[]
                 {
                     new() { Keyword = "lamp desk" }, new() { Keyword = "LAMP", Sort = "newest", Page = 3 }, new(), new() { Keyword = "  " },
                     new() { CategoryId = "m-cat", MinPrice = 100, MaxPrice = 200, Sort = "price_desc" },
                 })
            await Assert.That(memory.ListGoodsFromMemory(query)).IsNotNull().Because(query.ToString());
        foreach (var query in new GoodsQuery[]
                 {
                     new() { Keyword = "café" }, new() { Keyword = "lamp", Sort = "price_asc" }, new() { Keyword = "lamp", CategoryId = "m-cat" },
                     new() { Keyword = "lamp", MinPrice = 1 }, new() { Keyword = "lamp", MaxPrice = 1_000 },
                 })
            await Assert.That(memory.ListGoodsFromMemory(query)).IsNull().Because(query.ToString());
        // Not yet read, or of another catalog version: the store is asked.
        await Assert.That(new CatalogService(store.Get<Db>()).ListGoodsFromMemory(new GoodsQuery())).IsNull();
        store.Get<ICatalogWriter>().UpsertGoods([Goods("m-new", "Brand New Lamp")]);
        await Assert.That(memory.ListGoodsFromMemory(new GoodsQuery { Keyword = "lamp" })).IsNull();
    }
}

/// <summary>What a service logged: one "Level: message" line per entry.</summary>
internal sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger<CatalogService>
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
