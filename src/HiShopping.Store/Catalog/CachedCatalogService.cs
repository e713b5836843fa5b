using Microsoft.Extensions.Caching.Memory;

namespace HiShopping.Store.Catalog;

/// <summary>
/// Caches catalog reads. Every key carries the catalog version, which writers bump in the same transaction as
/// their change; the version itself is re-read at most once a second, so a write from another process (an
/// import from the CLI while <c>serve</c> runs) shows within a second or two. Stock is not cached: orders move it
/// all the time without a new version, so every answer carries the stock of the moment (one indexed query).
/// </summary>
public sealed class CachedCatalogService(ICatalogService inner, TimeProvider clock) : ICatalogService, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 5_000 });
    private static readonly TimeSpan VersionCheckEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(10);
    private readonly Lock _gate = new();
    private long _version = -1;
    private DateTimeOffset _versionCheckedAt = DateTimeOffset.MinValue;

    public PageOf<GoodsSummary> ListGoods(GoodsQuery query)
    {
        CatalogService.Check(query);
        // A page the goods in memory answer is as cheap as a lookup here: keeping it would only push out pages that cost.
        var page = inner.ListGoodsFromMemory(query) ?? Cached(("list", query), () => inner.ListGoodsFromStore(query));
        var inStock = inner.InStock(page.Items.Select(g => g.GoodsId).ToList());
        return page with { Items = page.Items.Select(g => g.InStock == inStock.Contains(g.GoodsId) ? g : g with { InStock = !g.InStock }).ToList() };
    }

    public IReadOnlyList<CategoryNode> Categories() => Cached("categories", inner.Categories);

    public GoodsDetail? GetGoods(string goodsId)
    {
        var detail = Cached(("goods", goodsId), () => inner.GetGoods(goodsId));
        if (detail is null) return null;
        var stock = inner.SkuStock(goodsId);
        return detail with { Skus = detail.Skus.Select(s => stock.TryGetValue(s.SkuId, out var now) && now != s.Stock ? s with { Stock = now } : s).ToList() };
    }

    public IReadOnlyDictionary<string, long> SkuStock(string goodsId) => inner.SkuStock(goodsId);

    public IReadOnlySet<string> InStock(IReadOnlyCollection<string> goodsIds) => inner.InStock(goodsIds);

    public CatalogStats Stats() => inner.Stats();

    public PageOf<GoodsSummary>? ListGoodsFromMemory(GoodsQuery query) => inner.ListGoodsFromMemory(query);

    public PageOf<GoodsSummary> ListGoodsFromStore(GoodsQuery query) => inner.ListGoodsFromStore(query);

    public void PrepareSearch() => inner.PrepareSearch();

    public long Version()
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (now - _versionCheckedAt < VersionCheckEvery) return _version;
        }
        var version = inner.Version();
        lock (_gate)
        {
            _version = version;
            _versionCheckedAt = now;
        }
        return version;
    }

    public void Dispose() => _cache.Dispose();

    private T Cached<T>(object key, Func<T> load)
    {
        var versioned = (Version(), key);
        return _cache.GetOrCreate(versioned, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = EntryLifetime;
            entry.Size = 1;
            return load();
        })!;
    }
}
