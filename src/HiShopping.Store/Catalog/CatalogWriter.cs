using System.Data.Common;
using System.Data;
using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Catalog;

public sealed record UpsertResult(int Inserted, int Updated, int Unchanged)
{
    public static UpsertResult operator +(UpsertResult a, UpsertResult b) =>
        new(a.Inserted + b.Inserted, a.Updated + b.Updated, a.Unchanged + b.Unchanged);

    public bool Changed => Inserted + Updated > 0;
}

/// <summary>Writes the catalog: upserts by id, touching <c>updated_at</c> only where something really changed.</summary>
public interface ICatalogWriter
{
    UpsertResult UpsertCategories(IReadOnlyList<CategoryRecord> categories);
    UpsertResult UpsertGoods(IReadOnlyList<GoodsRecord> goods);

    /// <summary>Every category in the store, by id, with its parent's id (null for a top category).</summary>
    Dictionary<string, string?> CategoryParents();

    /// <summary>The goods each of these SKUs belongs to now (SKUs not in the store are left out).</summary>
    Dictionary<string, string> SkuOwners(IEnumerable<string> skuIds);
}

public sealed class CatalogWriter(Db db, TimeProvider clock) : ICatalogWriter
{
    public UpsertResult UpsertCategories(IReadOnlyList<CategoryRecord> categories)
    {
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var result = new UpsertResult(0, 0, 0);
            foreach (var category in categories)
            {
                var existed = c.ExecuteScalar<long>("SELECT COUNT(*) FROM categories WHERE category_id = @CategoryId", category, t) > 0;
                const string Sql = """
                    INSERT INTO categories (category_id, parent_id, name, sort_order, updated_at)
                    VALUES (@CategoryId, @ParentId, @Name, @SortOrder, @now)
                    ON CONFLICT (category_id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,
                        sort_order = excluded.sort_order, updated_at = excluded.updated_at
                    WHERE categories.parent_id IS DISTINCT FROM excluded.parent_id OR categories.name IS DISTINCT FROM excluded.name OR categories.sort_order IS DISTINCT FROM excluded.sort_order
                    """;
                var rows = c.Execute(Sql, new { category.CategoryId, category.ParentId, category.Name, category.SortOrder, now }, t);
                result += !existed ? new(1, 0, 0) : rows > 0 ? new(0, 1, 0) : new(0, 0, 1);
            }
            if (result.Changed) CatalogService.BumpVersion(c, t);
            return result;
        });
    }

    public UpsertResult UpsertGoods(IReadOnlyList<GoodsRecord> goods)
    {
        var now = Times.Now(clock);
        return db.Write((c, t) =>
        {
            var statements = new GoodsStatements(c, t);
            var result = new UpsertResult(0, 0, 0);
            foreach (var g in goods)
                result += UpsertOne(statements, g, now);
            if (result.Changed) CatalogService.BumpVersion(c, t);
            return result;
        });
    }

    public Dictionary<string, string?> CategoryParents()
    {
        using var c = db.Open();
        return c.Query<(string Id, string? Parent)>("SELECT category_id, parent_id FROM categories")
            .ToDictionary(r => r.Id, r => r.Parent, StringComparer.Ordinal);
    }

    public Dictionary<string, string> SkuOwners(IEnumerable<string> skuIds)
    {
        using var c = db.Open();
        var sql = $"SELECT sku_id AS SkuId, goods_id AS GoodsId FROM skus WHERE sku_id IN ({db.Dialect.JsonTexts("@ids")})";
        return c.Query<(string SkuId, string GoodsId)>(sql, new { ids = JsonSerializer.Serialize(skuIds.Distinct()) })
            .ToDictionary(r => r.SkuId, r => r.GoodsId, StringComparer.Ordinal);
    }

    /// <summary>The statements of a goods upsert, prepared once per connection and run for every record.</summary>
    private sealed class GoodsStatements(DbConnection c, IDbTransaction t)
    {
        public Statement Exists { get; } = c.Cached(t, "SELECT 1 FROM goods WHERE goods_id = @goodsId");

        public Statement Goods { get; } = c.Cached(t, """
            INSERT INTO goods (goods_id, category_id, title, description, thumb_url, images, attributes, status,
                               min_price, max_price, sku_count, total_stock, created_at, updated_at)
            VALUES (@goodsId, @categoryId, @title, @description, @thumbUrl, @images, @attributes, @status,
                    @minPrice, @maxPrice, @skuCount, @totalStock, @now, @now)
            ON CONFLICT (goods_id) DO UPDATE SET category_id = excluded.category_id, title = excluded.title,
                description = excluded.description, thumb_url = excluded.thumb_url, images = excluded.images,
                attributes = excluded.attributes, status = excluded.status, min_price = excluded.min_price,
                max_price = excluded.max_price, sku_count = excluded.sku_count, total_stock = excluded.total_stock,
                updated_at = excluded.updated_at
            WHERE goods.category_id IS DISTINCT FROM excluded.category_id OR goods.title IS DISTINCT FROM excluded.title OR goods.description IS DISTINCT FROM excluded.description
               OR goods.thumb_url IS DISTINCT FROM excluded.thumb_url OR goods.images IS DISTINCT FROM excluded.images OR goods.attributes IS DISTINCT FROM excluded.attributes
               OR goods.status IS DISTINCT FROM excluded.status OR goods.min_price IS DISTINCT FROM excluded.min_price OR goods.max_price IS DISTINCT FROM excluded.max_price
               OR goods.sku_count IS DISTINCT FROM excluded.sku_count OR goods.total_stock IS DISTINCT FROM excluded.total_stock
            """);

        public Statement Sku { get; } = c.Cached(t, """
            INSERT INTO skus (sku_id, goods_id, spec, price, stock, image, status, sort_order, updated_at)
            VALUES (@skuId, @goodsId, @spec, @price, @stock, @image, @status, @sortOrder, @now)
            ON CONFLICT (sku_id) DO UPDATE SET goods_id = excluded.goods_id, spec = excluded.spec, price = excluded.price,
                stock = excluded.stock, image = excluded.image, status = excluded.status, sort_order = excluded.sort_order,
                updated_at = excluded.updated_at
            WHERE skus.goods_id IS DISTINCT FROM excluded.goods_id OR skus.spec IS DISTINCT FROM excluded.spec OR skus.price IS DISTINCT FROM excluded.price
               OR skus.stock IS DISTINCT FROM excluded.stock OR skus.image IS DISTINCT FROM excluded.image OR skus.status IS DISTINCT FROM excluded.status
               OR skus.sort_order IS DISTINCT FROM excluded.sort_order
            """);

        // SKUs the record no longer lists leave the shelf, but stay for the orders that name them.
        public Statement Retire { get; } = c.Cached(t, $"""
            UPDATE skus SET status = 'inactive', updated_at = @now
            WHERE goods_id = @goodsId AND status = 'active' AND sku_id NOT IN ({c.Dialect().JsonTexts("@ids")})
            """);

        public Statement Touch { get; } = c.Cached(t, "UPDATE goods SET updated_at = @now WHERE goods_id = @goodsId");

    }

    private static UpsertResult UpsertOne(GoodsStatements s, GoodsRecord g, long now)
    {
        var existed = s.Exists.With("@goodsId", g.GoodsId).Long() is not null;
        var active = g.Skus.Where(k => k.Status == "active").ToList();
        var goodsChanged = s.Goods
            .With("@goodsId", g.GoodsId).With("@categoryId", g.CategoryId).With("@title", g.Title).With("@description", g.Description)
            .With("@thumbUrl", g.ThumbUrl).With("@images", JsonSerializer.Serialize(g.Images)).With("@attributes", JsonSerializer.Serialize(g.Attributes))
            .With("@status", g.Status)
            .With("@minPrice", active.Count == 0 ? 0 : active.Min(k => k.Price))
            .With("@maxPrice", active.Count == 0 ? 0 : active.Max(k => k.Price))
            .With("@skuCount", active.Count).With("@totalStock", active.Sum(k => k.Stock)).With("@now", now)
            .ExecuteNonQuery() > 0;

        var skusChanged = false;
        var order = 0;
        foreach (var k in g.Skus)
        {
            skusChanged |= s.Sku
                .With("@skuId", k.SkuId).With("@goodsId", g.GoodsId).With("@spec", JsonSerializer.Serialize(k.Spec)).With("@price", k.Price)
                .With("@stock", k.Stock).With("@image", k.Image).With("@status", k.Status).With("@sortOrder", order++).With("@now", now)
                .ExecuteNonQuery() > 0;
        }
        skusChanged |= s.Retire.With("@now", now).With("@goodsId", g.GoodsId).With("@ids", JsonSerializer.Serialize(g.Skus.Select(k => k.SkuId))).ExecuteNonQuery() > 0;

        if (!existed) return new(1, 0, 0);
        if (skusChanged && !goodsChanged) s.Touch.With("@now", now).With("@goodsId", g.GoodsId).ExecuteNonQuery();
        return goodsChanged || skusChanged ? new(0, 1, 0) : new(0, 0, 1);
    }
}
