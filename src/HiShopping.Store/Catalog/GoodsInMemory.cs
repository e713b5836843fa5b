using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace HiShopping.Store.Catalog;

/// <summary>
/// SQLite only: the goods on sale held in memory, read once per catalog version. A keyword-only search then costs
/// microseconds instead of two passes of FTS5 (a count, then bm25 over every match), and a list without a keyword a
/// merge of per-category lists instead of a count of up to 10,001 rows (docs/operations.md "Search and goods lists in
/// memory").
/// <para>
/// It answers exactly what the store answers. Search terms are FTS5's own (read through <c>fts5vocab</c>, so the
/// tokenizer is never written twice), a word matches every term it starts, all words are required, and the rank is
/// FTS5's bm25 computed term by term in the same order (k1 1.2, b 0.75, the same IDF and average length), so equal
/// scores tie exactly, broken newest first. (A native SQLite built to fuse multiply-adds, as on some ARM64 compilers,
/// could round a score differently in its last bit and swap two goods whose scores differ by that much.)
/// Only keywords of ASCII letters and digits come here (their case folding is the tokenizer's); other keywords, a
/// keyword with filters and price sorts go to FTS5. Lists take the SQL's subtree, price overlap, sorts with their
/// goods_id tie-break (compared as UTF-8 bytes, as SQLite does) and its count cap. The store's tests compare both
/// with the store on every kind of title, tree, price and page.
/// </para>
/// <para>
/// A snapshot serves only the catalog version it was read at. When the catalog changes, lists go to the store while
/// one background read builds the next snapshot; a read starts at most once per twice its last duration (at least a
/// second apart), so an import that bumps the version every batch costs a third of a core at most.
/// </para>
/// </summary>
internal sealed class GoodsInMemory(ILogger? log = null)
{
    private const double K1 = 1.2, B = 0.75;
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumGap = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Up to this many goods on sale a snapshot also holds them (about 600 bytes each: summaries and orders), so a page needs no
    /// query; past it, only the index (about 10 bytes per word of a title), and a page reads its 20 goods by rowid.
    /// </summary>
    internal int SummaryLimit { get; init; } = 200_000;

    private volatile Snapshot? _current;
    private int _building;
    private int _failures;
    private long _notBeforeTicks;

    /// <summary>The version the snapshot in memory was read at; null before the first read.</summary>
    public long? Version => _current?.Version;

    /// <summary>
    /// The copy holds the search index alone (a catalog past <see cref="SummaryLimit"/> when it was read): lists
    /// without a keyword go to the store without asking for the version first.
    /// </summary>
    public bool IndexOnly => _current is { Listing: null };

    /// <summary>
    /// The matches of <paramref name="terms"/> (lower-case ASCII words) at <paramref name="version"/>: their number and
    /// one page of them, ranked (newest first when <paramref name="rank"/> is false, or past
    /// <see cref="CatalogService.RankLimit"/> matches, as FTS5 is asked); null when the snapshot is not of that version.
    /// </summary>
    public Found? Find(long version, IReadOnlyList<string> terms, bool rank, long offset, int limit)
    {
        var snapshot = _current;
        return snapshot is null || snapshot.Version != version ? null : snapshot.Find(terms, rank, offset, limit);
    }

    /// <summary>
    /// A page of the goods on sale without a keyword at <paramref name="version"/> (the category's subtree, the price
    /// range, the sort and the capped count exactly as <see cref="CatalogService.ListGoods"/> reads them from SQL); null
    /// when the snapshot is not of that version or does not hold the goods.
    /// </summary>
    public PageOf<GoodsSummary>? List(long version, GoodsQuery query)
    {
        var snapshot = _current;
        return snapshot is null || snapshot.Version != version || snapshot.Listing is not { } listing ? null : listing.Page(query);
    }

