using System.Text.Json;

namespace HiShopping.Store.Catalog;

/// <summary>
/// Reads one record of the catalog file format (docs/catalog-format.md) into a category or goods record,
/// or says why it cannot. The same shape is what <see cref="CatalogExporter"/> writes.
/// </summary>
public static class CatalogRecords
{
    public const int MaxSkus = 100;

    public static (CategoryRecord? Category, GoodsRecord? Goods, string? Error) Read(JsonElement e)
    {
        try
        {
            return ReadRecord(e);
        }
        catch (InvalidOperationException)
        {
            // JSON may escape half of a surrogate pair ("\ud800"); such a string is no text at all.
            return (null, null, "a string in the record is not valid Unicode (a lone surrogate escape)");
        }
    }

    private static (CategoryRecord? Category, GoodsRecord? Goods, string? Error) ReadRecord(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return (null, null, "a record must be a JSON object");
        var type = Str(e, "type");
        type ??= e.TryGetProperty("goods_id", out _) ? "goods" : e.TryGetProperty("category_id", out _) ? "category" : null;
        return type switch
        {
            "category" => ReadCategory(e),
            "goods" => ReadGoods(e),
            null => (null, null, "the record has no type, goods_id or category_id"),
            _ => (null, null, $"type must be \"category\" or \"goods\" (got \"{type}\")"),
        };
    }

    private static (CategoryRecord?, GoodsRecord?, string?) ReadCategory(JsonElement e)
    {
        var errors = new List<string>();
        var id = Id(e, "category_id", errors);
        var parent = e.TryGetProperty("parent_id", out var p) && p.ValueKind != JsonValueKind.Null ? Id(e, "parent_id", errors) : null;
        var name = Text(e, "name", 1, 200, errors);
        var sort = Int(e, "sort_order", 0, int.MaxValue, errors) ?? 0;
        if (id is not null && id == parent) errors.Add("parent_id must differ from category_id");
        return errors.Count > 0
            ? (null, null, string.Join("; ", errors))
            : (new CategoryRecord { CategoryId = id!, ParentId = parent, Name = name!, SortOrder = (int)sort }, null, null);
    }

    private static (CategoryRecord?, GoodsRecord?, string?) ReadGoods(JsonElement e)
    {
        var errors = new List<string>();
        var id = Id(e, "goods_id", errors);
        var category = Id(e, "category_id", errors);
        var title = Text(e, "title", 1, 500, errors);
        var description = OptionalText(e, "description", 20_000, errors) ?? "";
        var thumb = OptionalText(e, "thumb_url", 1000, errors);
        var status = Status(e, errors);
        var images = new List<string>();
        if (e.TryGetProperty("images", out var imgs) && imgs.ValueKind != JsonValueKind.Null)
        {
            if (imgs.ValueKind != JsonValueKind.Array || imgs.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String) || imgs.GetArrayLength() > 50)
                errors.Add("images must be an array of at most 50 strings");
            else images.AddRange(imgs.EnumerateArray().Select(i => i.GetString()!));
        }
        var attributes = StringMap(e, "attributes", errors);

        var skus = new List<SkuRecord>();
        if (!e.TryGetProperty("skus", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            errors.Add("skus must be a non-empty array");
        else if (list.GetArrayLength() > MaxSkus)
            errors.Add($"skus holds at most {MaxSkus} entries");
        else
        {
            var i = 0;
            foreach (var s in list.EnumerateArray())
            {
                var at = $"skus[{i++}]";
                if (s.ValueKind != JsonValueKind.Object) { errors.Add($"{at} must be an object"); continue; }
                var skuErrors = new List<string>();
                var skuId = Id(s, "sku_id", skuErrors);
                var price = Price(s, skuErrors);
                var stock = Int(s, "stock", 0, 10_000_000, skuErrors) ?? 0;
                var image = OptionalText(s, "image", 1000, skuErrors);
                var skuStatus = Status(s, skuErrors);
                var spec = StringMap(s, "spec", skuErrors);
                errors.AddRange(skuErrors.Select(m => $"{at}.{m}"));
                if (skuErrors.Count == 0)
                    skus.Add(new SkuRecord { SkuId = skuId!, Spec = spec, Price = price!.Value, Stock = stock, Image = image, Status = skuStatus });
            }
            var dup = skus.GroupBy(s => s.SkuId).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) errors.Add($"sku_id {dup.Key} appears twice");
        }

        return errors.Count > 0
            ? (null, null, string.Join("; ", errors))
            : (null, new GoodsRecord
            {
                GoodsId = id!, CategoryId = category!, Title = title!, Description = description, ThumbUrl = thumb,
                Images = images, Attributes = attributes, Status = status, Skus = skus,
            }, null);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Id(JsonElement e, string name, List<string> errors)
    {
        var value = Str(e, name);
        if (value is null || !Rules.Id().IsMatch(value))
        {
            errors.Add($"{name} must be 1–64 of A-Z a-z 0-9 _ - .");
            return null;
        }
        return value;
    }

    private static string? Text(JsonElement e, string name, int min, int max, List<string> errors)
    {
        var value = Str(e, name);
        if (value is null || value.Trim().Length < min || value.Length > max)
        {
            errors.Add($"{name} must be a string of {min}–{max} characters");
            return null;
        }
        return value;
    }

    private static string? OptionalText(JsonElement e, string name, int max, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String || v.GetString()!.Length > max)
        {
            errors.Add($"{name} must be a string of at most {max} characters");
            return null;
        }
        return v.GetString();
    }

    private static long? Int(JsonElement e, string name, long min, long max, List<string> errors)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max) return n;
        errors.Add($"{name} must be a whole number from {min} to {max}");
        return null;
    }

    private static long? Price(JsonElement e, List<string> errors)
    {
        if (e.TryGetProperty("price", out var v))
        {
            var text = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            };
            if (Money.TryParse(text, out var minor) && minor <= Money.MaxAmount) return minor;
        }
        errors.Add("price must be an amount like \"12.50\" (at most two decimals, not negative)");
        return null;
    }

    private static string Status(JsonElement e, List<string> errors)
    {
        var status = Str(e, "status") ?? "active";
        if (status is "active" or "inactive") return status;
        errors.Add("status must be \"active\" or \"inactive\"");
        return status;
    }

    private static Dictionary<string, string> StringMap(JsonElement e, string name, List<string> errors)
    {
        var map = new Dictionary<string, string>();
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return map;
        if (v.ValueKind != JsonValueKind.Object || v.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            errors.Add($"{name} must be an object of strings");
            return map;
        }
        foreach (var p in v.EnumerateObject()) map[p.Name] = p.Value.GetString()!;
        return map;
    }

}
