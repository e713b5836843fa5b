using System.Text.Json;
using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Catalog;

public sealed record ExportResult(long Categories, long Goods, long Skus);

/// <summary>
/// Writes the whole catalog as JSON Lines in the import format: categories parents-first, then goods by id with
/// their SKUs in order, inactive ones included. The output depends only on the catalog, so export → import →
/// export gives the same bytes.
/// </summary>
public interface ICatalogExporter
{
    ExportResult Export(Stream output);
}

public sealed class CatalogExporter(Db db) : ICatalogExporter
{
    public ExportResult Export(Stream output)
    {
        using var c = db.Open();
        using var snapshot = c.BeginSnapshot();
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long categories = 0, goodsCount = 0, skuCount = 0;

        const string CategorySql = """
            WITH RECURSIVE tree(category_id, depth) AS (
                SELECT category_id, 0 FROM categories WHERE parent_id IS NULL
                UNION ALL SELECT c.category_id, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.category_id)
            SELECT c.category_id AS CategoryId, c.parent_id AS ParentId, c.name AS Name, c.sort_order AS SortOrder
            FROM categories c JOIN tree t ON t.category_id = c.category_id
            ORDER BY t.depth, c.sort_order, c.category_id
            """;
        foreach (var category in c.Query<CategoryRow>(CategorySql, transaction: snapshot, buffered: false))
        {
            json.WriteStartObject();
            json.WriteString("type", "category");
            json.WriteString("category_id", category.CategoryId);
            if (category.ParentId is null) json.WriteNull("parent_id"); else json.WriteString("parent_id", category.ParentId);
            json.WriteString("name", category.Name);
            json.WriteNumber("sort_order", category.SortOrder);
            json.WriteEndObject();
            EndLine(json, output);
            categories++;
        }

        const string GoodsSql = """
            SELECT g.goods_id AS GoodsId, g.category_id AS CategoryId, g.title AS Title, g.description AS Description,
                   g.thumb_url AS ThumbUrl, g.images AS Images, g.attributes AS Attributes, g.status AS Status,
                   s.sku_id AS SkuId, s.spec AS Spec, s.price AS Price, s.stock AS Stock, s.image AS Image, s.status AS SkuStatus
            FROM goods g LEFT JOIN skus s ON s.goods_id = g.goods_id
            ORDER BY g.goods_id, s.sort_order, s.sku_id
            """;
        string? open = null;
        foreach (var row in c.Query<GoodsSkuRow>(GoodsSql, transaction: snapshot, buffered: false))
        {
            if (row.GoodsId != open)
            {
                if (open is not null) { json.WriteEndArray(); json.WriteEndObject(); EndLine(json, output); }
                open = row.GoodsId;
                goodsCount++;
                json.WriteStartObject();
                json.WriteString("type", "goods");
                json.WriteString("goods_id", row.GoodsId);
                json.WriteString("category_id", row.CategoryId);
                json.WriteString("title", row.Title);
                json.WriteString("description", row.Description);
                if (row.ThumbUrl is null) json.WriteNull("thumb_url"); else json.WriteString("thumb_url", row.ThumbUrl);
                json.WritePropertyName("images");
                json.WriteRawValue(row.Images);
                json.WritePropertyName("attributes");
                json.WriteRawValue(row.Attributes);
                json.WriteString("status", row.Status);
                json.WriteStartArray("skus");
            }
            if (row.SkuId is null) continue;
            skuCount++;
            json.WriteStartObject();
            json.WriteString("sku_id", row.SkuId);
            json.WritePropertyName("spec");
            json.WriteRawValue(row.Spec!);
            json.WriteString("price", Money.Format(row.Price));
            json.WriteNumber("stock", row.Stock);
            if (row.Image is null) json.WriteNull("image"); else json.WriteString("image", row.Image);
            json.WriteString("status", row.SkuStatus);
            json.WriteEndObject();
        }
        if (open is not null) { json.WriteEndArray(); json.WriteEndObject(); EndLine(json, output); }
        json.Flush();
        output.Flush();
        return new ExportResult(categories, goodsCount, skuCount);
    }

    private static void EndLine(Utf8JsonWriter json, Stream output)
    {
        json.Flush();
        output.WriteByte((byte)'\n');
        json.Reset();
    }

    private sealed record CategoryRow
    {
        public required string CategoryId { get; init; }
        public string? ParentId { get; init; }
        public required string Name { get; init; }
        public long SortOrder { get; init; }
    }

    private sealed record GoodsSkuRow
    {
        public required string GoodsId { get; init; }
        public required string CategoryId { get; init; }
        public required string Title { get; init; }
        public required string Description { get; init; }
        public string? ThumbUrl { get; init; }
        public required string Images { get; init; }
        public required string Attributes { get; init; }
        public required string Status { get; init; }
        public string? SkuId { get; init; }
        public string? Spec { get; init; }
        public long Price { get; init; }
        public long Stock { get; init; }
        public string? Image { get; init; }
        public string? SkuStatus { get; init; }
    }
}