    /// <summary>Why the last read failed (the store busy or gone, or out of step); null after a read that worked.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>
    /// Starts a background read when the snapshot is not of <paramref name="version"/> and none runs: at most once per
    /// twice the last read's duration and at least a second apart, and twice as far apart after each failed read
    /// (at most <see cref="MaximumGap"/>).
    /// </summary>
    public void Refresh(long version, Func<DbConnection> open)
    {
        if (_current?.Version == version || Environment.TickCount64 < Volatile.Read(ref _notBeforeTicks)) return;
        if (Interlocked.Exchange(ref _building, 1) == 1) return;
        // Its own thread: a read takes about a second per 100,000 goods, too long to hold a thread-pool thread.
        _ = Task.Factory.StartNew(() =>
        {
            var started = Environment.TickCount64;
            var gap = MinimumGap.TotalMilliseconds;
            var recovered = 0;
            string? failure = null;
            try
            {
                using var connection = open();
                Load(connection);
                LastFailure = null;
                recovered = _failures;
                _failures = 0;
            }
            catch (Exception e)
            {
                // Lists stay on the store, which answers the same; the next list tries again after the gap.
                LastFailure = failure = $"{e.GetType().Name}: {e.Message}";
                gap *= Math.Pow(2, Math.Min(++_failures, 10));
            }
            var wait = (long)Math.Min(MaximumGap.TotalMilliseconds, Math.Max(gap, 2 * (Environment.TickCount64 - started)));
            Volatile.Write(ref _notBeforeTicks, Environment.TickCount64 + wait);
            Volatile.Write(ref _building, 0);
            // Last, and never fatal: a logger that throws must not stop the next read.
            try
            {
                if (failure is { } reason)
                    log?.LogWarning("Goods in memory: reading the catalog failed ({Reason}); lists are read from the store meanwhile, the next read in {Seconds:0} s at the earliest.",
                        reason, wait / 1000.0);
                else if (recovered > 0)
                    log?.LogInformation("Goods in memory: read again after {Failures} failed reads; lists are answered from memory again.", recovered);
            }
            catch (Exception)
            {
                // Nothing to do: the reason stays in LastFailure.
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Reads the index as of now on <paramref name="connection"/> (one read transaction) and serves it.</summary>
    public void Load(DbConnection connection)
    {
        connection.Execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.goods_fts_instances USING fts5vocab(main, goods_fts, instance)");
        // Deferred: a read transaction, one snapshot for the version and the index, never the write lock.
        using var read = ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: true);
        var version = connection.ExecuteScalar<long?>(CatalogService.VersionSql, transaction: read) ?? 0;
        // The FTS table holds exactly the goods on sale (its triggers), each a row for bm25 even without a word.
        Snapshot snapshot;
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM goods WHERE status = 'active'", transaction: read) <= SummaryLimit)
        {
            var onSale = connection.Query<long, long, GoodsSummary, (long Rowid, long CreatedAt, GoodsSummary Goods)>(
                $"SELECT g.rowid AS Rowid, g.created_at AS CreatedAt, {CatalogService.SummaryColumns} FROM goods g WHERE g.status = 'active' ORDER BY g.rowid",
                (rowid, createdAt, goods) => (rowid, createdAt, goods), transaction: read, splitOn: "CreatedAt,GoodsId").ToList();
            var categories = connection.Query<(string Id, string? Parent)>("SELECT category_id, parent_id FROM categories", transaction: read).ToList();
            snapshot = new Snapshot(version, [.. onSale.Select(g => g.Rowid)], new Listing([.. onSale.Select(g => g.Goods)], [.. onSale.Select(g => g.CreatedAt)], categories));
        }
        else
        {
            snapshot = new Snapshot(version, [.. connection.Query<long>("SELECT rowid FROM goods WHERE status = 'active' ORDER BY rowid", transaction: read)], null);
        }
        using (var command = connection.CreateCommand())
        {
            command.Transaction = read;
            // In the index's order: by term, then by rowid, then by position.
            command.CommandText = "SELECT term, doc FROM temp.goods_fts_instances";
            using var reader = command.ExecuteReader();
            while (reader.Read()) snapshot.Add(reader.GetString(0), reader.GetInt64(1));
        }
        read.Commit();
        snapshot.Seal();
        _current = snapshot;
    }

    /// <summary>
    /// The number of matches and one page of them: the goods themselves when the snapshot holds them, else only their
    /// rowids (the page then reads its goods from the store).
    /// </summary>
    public sealed record Found(long Matches, IReadOnlyList<long> Rowids, IReadOnlyList<GoodsSummary>? Items);

    /// <summary>
    /// One catalog version's index. Goods are numbered 0..n-1 in rowid order, so every list below is in rowid order
    /// too; a term holds the numbers of the goods it occurs in and how often it occurs in each.
    /// </summary>
    private sealed class Snapshot(long version, long[] rowids, Listing? listing)
    {
        public long Version { get; } = version;
        public Listing? Listing { get; } = listing;
        private readonly GoodsSummary[]? goods = listing?.Goods;
        private readonly int[] _lengths = new int[rowids.Length];
        private readonly List<string> _terms = [];
        private readonly List<int[]> _docs = [];
        private readonly List<int[]> _counts = [];
        private readonly List<int> _termDocs = [];
        private readonly List<int> _termCounts = [];
        private long _tokens;
        private double _averageLength;

        /// <summary>
        /// Per thread, a byte per goods: how many words of the query so far it holds (a keyword has at most 16 words);
        /// all 0 between uses.
        /// </summary>
        [ThreadStatic] private static byte[]? _held;

        public void Add(string term, long rowid)
        {
            var doc = Array.BinarySearch(rowids, rowid);
            if (doc < 0) throw new InvalidOperationException($"goods_fts holds rowid {rowid}, which is not a goods on sale.");
            _tokens++;
            _lengths[doc]++;
            if (_terms.Count == 0 || !string.Equals(_terms[^1], term, StringComparison.Ordinal))
            {
                Flush();
                _terms.Add(term);
            }
            if (_termDocs.Count > 0 && _termDocs[^1] == doc)
            {
                _termCounts[^1]++;
            }
            else
            {
                _termDocs.Add(doc);
                _termCounts.Add(1);
            }
        }

        public void Seal()
        {
            Flush();
            _averageLength = rowids.Length == 0 ? 0 : (double)_tokens / rowids.Length;
            // fts5vocab lists terms in the index's byte order; prefix ranges below need ordinal order, which is the
            // same for UTF-8 bytes and UTF-16 except around surrogates, so sort to be sure.
            for (var i = 1; i < _terms.Count; i++)
            {
                if (string.CompareOrdinal(_terms[i - 1], _terms[i]) < 0) continue;
                var order = Enumerable.Range(0, _terms.Count).OrderBy(t => _terms[t], StringComparer.Ordinal).ToArray();
                var terms = order.Select(t => _terms[t]).ToList();
                var docs = order.Select(t => _docs[t]).ToList();
                var counts = order.Select(t => _counts[t]).ToList();
                _terms.Clear(); _terms.AddRange(terms);
                _docs.Clear(); _docs.AddRange(docs);
                _counts.Clear(); _counts.AddRange(counts);
                break;
            }
        }

        private void Flush()
        {
            if (_terms.Count == _docs.Count) return;
            _docs.Add([.. _termDocs]);
            _counts.Add([.. _termCounts]);
            _termDocs.Clear();
            _termCounts.Clear();
        }

        public Found Find(IReadOnlyList<string> words, bool rank, long offset, int limit)
        {
            // Each word is the range of terms it starts.
            var phrases = new (int First, int Last)[words.Count];
            for (var p = 0; p < phrases.Length; p++)
            {
                var first = LowerBound(words[p]);
                var last = first;
                while (last < _terms.Count && _terms[last].StartsWith(words[p], StringComparison.Ordinal)) last++;
                phrases[p] = (first, last);
            }

            // Every word is required: a goods moves from p to p + 1 when it holds word p; it matches at the end.
            var held = Held();
            var matches = new List<int>();
            try
            {
                for (var p = 0; p < phrases.Length; p++)
                    for (var t = phrases[p].First; t < phrases[p].Last; t++)
                        foreach (var doc in _docs[t])
                        {
                            if (held[doc] != p) continue;
                            held[doc] = (byte)(p + 1);
                            if (p == phrases.Length - 1) matches.Add(doc);
                        }
            }
            finally
            {
                for (var t = phrases[0].First; t < phrases[0].Last; t++)
                    foreach (var doc in _docs[t]) held[doc] = 0;
            }
            matches.Sort();

            int[] page;
            if (rank && matches.Count <= CatalogService.RankLimit)
            {
                // FTS5's bm25, term by term as fts5_aux.c computes it, so equal scores tie exactly as they do there:
                // each word's IDF from how many goods hold it, its count in the goods, the goods' length in tokens.
                var idf = new double[phrases.Length];
                for (var p = 0; p < phrases.Length; p++)
                {
                    var holding = HoldingCount(phrases[p]);
                    var x = Math.Log((rowids.Length - holding + 0.5) / (holding + 0.5));
                    idf[p] = x <= 0.0 ? 1e-6 : x;
                }
                var scored = new (double Score, int Doc)[matches.Count];
                for (var m = 0; m < matches.Count; m++)
                {
                    var doc = matches[m];
                    var length = (double)_lengths[doc];
                    var score = 0.0;
                    for (var p = 0; p < phrases.Length; p++)
                    {
                        double f = 0;
                        for (var t = phrases[p].First; t < phrases[p].Last; t++)
                            if (_docs[t].AsSpan().BinarySearch(doc) is var at and >= 0) f += _counts[t][at];
                        score += idf[p] * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * length / _averageLength)));
                    }
                    scored[m] = (-1.0 * score, doc);
                }
                // ORDER BY rank, rowid DESC (goods are numbered in rowid order)
                Array.Sort(scored, (x, y) => x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Doc.CompareTo(x.Doc));
                page = [.. scored.Skip((int)Math.Min(offset, int.MaxValue)).Take(limit).Select(s => s.Doc)];
            }
            else
            {
                // Newest first: the highest rowids.
                var from = matches.Count - 1 - offset;
                page = new int[Math.Max(0, Math.Min(limit, from + 1))];
                for (var i = 0; i < page.Length; i++) page[i] = matches[(int)(from - i)];
            }
            return new Found(matches.Count, Array.ConvertAll(page, d => rowids[d]), goods is null ? null : Array.ConvertAll(page, d => goods[d]));
        }

        private byte[] Held() => _held is { } held && held.Length >= rowids.Length ? held : _held = new byte[rowids.Length];

        /// <summary>How many goods hold a term of the range (a goods holding two of them counts once).</summary>
        private int HoldingCount((int First, int Last) phrase)
        {
            if (phrase.Last - phrase.First == 1) return _docs[phrase.First].Length;
            var held = Held();
            var count = 0;
            for (var t = phrase.First; t < phrase.Last; t++)
                foreach (var doc in _docs[t])
                    if (held[doc] == 0) { held[doc] = 1; count++; }
            for (var t = phrase.First; t < phrase.Last; t++)
                foreach (var doc in _docs[t]) held[doc] = 0;
            return count;
        }

        private int LowerBound(string word)
        {
            int lo = 0, hi = _terms.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (string.CompareOrdinal(_terms[mid], word) < 0) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }

    /// <summary>
    /// The goods on sale in the three orders a list without a keyword takes, with what its filters look at: a goods'
    /// category (as a number; -1 for a category that no longer exists), its price range, and the category tree.
    /// </summary>
    private sealed class Listing
    {
        public GoodsSummary[] Goods { get; }
        private readonly long[] _min, _max;
        private readonly int[] _category;
        private readonly Dictionary<string, int> _categories = new(StringComparer.Ordinal);
        private readonly List<int>[] _children;
        private readonly Order _priceAsc, _priceDesc, _newest;

        /// <summary>
        /// The goods in one order, and per category the goods it holds itself in that order (a goods of a category
        /// that no longer exists is in none: a category filter never finds it, as in SQL).
        /// </summary>
        private sealed class Order
        {
            public int[] Docs { get; }
            public int[] Rank { get; }
            public int[][] ByCategory { get; }

            public Order(int[] docs, int[] category, int categories)
            {
                Docs = docs;
                Rank = new int[docs.Length];
                for (var i = 0; i < docs.Length; i++) Rank[docs[i]] = i;
                var lists = Enumerable.Range(0, categories).Select(_ => new List<int>()).ToArray();
                foreach (var doc in docs)
                    if (category[doc] >= 0) lists[category[doc]].Add(doc);
                ByCategory = [.. lists.Select(l => l.ToArray())];
            }
        }

        public Listing(GoodsSummary[] goods, long[] createdAt, IReadOnlyList<(string Id, string? Parent)> categories)
        {
            Goods = goods;
            _min = Array.ConvertAll(goods, g => g.MinPrice);
            _max = Array.ConvertAll(goods, g => g.MaxPrice);
            foreach (var (id, _) in categories) _categories[id] = _categories.Count;
            _children = [.. categories.Select(_ => new List<int>())];
            foreach (var (id, parent) in categories)
                if (parent is not null && _categories.TryGetValue(parent, out var p)) _children[p].Add(_categories[id]);
            var category = _category = Array.ConvertAll(goods, g => _categories.GetValueOrDefault(g.CategoryId, -1));
            // SQLite compares text by its UTF-8 bytes (BINARY): the ties on goods_id break the same way here.
            var ids = Array.ConvertAll(goods, g => System.Text.Encoding.UTF8.GetBytes(g.GoodsId));
            int ById(int a, int b) => ids[a].AsSpan().SequenceCompareTo(ids[b]);
            Order Sorted(Comparison<int> comparison)
            {
                var docs = Enumerable.Range(0, goods.Length).ToArray();
                Array.Sort(docs, comparison);
                return new Order(docs, category, categories.Count);
            }
            // ORDER BY min_price ASC, goods_id ASC | max_price DESC, goods_id ASC | created_at DESC, goods_id DESC
            _priceAsc = Sorted((a, b) => _min[a] != _min[b] ? _min[a].CompareTo(_min[b]) : ById(a, b));
            _priceDesc = Sorted((a, b) => _max[a] != _max[b] ? _max[b].CompareTo(_max[a]) : ById(a, b));
            _newest = Sorted((a, b) => createdAt[a] != createdAt[b] ? createdAt[b].CompareTo(createdAt[a]) : ById(b, a));
        }

        public PageOf<GoodsSummary> Page(GoodsQuery query)
        {
            var order = query.EffectiveSort switch { "price_asc" => _priceAsc, "price_desc" => _priceDesc, _ => _newest };
            long min = query.MinPrice ?? long.MinValue, max = query.MaxPrice ?? long.MaxValue;
            var items = new List<GoodsSummary>(query.PageSize);
            long count = 0, offset = query.Offset;
            foreach (var doc in InOrder(order, query.CategoryId))
            {
                if (_max[doc] < min || _min[doc] > max) continue;
                if (count >= offset && items.Count < query.PageSize) items.Add(Goods[doc]);
                // Counting stops past the cap, as the SQL count does; the walk goes on only for a page beyond it.
                if (++count > Rules.CountCap && count >= offset + query.PageSize) break;
            }
            return new PageOf<GoodsSummary>(items, query.Page, query.PageSize, Math.Min(count, Rules.CountCap)) { TotalIsEstimate = count > Rules.CountCap };
        }

        /// <summary>The goods of the category and every category below it (all goods without one), in the order.</summary>
        private IEnumerable<int> InOrder(Order order, string? categoryId)
        {
            if (string.IsNullOrEmpty(categoryId)) return order.Docs;
            // A category that does not exist holds nothing.
            var subtree = new List<int>();
            if (_categories.TryGetValue(categoryId, out var root))
            {
                var seen = new bool[_children.Length];
                var pending = new Stack<int>([root]);
                while (pending.TryPop(out var c))
                {
                    if (seen[c]) continue;
                    seen[c] = true;
                    if (order.ByCategory[c].Length > 0) subtree.Add(c);
                    foreach (var child in _children[c]) pending.Push(child);
                }
            }
            var lists = subtree.ConvertAll(c => order.ByCategory[c]);
            if (lists.Count <= 1) return lists.Count == 0 ? [] : lists[0];
            // A large share of the catalog: walk the whole order and keep the subtree's goods; else merge its lists.
            if (lists.Sum(l => l.Length) * 4L >= order.Docs.Length)
            {
                var inSubtree = new bool[_children.Length];
                foreach (var c in subtree) inSubtree[c] = true;
                return order.Docs.Where(doc => _category[doc] >= 0 && inSubtree[_category[doc]]);
            }
            return Merged(order, lists);
        }

        private static IEnumerable<int> Merged(Order order, List<int[]> lists)
        {
            var next = new int[lists.Count];
            var queue = new PriorityQueue<int, int>(lists.Count);
            for (var l = 0; l < lists.Count; l++) queue.Enqueue(l, order.Rank[lists[l][0]]);
            while (queue.TryDequeue(out var l, out _))
            {
                yield return lists[l][next[l]];
                if (++next[l] < lists[l].Length) queue.Enqueue(l, order.Rank[lists[l][next[l]]]);
            }
        }
    }
}
