using System.Data;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;
using Microsoft.Extensions.Logging;

namespace HiShopping.Store.Catalog;

/// <summary>Reads of the goods catalog: the tree of categories, goods lists and details with SKUs.</summary>
public interface ICatalogService
{
    PageOf<GoodsSummary> ListGoods(GoodsQuery query);

    /// <summary>
    /// The page from the goods held in memory, when they are of the catalog's version now and can answer this query
    /// (SQLite: see docs/operations.md "Search and goods lists in memory"); null when the store must be asked. Such a
    /// page costs about what a cache lookup does: caches need not keep it.
    /// </summary>
    PageOf<GoodsSummary>? ListGoodsFromMemory(GoodsQuery query);

    /// <summary>The page as the store answers it, never from memory: what a cache keeps on a miss.</summary>
    PageOf<GoodsSummary> ListGoodsFromStore(GoodsQuery query);
    IReadOnlyList<CategoryNode> Categories();
    GoodsDetail? GetGoods(string goodsId);
    CatalogStats Stats();

    /// <summary>A number that changes whenever the catalog is written; caches key on it.</summary>
    long Version();

    /// <summary>The stock of the goods' SKUs on sale now, read fresh (orders move it without touching the catalog's version).</summary>
    IReadOnlyDictionary<string, long> SkuStock(string goodsId);

    /// <summary>Which of these goods have stock now, read fresh.</summary>
    IReadOnlySet<string> InStock(IReadOnlyCollection<string> goodsIds);

    /// <summary>
    /// Starts reading the goods on sale into memory for searches and lists, in the background (SQLite; nothing elsewhere).
    /// </summary>
    void PrepareSearch();
}

public sealed class CatalogService(Db db, ILogger<CatalogService>? log = null) : ICatalogService
{
    /// <summary>A keyword matching more goods than this lists them newest first rather than by relevance.</summary>
    public const int RankLimit = 2_000;

    /// <summary>
    /// The goods on sale held in memory for keyword-only searches and lists without a keyword (see
    /// <see cref="Catalog.GoodsInMemory"/>); null on PostgreSQL, or when a test turns it off to compare with the store.
    /// </summary>
    internal GoodsInMemory? GoodsInMemory { get; init; } = db.Dialect.IsPostgres ? null : new GoodsInMemory(log);

    public PageOf<GoodsSummary> ListGoods(GoodsQuery query) => ListGoodsFromMemory(query) ?? ListGoodsFromStore(query);

