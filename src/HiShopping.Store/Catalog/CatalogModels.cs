namespace HiShopping.Store.Catalog;

public sealed record GoodsQuery : PagedQuery
{
    public string? CategoryId { get; init; }
    public string? Keyword { get; init; }
    public long? MinPrice { get; init; }
    public long? MaxPrice { get; init; }

    /// <summary>price_asc, price_desc, newest or relevance; null: relevance with a keyword, newest without.</summary>
    public string? Sort { get; init; }

    /// <summary>The sort the list is in: <see cref="Sort"/>, or its default (relevance needs a keyword; without one it is newest).</summary>
    public string EffectiveSort => Sort switch
    {
        null or "relevance" => string.IsNullOrWhiteSpace(Keyword) ? "newest" : "relevance",
        _ => Sort,
    };

    public static readonly string[] Sorts = ["price_asc", "price_desc", "newest", "relevance"];
}

public sealed record GoodsSummary
{
    public required string GoodsId { get; init; }
    public required string Title { get; init; }
    public required string CategoryId { get; init; }
    public string? ThumbUrl { get; init; }
    public long MinPrice { get; init; }
    public long MaxPrice { get; init; }
    public long SkuCount { get; init; }
    public bool InStock { get; init; }
}

public sealed record Sku
{
    public required string SkuId { get; init; }
    public required string GoodsId { get; init; }
    public required string SpecJson { get; init; }
    public long Price { get; init; }
    public long Stock { get; init; }
    public string? Image { get; init; }
    public required string Status { get; init; }
}

public sealed record CategoryRef(string CategoryId, string Name);

public sealed record GoodsDetail
{
    public required string GoodsId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string CategoryId { get; init; }
    public required IReadOnlyList<CategoryRef> CategoryPath { get; init; }
    public string? ThumbUrl { get; init; }
    public required string ImagesJson { get; init; }
    public required string AttributesJson { get; init; }
    public required string Status { get; init; }
    public required IReadOnlyList<Sku> Skus { get; init; }
    public long MinPrice { get; init; }
    public long MaxPrice { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}

public sealed record CategoryNode
{
    public required string CategoryId { get; init; }
    public required string Name { get; init; }
    public string? ParentId { get; init; }

    /// <summary>Active goods in this category and every category below it.</summary>
    public long GoodsCount { get; init; }

    public required IReadOnlyList<CategoryNode> Children { get; init; }
}

public sealed record CatalogStats
{
    public long Categories { get; init; }
    public long LeafCategories { get; init; }
    public long Goods { get; init; }
    public long ActiveGoods { get; init; }
    public long Skus { get; init; }
    public long SkusInStock { get; init; }
    public long? LastUpdatedAt { get; init; }
}

/// <summary>What an import or the demo seeder writes: one category.</summary>
public sealed record CategoryRecord
{
    public required string CategoryId { get; init; }
    public string? ParentId { get; init; }
    public required string Name { get; init; }
    public int SortOrder { get; init; }
}

/// <summary>What an import or the demo seeder writes: one goods with all its SKUs.</summary>
public sealed record GoodsRecord
{
    public required string GoodsId { get; init; }
    public required string CategoryId { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public string? ThumbUrl { get; init; }
    public IReadOnlyList<string> Images { get; init; } = [];
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    public string Status { get; init; } = "active";
    public required IReadOnlyList<SkuRecord> Skus { get; init; }
}

public sealed record SkuRecord
{
    public required string SkuId { get; init; }
    public IReadOnlyDictionary<string, string> Spec { get; init; } = new Dictionary<string, string>();
    public long Price { get; init; }
    public long Stock { get; init; }
    public string? Image { get; init; }
    public string Status { get; init; } = "active";
}
