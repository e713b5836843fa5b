using Microsoft.Extensions.Caching.Memory;

namespace HiShopping.Store.Catalog;

/// <summary>
/// Caches catalog reads. Every key carries the catalog version, which writers bump in the same transaction as
/// their change; the version itself is re-read at most once a second, so a write from another process (an
/// import from the CLI while <c>serve</c> runs) shows within a second or two.
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
        return Cached(("list", query), () => inner.ListGoods(query));
    }

    public IReadOnlyList<CategoryNode> Categories() => Cached("categories", inner.Categories);

    public GoodsDetail? GetGoods(string goodsId) => Cached(("goods", goodsId), () => inner.GetGoods(goodsId));

    public CatalogStats Stats() => inner.Stats();

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