    public PageOf<GoodsSummary> ListGoodsFromStore(GoodsQuery query)
    {
        Check(query);
        var sort = query.EffectiveSort;
        var args = new DynamicParameters();
        args.Add("limit", query.PageSize);
        args.Add("offset", query.Offset);
        args.Add("cap", Rules.CountCap + 1);
        var filters = new StringBuilder();
        if (query.MinPrice is { } min) { filters.Append(" AND g.max_price >= @minPrice"); args.Add("minPrice", min); }
        if (query.MaxPrice is { } max) { filters.Append(" AND g.min_price <= @maxPrice"); args.Add("maxPrice", max); }
        var with = "";
        bool? large = null;
        if (!string.IsNullOrEmpty(query.CategoryId))
        {
            // UNION, not UNION ALL: a loop of parents (an import can make one) ends instead of running forever.
            with = """
                WITH RECURSIVE subtree(category_id) AS (
                    SELECT category_id FROM categories WHERE category_id = @categoryId
                    UNION SELECT c.category_id FROM categories c JOIN subtree s ON c.parent_id = s.category_id)
                """;
            args.Add("categoryId", query.CategoryId);
            // A top-level category holds a large share of the catalog: walk the goods in the page's order and keep
            // those in the subtree ("+" keeps the planner off the per-category index); a deeper one is read category
            // by category and sorted.
            // (SQLite only: PostgreSQL's planner weighs the subtree itself.)
            if (!db.Dialect.IsPostgres)
            {
                using var probe = db.Open();
                large = probe.ExecuteScalar<long>("SELECT COUNT(*) FROM categories WHERE category_id = @categoryId AND parent_id IS NULL", args) > 0;
            }
            filters.Append(large == true ? " AND +g.category_id IN (SELECT category_id FROM subtree)" : " AND g.category_id IN (SELECT category_id FROM subtree)");
        }

        string countSql, pageSql;
        if (!string.IsNullOrWhiteSpace(query.Keyword) && db.Dialect.IsPostgres)
        {
            // PostgreSQL: the goods' tsvector (kept by a trigger, GIN-indexed) against every word as a prefix.
            if (Search.TsQuery(query.Keyword) is not { } match) return new PageOf<GoodsSummary>([], query.Page, query.PageSize, 0);
            args.Add("match", match);
            var order = sort switch
            {
                "price_asc" or "price_desc" => PriceOrder(sort),
                "relevance" => "ts_rank(g.search, to_tsquery('simple', @match)) DESC, g.created_at DESC, g.goods_id DESC",
                _ => "g.created_at DESC, g.goods_id DESC",
            };
            const string Matches = "g.search @@ to_tsquery('simple', @match)";
            countSql = $"{with} SELECT COUNT(*) FROM (SELECT 1 FROM goods g WHERE {Matches} {filters} LIMIT @cap) AS m";
            pageSql = $"{with} SELECT {SummaryColumns} FROM goods g WHERE {Matches} {filters} ORDER BY {order} LIMIT @limit OFFSET @offset";
        }
        else if (!string.IsNullOrWhiteSpace(query.Keyword))
        {
            // Every word of the keyword, as a word or the start of one, in any order (FTS5 over the titles on sale).
            if (Search.Match(query.Keyword) is not { } match) return new PageOf<GoodsSummary>([], query.Page, query.PageSize, 0);
            args.Add("match", match);
            var order = sort switch
            {
                "price_asc" or "price_desc" => PriceOrder(sort),
                "relevance" => "f.rank, f.rowid DESC",
                _ => "f.rowid DESC", // newest: goods are numbered in the order they were added
            };
            if (filters.Length == 0)
            {
                using var search = db.Open();
                // The FTS5 index alone answers: count the matches, pick the page, then read those 20 goods.
                countSql = "SELECT COUNT(*) FROM (SELECT 1 FROM goods_fts WHERE goods_fts MATCH @match LIMIT @cap) AS m";
                var matches = search.ExecuteScalar<long>(countSql, args);
                // Ranking reads every match's positions: past RankLimit matches (words as common as "black") the list
                // is newest first instead, at the cost of the page alone.
                if (sort == "relevance" && matches > RankLimit) { sort = "newest"; order = "f.rowid DESC"; }
                var found = matches == 0 ? [] : search.Query<GoodsSummary>(sort is "relevance" or "newest"
                    ? $"""
                      SELECT {SummaryColumns} FROM (SELECT rowid, rank FROM goods_fts WHERE goods_fts MATCH @match ORDER BY {order.Replace("f.", "")} LIMIT @limit OFFSET @offset) f
                      JOIN goods g ON g.rowid = f.rowid ORDER BY {order}
                      """
                    : $"SELECT {SummaryColumns} FROM goods_fts f JOIN goods g ON g.rowid = f.rowid WHERE goods_fts MATCH @match ORDER BY {order} LIMIT @limit OFFSET @offset", args).AsList();
                return new PageOf<GoodsSummary>(found, query.Page, query.PageSize, Math.Min(matches, Rules.CountCap)) { TotalIsEstimate = matches > Rules.CountCap };
            }
            else
            {
                countSql = $"{with} SELECT COUNT(*) FROM (SELECT 1 FROM goods_fts f JOIN goods g ON g.rowid = f.rowid WHERE goods_fts MATCH @match {filters} LIMIT @cap) AS m";
                pageSql = $"{with} SELECT {SummaryColumns} FROM goods_fts f JOIN goods g ON g.rowid = f.rowid WHERE goods_fts MATCH @match {filters} ORDER BY {order} LIMIT @limit OFFSET @offset";
            }
        }
        else
        {
            var order = sort switch
            {
                "price_asc" or "price_desc" => PriceOrder(sort),
                _ => "g.created_at DESC, g.goods_id DESC",
            };
            // A deeper category is read through its own index (in the page's order where it can be), never by walking
            // the whole catalog in price order for the few goods it holds.
            var (countFrom, pageFrom) = large == false
                ? ("goods g INDEXED BY ix_goods_category_price", sort == "newest" ? "goods g INDEXED BY ix_goods_category_created" : "goods g INDEXED BY ix_goods_category_price")
                : ("goods g", "goods g");
            countSql = $"{with} SELECT COUNT(*) FROM (SELECT 1 FROM {countFrom} WHERE g.status = 'active' {filters} LIMIT @cap) AS m";
            pageSql = $"{with} SELECT {SummaryColumns} FROM {pageFrom} WHERE g.status = 'active' {filters} ORDER BY {order} LIMIT @limit OFFSET @offset";
        }

        using var c = db.Open();
        var total = c.ExecuteScalar<long>(countSql, args);
        var items = c.Query<GoodsSummary>(pageSql, args).AsList();
        return new PageOf<GoodsSummary>(items, query.Page, query.PageSize, Math.Min(total, Rules.CountCap)) { TotalIsEstimate = total > Rules.CountCap };
    }

