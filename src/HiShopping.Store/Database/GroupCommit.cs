using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.ExceptionServices;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace HiShopping.Store.Database;

/// <summary>
/// The one writer of a process: every write is queued here and run on one thread over one connection. Whatever is
/// queued when the writer comes round (up to <see cref="BatchCap"/>) runs in one <c>BEGIN IMMEDIATE</c> transaction,
/// and the batch is committed with one fsync (<c>synchronous=FULL</c>). A request is answered only after the commit that
/// holds it, so an acknowledged write is on disk; a request whose work fails is undone alone and gets its error while
/// the others in the batch commit.
/// </summary>
/// <remarks>
/// <para>
/// How a failed request is undone alone. On SQLite a savepoint is not free: every page a request changes is first copied
/// to the savepoint's journal (about a sixth of the writer's time per order, measured). So a batch is first run without
/// savepoints. A request that fails before it changed a row (SQLite's change count has not moved: the checks of an order,
/// a used nonce, a statement that SQLite itself undid) needs nothing undone and just gets its error. Only a request that
/// fails after changing rows needs a savepoint: then the whole batch is rolled back and run again with a
/// <c>SAVEPOINT</c> per request, which a failing request rolls back to. On PostgreSQL every request always has its
/// savepoint: a failed statement there aborts the whole transaction.
/// </para>
/// <para>
/// What work must keep to: it touches nothing but its transaction, as it may run twice before its commit; it leaves no
/// write statement unfinished when it throws (an open reader over <c>INSERT … RETURNING</c>: SQLite counts its changes
/// only when it finishes); it makes no schema change; and it does not end the transaction (a batch whose transaction
/// ended inside a request fails as a whole).
/// </para>
/// <para>
/// Batches form by themselves: the writer never waits for company, so a lone request is committed at once and under
/// load the queue fills while the previous batch is being flushed (PostgreSQL's WAL flush and TigerBeetle's batching
/// work the same way). The cap bounds a batch's latency: at ~30 µs of SQL per order, 128 requests are ~4 ms of work
/// before the fsync.
/// </para>
/// <para>
/// On PostgreSQL the batch is one READ COMMITTED transaction that first takes a transaction-scoped advisory lock
/// (<see cref="WriteLockKey"/>): the writers of every process on the database take turns exactly as SQLite's
/// <c>BEGIN IMMEDIATE</c> makes them, so each batch sees every write committed before it and the checks that guard
/// credit (overspend, idempotency) hold across processes. Readers never take the lock.
/// </para>
/// </remarks>
public sealed class GroupCommit : IDisposable
{
    public const int BatchCap = 128;

    /// <summary>The PostgreSQL advisory lock that stands for SQLite's write lock ("hishop" in ASCII).</summary>
    public const long WriteLockKey = 0x686973686F70;

    private readonly Func<DbConnection> _open;
    private readonly Dialect _dialect;
    private readonly object _gate = new();
    private List<Request> _queue = [];
    private List<Request> _spare = [];
    private Thread? _thread;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private bool _stopping;
    private long _authVersion = -1;

    private readonly WriterTurns? _turns;

