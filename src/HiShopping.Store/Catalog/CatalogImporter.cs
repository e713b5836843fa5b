using System.Text;
using System.Text.Json;

namespace HiShopping.Store.Catalog;

/// <summary>Where a record was: its line in a JSON Lines file, or its index in a JSON array.</summary>
public sealed record RecordPosition(bool IsLine, long Number)
{
    public override string ToString() => IsLine ? $"line {Number}" : $"record {Number}";
}

public sealed record ImportRejection(RecordPosition Position, string Reason);

public sealed record ImportProgress(long Records, long Rejected, long BytesRead, long BytesTotal);

public sealed record ImportResult(long Records, long Rejected, UpsertResult Categories, UpsertResult Goods, bool DryRun, string? FatalError)
{
    public long Landed => Categories.Inserted + Categories.Updated + Categories.Unchanged + Goods.Inserted + Goods.Updated + Goods.Unchanged;
}

/// <summary>
/// Streams a catalog file (a JSON array, or JSON Lines) into the store: bounded memory whatever the size, batches of
/// goods per transaction, every bad record reported with its position and reason while the good ones land.
/// </summary>
public interface ICatalogImporter
{
    ImportResult Import(Stream input, bool dryRun, Action<ImportRejection> onRejected, Action<ImportProgress>? onProgress = null);
}

public sealed class CatalogImporter(ICatalogWriter writer) : ICatalogImporter
{
    private const int BatchSize = 500;

    public ImportResult Import(Stream input, bool dryRun, Action<ImportRejection> onRejected, Action<ImportProgress>? onProgress = null)
    {
        var total = input.CanSeek ? input.Length : 0;
        // Every category known so far (the store's, then the file's as they are accepted), with its parent.
        var parents = writer.CategoryParents();
        var categories = new UpsertResult(0, 0, 0);
        var goods = new UpsertResult(0, 0, 0);
        var pendingCategories = new List<CategoryRecord>();
        var pendingGoods = new List<(RecordPosition Position, GoodsRecord Goods)>();
        long records = 0, rejected = 0;
        string? fatal = null;

        void Reject(RecordPosition position, string reason)
        {
            rejected++;
            onRejected(new ImportRejection(position, reason));
        }

        void FlushCategories()
        {
            if (pendingCategories.Count == 0) return;
            if (!dryRun) categories += writer.UpsertCategories(pendingCategories);
            else categories += new UpsertResult(0, 0, pendingCategories.Count);
            pendingCategories.Clear();
        }

        void FlushGoods()
        {
            FlushCategories();
            if (pendingGoods.Count == 0) return;
            // A SKU belongs to one goods: a record that would move another goods' SKU is refused, not applied.
            var owners = writer.SkuOwners(pendingGoods.SelectMany(g => g.Goods.Skus.Select(s => s.SkuId)));
            var claimed = new Dictionary<string, string>();
            var accepted = new List<GoodsRecord>();
            foreach (var (position, record) in pendingGoods)
            {
                var conflict = record.Skus.Select(s =>
                        owners.TryGetValue(s.SkuId, out var owner) && owner != record.GoodsId ? (s.SkuId, owner) :
                        claimed.TryGetValue(s.SkuId, out var batchOwner) && batchOwner != record.GoodsId ? (s.SkuId, batchOwner) : default)
                    .FirstOrDefault(c => c.SkuId is not null);
                if (conflict.SkuId is not null)
                {
                    Reject(position, $"sku_id {conflict.SkuId} belongs to goods {conflict.Item2}");
                    continue;
                }
                foreach (var s in record.Skus) claimed[s.SkuId] = record.GoodsId;
                accepted.Add(record);
            }
            if (accepted.Count > 0)
                goods += dryRun ? new UpsertResult(0, 0, accepted.Count) : writer.UpsertGoods(accepted);
            pendingGoods.Clear();
        }

        foreach (var (position, element, error) in CatalogRecordReader.Read(input))
        {
            if (error is not null)
            {
                if (position is null) { fatal = error; break; }
                records++;
                Reject(position, error);
                continue;
            }
            records++;
            var (category, goodsRecord, problem) = CatalogRecords.Read(element);
            if (problem is not null) Reject(position!, problem);
            else if (category is not null)
            {
                if (category.ParentId is not null && !parents.ContainsKey(category.ParentId))
                    Reject(position!, $"parent_id {category.ParentId} is not a known category (list parents before their children)");
                // Only a category already known can have children, so only such a one can be moved under one of them.
                else if (category.ParentId is not null && parents.ContainsKey(category.CategoryId) && IsWithin(parents, category.ParentId, category.CategoryId))
                    Reject(position!, $"parent_id {category.ParentId} is inside category {category.CategoryId}: a category cannot be its own ancestor");
                else
                {
                    parents[category.CategoryId] = category.ParentId;
                    pendingCategories.Add(category);
                    if (pendingCategories.Count >= BatchSize) FlushCategories();
                }
            }
            else if (!parents.ContainsKey(goodsRecord!.CategoryId))
                Reject(position!, $"category_id {goodsRecord.CategoryId} is not a known category");
            else
            {
                pendingGoods.Add((position!, goodsRecord));
                if (pendingGoods.Count >= BatchSize) FlushGoods();
            }
            if (records % 1000 == 0) onProgress?.Invoke(new ImportProgress(records, rejected, SafePosition(input), total));
        }
        FlushGoods();
        onProgress?.Invoke(new ImportProgress(records, rejected, total, total));
        return new ImportResult(records, rejected, categories, goods, dryRun, fatal);
    }

    private static long SafePosition(Stream s) => s.CanSeek ? s.Position : 0;

    /// <summary>
    /// True when <paramref name="category"/> is <paramref name="ancestor"/> or lies below it. The walk up stops at the
    /// first id seen twice, so a store that already holds a loop of parents (imported before loops were refused) ends it.
    /// </summary>
    private static bool IsWithin(Dictionary<string, string?> parents, string category, string ancestor)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? at = category; at is not null && seen.Add(at); at = parents.GetValueOrDefault(at))
            if (at == ancestor) return true;
        return false;
    }
}