    public PageOf<GoodsSummary>? ListGoodsFromMemory(GoodsQuery query)
    {
        Check(query);
        if (GoodsInMemory is not { } memory) return null;
        // A keyword: plain ASCII words alone, ranked or newest first. Without one: any category, price range and sort.
        IReadOnlyList<string>? terms = null;
        var sort = query.EffectiveSort;
        if (!string.IsNullOrWhiteSpace(query.Keyword)
            && (query.MinPrice is not null || query.MaxPrice is not null || !string.IsNullOrEmpty(query.CategoryId)
                || sort is not ("relevance" or "newest") || (terms = Search.AsciiTerms(query.Keyword)) is null))
            return null;
        if (terms is null && memory.IndexOnly) return null;
        using var c = db.Open();
        var version = c.ExecuteScalar<long?>(VersionSql) ?? 0;
        var page = terms is null ? memory.List(version, query) : Found(c, memory.Find(version, terms, sort == "relevance", query.Offset, query.PageSize));
        if (page is null) memory.Refresh(version, db.Open);
        return page;

        PageOf<GoodsSummary>? Found(IDbConnection c, GoodsInMemory.Found? hit)
        {
            if (hit is null) return null;
            // Without the goods in memory: those goods by rowid, in the page's order (CROSS JOIN keeps the rowids
            // outside; given the status, SQLite would walk every goods on sale instead). One taken off sale since that
            // version is left out.
            var goods = hit.Items ?? (hit.Rowids.Count == 0 ? [] : c.Query<GoodsSummary>(
                $"SELECT {SummaryColumns} FROM json_each(@rowids) AS j CROSS JOIN goods g ON g.rowid = j.value WHERE g.status = 'active' ORDER BY j.key",
                new { rowids = JsonSerializer.Serialize(hit.Rowids) }).AsList());
            return new PageOf<GoodsSummary>(goods, query.Page, query.PageSize, Math.Min(hit.Matches, Rules.CountCap)) { TotalIsEstimate = hit.Matches > Rules.CountCap };
        }
    }

    /// <summary>The order of a price sort, the same with a keyword or without, on either database.</summary>
    private static string PriceOrder(string sort) =>
        sort == "price_asc" ? "g.min_price ASC, g.goods_id ASC" : "g.max_price DESC, g.goods_id ASC";

    public IReadOnlyList<CategoryNode> Categories()
    {
        const string Sql = """
            SELECT c.category_id AS CategoryId, c.parent_id AS ParentId, c.name AS Name, c.sort_order AS SortOrder,
                   (SELECT COUNT(*) FROM goods g WHERE g.category_id = c.category_id AND g.status = 'active') AS DirectCount
            FROM categories c ORDER BY c.sort_order, c.category_id
            """;
        using var c = db.Open();
        var rows = c.Query<CategoryRow>(Sql).AsList();
        var byParent = rows.ToLookup(r => r.ParentId ?? "");
        CategoryNode Build(CategoryRow row)
        {
            var children = byParent[row.CategoryId].Select(Build).ToList();
            return new CategoryNode
            {
                CategoryId = row.CategoryId, Name = row.Name, ParentId = row.ParentId,
                GoodsCount = row.DirectCount + children.Sum(ch => ch.GoodsCount), Children = children,
            };
        }
        return byParent[""].Select(Build).ToList();
    }

