using System.Data;
using System.Text;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Catalog;

/// <summary>Reads of the goods catalog: the tree of categories, goods lists and details with SKUs.</summary>
public interface ICatalogService
{
    PageOf<GoodsSummary> ListGoods(GoodsQuery query);
    IReadOnlyList<CategoryNode> Categories();
    GoodsDetail? GetGoods(string goodsId);
    CatalogStats Stats();

    /// <summary>A number that changes whenever the catalog is written; caches key on it.</summary>
    long Version();

    /// <summary>The stock of the goods' SKUs on sale now, read fresh (orders move it without touching the catalog's version).</summary>
    IReadOnlyDictionary<string, long> SkuStock(string goodsId);

    /// <summary>Which of these goods have stock now, read fresh.</summary>
    IReadOnlySet<string> InStock(IReadOnlyCollection<string> goodsIds);
}

public sealed class CatalogService(Db db) : ICatalogService
{
    public PageOf<GoodsSummary> ListGoods(GoodsQuery query)
    {
        Check(query);
        var from = new StringBuilder("FROM goods g");
        var where = new StringBuilder("WHERE g.status = 'active'");
        var args = new DynamicParameters();
        var sort = query.EffectiveSort;
        if (!string.IsNullOrWhiteSpace(query.Keyword))
        {
            // Every word of the keyword, as a word or the start of one, in any order (FTS5 over the titles).
            if (Search.Match(query.Keyword) is not { } match) return new PageOf<GoodsSummary>([], query.Page, query.PageSize, 0);
            from.Append(" JOIN goods_fts f ON f.rowid = g.rowid");
            where.Append(" AND goods_fts MATCH @match");
            args.Add("match", match);
        }
        if (!string.IsNullOrEmpty(query.CategoryId))
        {
            where.Append(" AND g.category_id IN (SELECT category_id FROM subtree)");
            args.Add("categoryId", query.CategoryId);
        }
        if (query.MinPrice is { } min) { where.Append(" AND g.max_price >= @minPrice"); args.Add("minPrice", min); }
        if (query.MaxPrice is { } max) { where.Append(" AND g.min_price <= @maxPrice"); args.Add("maxPrice", max); }
        var order = sort switch
        {
            "price_asc" => "g.min_price ASC, g.goods_id ASC",
            "price_desc" => "g.max_price DESC, g.goods_id ASC",
            "relevance" => "f.rank, g.created_at DESC, g.goods_id DESC",
            _ => "g.created_at DESC, g.goods_id DESC",
        };
        var with = string.IsNullOrEmpty(query.CategoryId) ? "" : """
            WITH RECURSIVE subtree(category_id) AS (
                SELECT category_id FROM categories WHERE category_id = @categoryId
                UNION ALL SELECT c.category_id FROM categories c JOIN subtree s ON c.parent_id = s.category_id)
            """;
        args.Add("limit", query.PageSize);
        args.Add("offset", query.Offset);

        using var c = db.Open();
        var total = c.ExecuteScalar<long>($"{with} SELECT COUNT(*) {from} {where}", args);
        var sql = $"""
            {with}
            SELECT g.goods_id AS GoodsId, g.title AS Title, g.category_id AS CategoryId, g.thumb_url AS ThumbUrl,
                   g.min_price AS MinPrice, g.max_price AS MaxPrice, g.sku_count AS SkuCount, g.total_stock > 0 AS InStock
            {from} {where}
            ORDER BY {order}
            LIMIT @limit OFFSET @offset
            """;
        var items = c.Query<GoodsSummary>(sql, args).AsList();
        return new PageOf<GoodsSummary>(items, query.Page, query.PageSize, total);
    }

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
        const string PathSql = """
            WITH RECURSIVE up(category_id, parent_id, name, depth) AS (
                SELECT category_id, parent_id, name, 0 FROM categories WHERE category_id = @categoryId
                UNION ALL SELECT c.category_id, c.parent_id, c.name, up.depth + 1 FROM categories c JOIN up ON c.category_id = up.parent_id)
            SELECT category_id, name FROM up ORDER BY depth DESC
            """;
        using var c = db.Open();
        var row = c.QuerySingleOrDefault<GoodsRow>(GoodsSql, new { goodsId });
        if (row is null) return null;
        var skus = c.Query<Sku>(SkuSql, new { goodsId }).AsList();
        var path = c.Query<(string, string)>(PathSql, new { categoryId = row.CategoryId }).Select(p => new CategoryRef(p.Item1, p.Item2)).ToList();
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

    public long Version()
    {
        using var c = db.Open();
        return c.ExecuteScalar<long?>("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'catalog_version'") ?? 0;
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
        const string Sql = "SELECT goods_id FROM goods WHERE goods_id IN (SELECT value FROM json_each(@ids)) AND total_stock > 0";
        return c.Query<string>(Sql, new { ids = JsonSerializer.Serialize(goodsIds) }).ToHashSet(StringComparer.Ordinal);
    }

    internal static void BumpVersion(IDbConnection c, IDbTransaction t) =>
        c.Execute("""
            INSERT INTO meta (key, value) VALUES ('catalog_version', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
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
