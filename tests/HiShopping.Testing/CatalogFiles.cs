using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HiShopping.Testing;

/// <summary>Writes catalog files for import tests: many goods, with known bad records at known lines.</summary>
public static class CatalogFiles
{
    public sealed record Generated(string Path, int GoodGoods, int GoodSkus, IReadOnlyDictionary<int, string> BadLines);

    public static Generated JsonLines(string path, int goods, int skusPerGoods, int badEvery, string idPrefix = "imp")
    {
        var bad = new Dictionary<int, string>();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var line = 0;
        void Write(string text) { writer.Write(text); writer.Write('\n'); line++; }

        Write(JsonSerializer.Serialize(new { type = "category", category_id = $"{idPrefix}-top", parent_id = (string?)null, name = "Imported", sort_order = 0 }));
        for (var c = 0; c < 9; c++)
            Write(JsonSerializer.Serialize(new { type = "category", category_id = $"{idPrefix}-cat-{c}", parent_id = $"{idPrefix}-top", name = $"Imported {c}", sort_order = c + 1 }));

        var goodGoods = 0;
        for (var g = 0; g < goods; g++)
        {
            var skus = Enumerable.Range(0, skusPerGoods).Select(s => new Dictionary<string, object?>
            {
                ["sku_id"] = $"{idPrefix}-sku-{g}-{s}", ["spec"] = new Dictionary<string, string> { ["Size"] = $"S{s}" },
                ["price"] = ((g % 500 + 1) * 100 + s).ToString(CultureInfo.InvariantCulture)[..^2] + "." + ((g + s) % 100).ToString("D2", CultureInfo.InvariantCulture),
                ["stock"] = (g + s) % 50, ["image"] = null, ["status"] = "active",
            }).ToList();
            var record = new Dictionary<string, object?>
            {
                ["type"] = "goods", ["goods_id"] = $"{idPrefix}-gd-{g}", ["category_id"] = $"{idPrefix}-cat-{g % 9}",
                ["title"] = $"Imported goods number {g}", ["description"] = "From the test file.", ["thumb_url"] = null,
                ["images"] = new[] { $"https://img.example/{g}.jpg" }, ["attributes"] = new Dictionary<string, string> { ["Brand"] = "Test" },
                ["status"] = "active", ["skus"] = skus,
            };
            if (badEvery > 0 && g % badEvery == badEvery - 1)
            {
                var kind = g / badEvery % 5;
                switch (kind)
                {
                    case 0: record.Remove("title"); bad[line + 1] = "title"; break;
                    case 1: skus[0]["price"] = "12.345"; bad[line + 1] = "price"; break;
                    case 2: record["category_id"] = "no-such-category"; bad[line + 1] = "category_id"; break;
                    case 3: Write("{\"type\": \"goods\", \"goods_id\": "); bad[line] = "not valid JSON"; continue;
                    default: skus[0]["sku_id"] = $"{idPrefix}-sku-0-1"; bad[line + 1] = "belongs to goods"; break;
                }
                Write(JsonSerializer.Serialize(record));
                continue;
            }
            Write(JsonSerializer.Serialize(record));
            goodGoods++;
        }
        return new Generated(path, goodGoods, goodGoods * skusPerGoods, bad);
    }
}
