using System.Data.Common;
using Dapper;

namespace HiShopping.Store.Catalog;

/// <summary>
/// SQLite only: the FTS5 index of the titles on sale (<c>goods_fts</c>), read into memory once per catalog version, so
/// a keyword-only search costs microseconds instead of two passes of FTS5 (a count, then bm25 over every match).
/// <para>
/// It answers exactly what FTS5 answers: its terms are FTS5's own (read through <c>fts5vocab</c>, so the tokenizer is
/// never written twice), a word matches every term it starts, all words are required, and the rank is FTS5's bm25 to
/// the bit (k1 1.2, b 0.75, the same IDF and average length) with the same tie-break, newest first. Only keywords of
/// ASCII letters and digits come here (their case folding is the tokenizer's); others, filters and price sorts go to
/// FTS5. The store's search tests compare the two on every kind of title.
/// </para>
/// <para>
/// A snapshot serves only the catalog version it was read at. When the catalog changes, searches go to FTS5 while
/// one background read builds the next snapshot; a read starts at most once per twice its last duration (at least a
/// second apart), so an import that bumps the version every batch costs a third of a core at most.
/// </para>
/// </summary>
internal sealed class MemorySearch
{
    private const double K1 = 1.2, B = 0.75;
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Up to this many goods on sale a snapshot also holds their summaries (about 450 bytes each), so a page needs no
    /// query; past it, only the index (about 10 bytes per word of a title), and a page reads its 20 goods by rowid.
    /// </summary>
    internal int SummaryLimit { get; init; } = 200_000;

    private volatile Snapshot? _current;
    private int _building;
    private long _notBeforeTicks;

    /// <summary>The version the snapshot in memory was read at; null before the first read.</summary>
    public long? Version => _current?.Version;

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

    /// <summary>Starts a background read when the snapshot is older than <paramref name="version"/> and none runs.</summary>
    public void Refresh(long version, Func<DbConnection> open)
    {
        if (_current?.Version >= version || Environment.TickCount64 < Volatile.Read(ref _notBeforeTicks)) return;
        if (Interlocked.Exchange(ref _building, 1) == 1) return;
        _ = Task.Run(() =>
        {
            var started = Environment.TickCount64;
            try
            {
                using var connection = open();
                Load(connection);
            }
            catch (Exception)
            {
                // The store went away (a disposed service, a deleted data directory) or was busy: searches stay on
                // FTS5, which answers the same, and the next search tries again after the gap.
            }
            finally
            {
                var took = Environment.TickCount64 - started;
                Volatile.Write(ref _notBeforeTicks, Environment.TickCount64 + Math.Max((long)MinimumGap.TotalMilliseconds, 2 * took));
                Volatile.Write(ref _building, 0);
            }
        });
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
            var onSale = connection.Query<long, GoodsSummary, (long Rowid, GoodsSummary Goods)>(
                $"SELECT g.rowid AS Rowid, {CatalogService.SummaryColumns} FROM goods g WHERE g.status = 'active' ORDER BY g.rowid",
                (rowid, goods) => (rowid, goods), transaction: read, splitOn: "GoodsId").ToList();
            snapshot = new Snapshot(version, [.. onSale.Select(g => g.Rowid)], [.. onSale.Select(g => g.Goods)]);
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
    private sealed class Snapshot(long version, long[] rowids, GoodsSummary[]? goods)
    {
        public long Version { get; } = version;
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
}
