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
        var knownCategories = writer.CategoryIds();
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

        foreach (var (position, element, error) in ReadRecords(input))
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
                if (category.ParentId is not null && !knownCategories.Contains(category.ParentId))
                    Reject(position!, $"parent_id {category.ParentId} is not a known category (list parents before their children)");
                else
                {
                    knownCategories.Add(category.CategoryId);
                    pendingCategories.Add(category);
                    if (pendingCategories.Count >= BatchSize) FlushCategories();
                }
            }
            else if (!knownCategories.Contains(goodsRecord!.CategoryId))
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

    /// <summary>Records one by one: (position, element, null), or (position, default, reason) for an unreadable one,
    /// or (null, default, reason) when the rest of the file cannot be read.</summary>
    private static IEnumerable<(RecordPosition? Position, JsonElement Element, string? Error)> ReadRecords(Stream input)
    {
        var buffered = new BufferedStream(input, 64 * 1024);
        int first;
        while ((first = buffered.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) { }
        if (first < 0) yield break;

        // Put the first byte back in front of the rest.
        var rest = new PrefixedStream((byte)first, buffered);
        if (first == '[')
        {
            foreach (var record in ReadArray(rest)) yield return record;
            yield break;
        }

        using var reader = new StreamReader(rest, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement element;
            string? error = null;
            try
            {
                using var document = JsonDocument.Parse(text);
                element = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                element = default;
                error = $"not valid JSON: {e.Message}";
            }
            yield return (new RecordPosition(true, line), element, error);
        }
    }

    /// <summary>
    /// The elements of a top-level JSON array, one at a time, with a buffer only as large as the largest element.
    /// Elements before a syntax error are all yielded; the error then ends the file.
    /// </summary>
    private static IEnumerable<(RecordPosition? Position, JsonElement Element, string? Error)> ReadArray(Stream input)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        var final = false;
        var started = false;
        var done = false;
        var state = new JsonReaderState();
        long index = 0;
        while (!done)
        {
            if (!final)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = input.Read(buffer, length, buffer.Length - length);
                if (read == 0) final = true;
                length += read;
            }
            var batch = new List<JsonElement>();
            string? error = null;
            var consumed = Parse(buffer.AsSpan(0, length), final, ref state, ref started, ref done, batch, ref error);
            foreach (var element in batch)
            {
                index++;
                yield return element.ValueKind != JsonValueKind.Null
                    ? (new RecordPosition(false, index), element, null)
                    : (new RecordPosition(false, index), default, "a record must be a JSON object (got null)");
            }
            if (error is not null)
            {
                yield return (null, default, $"record {index + 1} and after: {error}; import stopped there");
                yield break;
            }
            Buffer.BlockCopy(buffer, (int)consumed, buffer, 0, length - (int)consumed);
            length -= (int)consumed;
            if (final && !done && batch.Count == 0)
            {
                yield return (null, default, $"record {index + 1} and after: the array ends too early; import stopped there");
                yield break;
            }
        }
    }

    private static long Parse(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, ref bool started, ref bool done,
        List<JsonElement> batch, ref string? error)
    {
        var reader = new Utf8JsonReader(data, final, state);
        try
        {
            if (!started)
            {
                if (!reader.Read()) return 0;
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("the file does not start with '['");
                started = true;
            }
            while (true)
            {
                var checkpoint = reader;
                if (!reader.Read()) { reader = checkpoint; break; }
                if (reader.TokenType == JsonTokenType.EndArray) { done = true; break; }
                if (!JsonDocument.TryParseValue(ref reader, out var document)) { reader = checkpoint; break; }
                using (document) batch.Add(document!.RootElement.Clone());
            }
        }
        catch (JsonException e)
        {
            error = $"the array is not valid JSON ({e.Message})";
        }
        state = reader.CurrentState;
        return reader.BytesConsumed;
    }

    /// <summary>A stream that yields one byte, then the rest of another stream.</summary>
    private sealed class PrefixedStream(byte first, Stream rest) : Stream
    {
        private bool _firstRead;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0) return 0;
            if (!_firstRead)
            {
                _firstRead = true;
                buffer[offset] = first;
                return 1;
            }
            return rest.Read(buffer, offset, count);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