    /// <param name="turns">SQLite's turn-taking with other processes' writers; null on PostgreSQL, whose lock queue is fair.</param>
    public GroupCommit(Func<DbConnection> open, WriterTurns? turns, Dialect dialect)
    {
        _open = open;
        _turns = turns;
        _dialect = dialect;
        // PostgreSQL checkpoints by itself; SQLite's WAL is copied back by this timer (see OpenWriter).
        if (!dialect.IsPostgres) _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointEvery, CheckpointEvery);
    }

    /// <summary>
    /// The <c>auth_version</c> the last committed batch saw (-1 before the first): triggers bump it whenever an app's
    /// keys, limits or status, or its merchant's or user's status change, so caches of apps can tell at once.
    /// </summary>
    public long AuthVersion => Volatile.Read(ref _authVersion);

    private long _reruns;

    /// <summary>Batches this writer ran a second time with savepoints (a request failed after changing rows).</summary>
    public long Reruns => Interlocked.Read(ref _reruns);

    /// <summary>True on the writer's thread (inside a write).</summary>
    public bool OnWriterThread => Thread.CurrentThread == _thread;

    /// <summary>
    /// Queues <paramref name="work"/> and completes after the commit that holds it. <paramref name="claim"/>, when
    /// given, runs first, as part of the same request, and is kept even when <paramref name="work"/> fails (a request's nonce
    /// is spent whether or not its order went through); when the claim itself throws, nothing of the request is kept.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, IDbTransaction, T> work, Action<DbConnection, IDbTransaction>? claim = null)
    {
        var request = new Request<T>(work, claim);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Add(request);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "hishop writer" };
                _thread.Start();
            }
            else if (_queue.Count == 1) Monitor.Pulse(_gate);
        }
        return request.Completion.Task;
    }

    /// <summary>
    /// A write made from inside another write (on the writer's thread): it joins the running transaction in a
    /// savepoint of its own, as a nested call did when every write had its own transaction.
    /// </summary>
    public T Nested<T>(Func<DbConnection, IDbTransaction, T> work, Action<DbConnection, IDbTransaction>? claim = null)
    {
        if (claim is not null)
        {
            // The claim is kept even when the work fails, as in a batch.
            Nested<bool>((c, t) => { claim(c, t); return true; });
        }
        if (!OnWriterThread || _transaction is null || _connection is null) throw new InvalidOperationException("Not inside a write.");
        _transaction.Save("nested");
        try
        {
            var result = work(_connection, _transaction);
            _transaction.Release("nested");
            return result;
        }
        catch (Exception e) when (!Fatal(e))
        {
            _transaction.Rollback("nested");
            _transaction.Release("nested");
            throw;
        }
    }

    private void Run()
    {
        while (true)
        {
            List<Request> batch;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_queue.Count == 0) return;
                if (_queue.Count <= BatchCap)
                {
                    batch = _queue;
                    _queue = _spare;
                    _queue.Clear();
                }
                else
                {
                    batch = _queue.GetRange(0, BatchCap);
                    _queue.RemoveRange(0, BatchCap);
                }
            }
            RunBatch(batch);
            if (batch.Count <= BatchCap) { batch.Clear(); _spare = batch; }
        }
    }

    private void RunBatch(List<Request> batch)
    {
        DbTransaction? transaction = null;
        long started, committing;
        long? seen;
        var reran = false;
        try
        {
            _connection ??= OpenWriter();
            _turns?.LetOthersIn();
            if (Interlocked.Exchange(ref _finishCheckpoint, 0) == 1) FinishCheckpoint();
            started = Stopwatch.GetTimestamp();
            transaction = Begin(_connection);
            _transaction = transaction;
            if (!RunWithoutSavepoints(batch, _connection, transaction))
            {
                // A request failed after changing rows: nothing of this try is kept, and the batch runs again with a
                // savepoint per request (so that request's changes alone are undone).
                _transaction = null;
                transaction.Rollback();
                transaction.Dispose();
                Interlocked.Increment(ref _reruns);
                reran = true;
                transaction = Begin(_connection);
                _transaction = transaction;
                for (var i = 0; i < batch.Count; i++) batch[i].Run(_connection, transaction);
            }
            seen = _connection.Cached(transaction, "SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'auth_version'").Long();
            committing = Stopwatch.GetTimestamp();
            transaction.Commit();
        }
        catch (Exception e)
        {
            _transaction = null;
            // The batch did not commit: nobody in it is acknowledged, each gets the error. The connection is dropped
            // from the pool too (its handle may still hold a transaction, and carries the writer's pragmas) and replaced.
            try { transaction?.Rollback(); } catch (Exception) { }
            try { transaction?.Dispose(); } catch (Exception) { }
            if (_connection is not null)
            {
                try { Drop(_connection); } catch (Exception) { }
                _connection = null;
            }
            foreach (var request in batch) request.Fail(e);
            return;
        }
        // Committed: from here on nothing may fail the requests, whatever the bookkeeping does.
        _transaction = null;
        if (seen is { } v) Volatile.Write(ref _authVersion, v);
        foreach (var request in batch) request.Complete();
        Interlocked.Increment(ref _committedSinceCheckpoint);
        try
        {
            transaction.Dispose();
            WriterMetrics.Batch(batch.Count, Stopwatch.GetElapsedTime(started), Stopwatch.GetElapsedTime(committing), reran);
        }
        catch (Exception) { } // a metrics listener's failure is not the batch's
    }

    /// <summary>
    /// Runs the batch without savepoints (SQLite): false, with nothing answered, when a request failed after it had changed
    /// rows (the caller then rolls back and runs the batch with savepoints). PostgreSQL always runs with them.
    /// </summary>
    private static bool RunWithoutSavepoints(List<Request> batch, DbConnection connection, DbTransaction transaction)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            for (var i = 0; i < batch.Count; i++) batch[i].Run(connection, transaction);
            return true;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (!batch[i].RunUnguarded(connection, transaction, handle)) return false;
        }
        return true;
    }

    /// <summary>
    /// The batch's transaction. SQLite: <c>BEGIN IMMEDIATE</c>, which waits (busy_timeout) for other processes' writers,
    /// who meanwhile announce themselves (<see cref="WriterTurns"/>). PostgreSQL: the advisory write lock, held to the
    /// end of the transaction.
    /// </summary>
    private DbTransaction Begin(DbConnection connection)
    {
        if (!_dialect.IsPostgres)
        {
            using (_turns?.Waiting()) return connection.BeginTransaction();
        }
        var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        connection.Cached(transaction, "SELECT pg_advisory_xact_lock(@key)").With("@key", WriteLockKey).ExecuteNonQuery();
        return transaction;
    }

    /// <summary>Closes a connection that must not go back to the pool as it is (a failed batch, or the writer's own pragmas).</summary>
    private static void Drop(DbConnection connection)
    {
        Statements.Forget(connection);
        if (connection is SqliteConnection sqlite) SqliteConnection.ClearPool(sqlite);
        else if (connection is NpgsqlConnection pg) NpgsqlConnection.ClearPool(pg);
        connection.Dispose();
    }

    /// <summary>
    /// The writer's connection: a 64 MiB page cache (the indexes an order touches stay in memory), savepoint journals in
    /// memory, and no automatic checkpoints — copying the WAL into the database file (and its fsync) would otherwise land
    /// on whichever commit crosses 1,000 pages, a latency spike for every request in that batch. A timer checkpoints once
    /// a second instead, beside the writer (PASSIVE: it never blocks the writer or readers); see <see cref="RestartWalFrames"/>.
    /// </summary>
    private DbConnection OpenWriter()
    {
        var connection = _open();
        if (_dialect.IsPostgres) return connection;
        using (var pragmas = connection.CreateCommand())
        {
            // temp_store=MEMORY keeps each savepoint's sub-journal in memory: on a temporary file every first write to a
            // page inside a savepoint costs a file write (measured: an order's inserts 3–4× slower).
            // journal_size_limit: when the WAL starts over, a file larger than twice the restart size (in bytes, at
            // SQLite's default 4 KiB pages, which the store keeps) is cut back to that. Not less: cutting the file back
            // and growing it again at every restart cost the writer more than the restart itself (block allocation).
            pragmas.CommandText = "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY; " +
                                  $"PRAGMA journal_size_limit = {2 * RestartWalFrames * 4096};";
            pragmas.ExecuteNonQuery();
        }
        return connection;
    }

    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);
    private readonly Timer? _checkpoints;
    private int _committedSinceCheckpoint;
    private int _checkpointing;

    private int _finishCheckpoint;
    private long _checkpointsFinished;

    /// <summary>
    /// How many WAL frames (pages, 4 KiB each: 256 MiB) the WAL may hold before the writer finishes a checkpoint itself.
    /// </summary>
    /// <remarks>
    /// The timer's checkpoint copies the WAL into the database beside the writer. Under light load it catches up, and the
    /// next write starts the WAL from its beginning by itself. Under sustained load it never quite does: frames are
    /// committed while it copies, and the WAL would grow for as long as the load lasts. So once the WAL holds this many
    /// frames, the writer finishes the checkpoint between two batches (<see cref="FinishCheckpoint"/>), and the next
    /// write starts the WAL over. That costs the requests waiting at that moment about 10 ms (the frames left and an
    /// fsync of the database). Done after every tick, as before, it put about 1 % of the orders of a 64-connection burst
    /// over 25 ms; at this size it comes every few seconds at the most.
    /// </remarks>
    public const long RestartWalFrames = 65_536;

    private long _restartAfterFrames = RestartWalFrames;

    /// <summary>The restart size this writer uses (<see cref="RestartWalFrames"/>; tests lower it).</summary>
    internal long RestartAfterFrames
    {
        get => Volatile.Read(ref _restartAfterFrames);
        set => Volatile.Write(ref _restartAfterFrames, value);
    }

    /// <summary>
    /// Checkpoints the writer ran itself that copied the whole WAL, so the next write could start it over (see
    /// <see cref="RestartWalFrames"/>).
    /// </summary>
    internal long CheckpointsFinished => Interlocked.Read(ref _checkpointsFinished);

    /// <summary>A PASSIVE checkpoint's one row: busy (1 when another checkpoint held its lock), the frames in the WAL, and
    /// those copied into the database so far. A reader's older snapshot stops the copy short: no error, just fewer copied.</summary>
    private static (bool Busy, long Frames, long Copied) CheckpointPassive(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var result = command.ExecuteReader();
        return result.Read() ? (result.GetInt64(0) != 0, result.GetInt64(1), result.GetInt64(2)) : (true, 0, 0);
    }

    /// <summary>
    /// The writer's own checkpoint between two batches: it copies what the timer's left (the frames committed while it
    /// ran), after which the next write starts the WAL from its beginning.
    /// </summary>
    private void FinishCheckpoint()
    {
        try
        {
            var (busy, frames, copied) = CheckpointPassive(_connection!);
            if (!busy && copied == frames) Interlocked.Increment(ref _checkpointsFinished);
            // Otherwise (a reader's snapshot in the way, or the timer's checkpoint running): the WAL goes on from where it
            // is, and the next tick asks again while it is over the restart size.
        }
        catch (SqliteException) { } // the same: the next tick asks again
    }

    /// <summary>
    /// The timer's checkpoint; the frames the WAL held, or null when it did not run (nothing committed since the last
    /// one, or one still running). Internal: tests run it at once rather than wait for the tick.
    /// </summary>
    internal long? Checkpoint()
    {
        if (Volatile.Read(ref _committedSinceCheckpoint) == 0) return null;
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1) return null;
        Interlocked.Exchange(ref _committedSinceCheckpoint, 0);
        try
        {
            using var connection = _open();
            var (_, frames, _) = CheckpointPassive(connection);
            // Past the restart size the writer copies the rest between two batches. Even when this copy reached its end:
            // its view of the WAL ends where it began, and the writer has almost always committed more since (under
            // load the WAL would otherwise never start over).
            if (frames >= Volatile.Read(ref _restartAfterFrames)) Volatile.Write(ref _finishCheckpoint, 1);
            return frames;
        }
        catch (SqliteException)
        {
            // A checkpoint that could not run now runs at the next tick; nothing is lost (the WAL holds it).
            Interlocked.Increment(ref _committedSinceCheckpoint);
            return null;
        }
        finally { Volatile.Write(ref _checkpointing, 0); }
    }

    public void Dispose()
    {
        using (var stopped = new ManualResetEvent(false))
        {
            if (_checkpoints?.Dispose(stopped) == true) stopped.WaitOne(TimeSpan.FromSeconds(10)); // a running checkpoint finishes first
        }
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            Monitor.PulseAll(_gate);
        }
        thread?.Join();
        if (_connection is not null) Drop(_connection); // its pragmas are the writer's, not a reader's
    }

    private abstract class Request
    {
        public abstract void Run(DbConnection c, DbTransaction t);
        public abstract bool RunUnguarded(DbConnection c, DbTransaction t, sqlite3 handle);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class Request<T>(Func<DbConnection, IDbTransaction, T> work, Action<DbConnection, IDbTransaction>? claim) : Request
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private ExceptionDispatchInfo? _error;

        /// <summary>
        /// The request without a savepoint: true when it succeeded or failed before changing a row (its error is kept, and
        /// a claim that went through stays); false when it failed after changing rows, which only a savepoint can undo.
        /// </summary>
        public override bool RunUnguarded(DbConnection c, DbTransaction t, sqlite3 handle)
        {
            _result = default;
            _error = null;
            var changes = raw.sqlite3_total_changes(handle);
            try
            {
                if (claim is not null)
                {
                    claim(c, t);
                    changes = raw.sqlite3_total_changes(handle);
                }
                _result = work(c, t);
            }
            catch (Exception e) when (!Fatal(e))
            {
                // SQLite undoes a failed statement itself; rows changed by statements that completed are still there.
                InTransaction(handle);
                if (raw.sqlite3_total_changes(handle) != changes) return false;
                _error = ExceptionDispatchInfo.Capture(e);
                return true;
            }
            InTransaction(handle);
            return true;
        }

        /// <summary>
        /// A transaction that ended inside a request (SQLite rolled it back, or work ended it) fails the whole batch: what
        /// follows would otherwise commit statement by statement, outside the batch.
        /// </summary>
        private static void InTransaction(sqlite3 handle)
        {
            if (raw.sqlite3_get_autocommit(handle) != 0)
                throw new InvalidOperationException("The batch's transaction ended inside a request; the batch is not committed.");
        }

        public override void Run(DbConnection c, DbTransaction t)
        {
            _result = default;
            _error = null;
            Savepoint(c, t, "SAVEPOINT request");
            if (claim is not null)
            {
                try { claim(c, t); }
                catch (Exception e) when (!Fatal(e))
                {
                    Savepoint(c, t, "ROLLBACK TO request");
                    Savepoint(c, t, "RELEASE request");
                    _error = ExceptionDispatchInfo.Capture(e);
                    return;
                }
                Savepoint(c, t, "SAVEPOINT work");
            }
            try
            {
                _result = work(c, t);
                if (claim is not null) Savepoint(c, t, "RELEASE work");
            }
            catch (Exception e) when (!Fatal(e))
            {
                // Only this request's work is undone; its claim (when there is one) and the rest of the batch stay.
                Savepoint(c, t, claim is null ? "ROLLBACK TO request" : "ROLLBACK TO work");
                Savepoint(c, t, claim is null ? "RELEASE request" : "RELEASE work");
                if (claim is not null) Savepoint(c, t, "RELEASE request");
                _error = ExceptionDispatchInfo.Capture(e);
                return;
            }
            Savepoint(c, t, "RELEASE request");
        }

        private static void Savepoint(DbConnection c, DbTransaction t, string sql) => c.Cached(t, sql).ExecuteNonQuery();

        public override void Complete()
        {
            if (_error is not null) Completion.TrySetException(_error.SourceException);
            else Completion.TrySetResult(_result!);
        }

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }

    /// <summary>
    /// The disk or the file failed under the batch (SQLITE_IOERR, CORRUPT, FULL, NOTADB), or the PostgreSQL connection or
    /// server did (a lost connection, a shutdown, no resources): then the whole batch fails, not just one request, since
    /// nothing after it can be trusted to commit.
    /// </summary>
    private static bool Fatal(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 10 or 11 or 13 or 26 } => true,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal) ||
                                pg.SqlState.StartsWith("57", StringComparison.Ordinal) || pg.SqlState.StartsWith("58", StringComparison.Ordinal) ||
                                pg.SqlState.StartsWith("XX", StringComparison.Ordinal),
        NpgsqlException => true, // not an answer from the server: the connection broke
        _ => false,
    };
}

/// <summary>
/// The writer's numbers, on the <c>HiShopping.Store</c> meter (watch them with
/// <c>dotnet-counters monitor -n hishop --counters HiShopping.Store</c>).
/// </summary>
internal static class WriterMetrics
{
    private static readonly Meter Meter = new("HiShopping.Store");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("hishop.writer.batch.size", "{request}", "Requests committed together");
    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>("hishop.writer.batch.duration", "ms", "From BEGIN to the end of COMMIT");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("hishop.writer.commit.duration", "ms", "COMMIT alone (the fsync)");

    private static readonly Counter<long> Reruns = Meter.CreateCounter<long>("hishop.writer.batch.reruns", "{batch}",
        "Batches run again with a savepoint per request, after a request failed part-way through its changes");

    public static void Batch(int size, TimeSpan batch, TimeSpan commit, bool reran)
    {
        if (reran) Reruns.Add(1);
        if (!BatchSize.Enabled) return;
        BatchSize.Record(size);
        BatchDuration.Record(batch.TotalMilliseconds);
        CommitDuration.Record(commit.TotalMilliseconds);
    }
}