    public GoodsDetail? GetGoods(string goodsId)
    {
        const string GoodsSql = """
            SELECT goods_id AS GoodsId, title AS Title, description AS Description, category_id AS CategoryId,
                   thumb_url AS ThumbUrl, images AS ImagesJson, attributes AS AttributesJson, status AS Status,
                   min_price AS MinPrice, max_price AS MaxPrice, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM goods WHERE goods_id = @goodsId AND status = 'active'
            """;
        const string SkuSql = """
            SELECT sku_id AS SkuId, goods_id AS GoodsId, spec AS SpecJson, price AS Price, stock AS Stock, image AS Image, status AS Status
            FROM skus WHERE goods_id = @goodsId AND status = 'active' ORDER BY sort_order, sku_id
            """;
        const string CategorySql = "SELECT category_id, parent_id, name FROM categories WHERE category_id = @id";
        using var c = db.Open();
        var row = c.QuerySingleOrDefault<GoodsRow>(GoodsSql, new { goodsId });
        if (row is null) return null;
        var skus = c.Query<Sku>(SkuSql, new { goodsId }).AsList();
        // From the goods' category up to its root, one category at a time; a loop of parents ends at the first repeat.
        var path = new List<CategoryRef>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = row.CategoryId; id is not null && seen.Add(id);)
        {
            var (categoryId, parentId, name) = c.QuerySingleOrDefault<(string?, string?, string?)>(CategorySql, new { id });
            if (categoryId is null) break;
            path.Insert(0, new CategoryRef(categoryId, name!));
            id = parentId;
        }
        return new GoodsDetail
        {
            GoodsId = row.GoodsId, Title = row.Title, Description = row.Description, CategoryId = row.CategoryId,
            CategoryPath = path, ThumbUrl = row.ThumbUrl, ImagesJson = row.ImagesJson, AttributesJson = row.AttributesJson,
            Status = row.Status, Skus = skus, MinPrice = row.MinPrice, MaxPrice = row.MaxPrice,
            CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt,
        };
    }

    public CatalogStats Stats()
    {
        const string Sql = """
            SELECT (SELECT COUNT(*) FROM categories) AS Categories,
                   (SELECT COUNT(*) FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.category_id)) AS LeafCategories,
                   (SELECT COUNT(*) FROM goods) AS Goods,
                   (SELECT COUNT(*) FROM goods WHERE status = 'active') AS ActiveGoods,
                   (SELECT COUNT(*) FROM skus) AS Skus,
                   (SELECT COUNT(*) FROM skus WHERE stock > 0 AND status = 'active') AS SkusInStock,
                   (SELECT MAX(updated_at) FROM goods) AS LastUpdatedAt
            """;
        using var c = db.Open();
        return c.QuerySingle<CatalogStats>(Sql);
    }

    /// <summary>The columns of a <see cref="GoodsSummary"/> from <c>goods g</c>.</summary>
    internal const string SummaryColumns = """
        g.goods_id AS GoodsId, g.title AS Title, g.category_id AS CategoryId, g.thumb_url AS ThumbUrl,
        g.min_price AS MinPrice, g.max_price AS MaxPrice, g.sku_count AS SkuCount, g.total_stock > 0 AS InStock
        """;

    internal const string VersionSql = "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'catalog_version'";

    public long Version()
    {
        using var c = db.Open();
        return c.ExecuteScalar<long?>(VersionSql) ?? 0;
    }

    public void PrepareSearch()
    {
        if (GoodsInMemory is { } memory) memory.Refresh(Version(), db.Open);
    }

    public IReadOnlyDictionary<string, long> SkuStock(string goodsId)
    {
        using var c = db.Open();
        return c.Query<(string SkuId, long Stock)>("SELECT sku_id, stock FROM skus WHERE goods_id = @goodsId AND status = 'active'", new { goodsId })
            .ToDictionary(r => r.SkuId, r => r.Stock, StringComparer.Ordinal);
    }

    public IReadOnlySet<string> InStock(IReadOnlyCollection<string> goodsIds)
    {
        if (goodsIds.Count == 0) return new HashSet<string>();
        using var c = db.Open();
        var sql = $"SELECT goods_id FROM goods WHERE goods_id IN ({db.Dialect.JsonTexts("@ids")}) AND total_stock > 0";
        return c.Query<string>(sql, new { ids = JsonSerializer.Serialize(goodsIds) }).ToHashSet(StringComparer.Ordinal);
    }

    internal static void BumpVersion(IDbConnection c, IDbTransaction t) =>
        c.Execute("""
            INSERT INTO meta (key, value) VALUES ('catalog_version', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)
            """, transaction: t);

    /// <summary>The rules of a goods query; the cache runs them too, so a bad query is refused before any lookup.</summary>
    internal static void Check(GoodsQuery query) => Validation.Check(v =>
    {
        query.CheckPaging(v);
        v.Length("keyword", query.Keyword, Rules.KeywordMax).Length("category_id", query.CategoryId, 64);
        if (query.Sort is not null && !GoodsQuery.Sorts.Contains(query.Sort)) v.Add("sort", $"sort must be one of: {string.Join(", ", GoodsQuery.Sorts)}.");
        if (query.MinPrice < 0) v.Add("min_price", "min_price must not be negative.");
        if (query.MaxPrice < 0) v.Add("max_price", "max_price must not be negative.");
        if (query.MinPrice > query.MaxPrice) v.Add("min_price", "min_price must not exceed max_price.");
    });

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private sealed record CategoryRow
    {
        public required string CategoryId { get; init; }
        public string? ParentId { get; init; }
        public required string Name { get; init; }
        public long SortOrder { get; init; }
        public long DirectCount { get; init; }
    }

    private sealed record GoodsRow
    {
        public required string GoodsId { get; init; }
        public required string Title { get; init; }
        public required string Description { get; init; }
        public required string CategoryId { get; init; }
        public string? ThumbUrl { get; init; }
        public required string ImagesJson { get; init; }
        public required string AttributesJson { get; init; }
        public required string Status { get; init; }
        public long MinPrice { get; init; }
        public long MaxPrice { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
    }
}
