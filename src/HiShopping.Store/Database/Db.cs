using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HiShopping.Store.Database;

/// <summary>
/// Opens connections to the store for reads (one per operation, each with the pragmas the store relies on) and
/// runs every write through the process's one <see cref="GroupCommit"/> writer. The store is a SQLite file or, when
/// <see cref="StoreOptions.ConnectionString"/> is set, a PostgreSQL database (see <see cref="Dialect"/>).
/// </summary>
public sealed class Db : IDisposable
{
    private readonly string _connectionString = "";
    private readonly GroupCommit _writer;
    private readonly string _mmap = "";
    private readonly NpgsqlDataSource? _postgres;

    public Db(StoreOptions options)
    {
        Path = options.Describe();
        if (options.ConnectionString is { } pg)
        {
            Dialect = Dialect.Postgres;
            var builder = new NpgsqlConnectionStringBuilder(pg);
            // What the operator's string sets (Npgsql's own builder answers ContainsKey for every keyword it knows).
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = pg };
            // The statements of the order path run thousands of times: Npgsql prepares them on each physical connection
            // after their second use (unless the connection string says otherwise).
            if (!given.ContainsKey("Max Auto Prepare")) builder.MaxAutoPrepare = 64;
            if (!given.ContainsKey("Application Name")) builder.ApplicationName = "hishop";
            // Nothing the store does outlives a transaction on a connection (its advisory lock is transaction-scoped, it
            // sets no session settings), so a connection back from the pool needs no reset round trip.
            if (!given.ContainsKey("No Reset On Close")) builder.NoResetOnClose = true;
            _postgres = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
            _writer = new GroupCommit(Open, null, Dialect);
            return;
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DbPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Not ForeignKeys = true: Microsoft.Data.Sqlite would run that pragma on every Open, pooled or not. Open
            // sets it once per handle below, and nothing turns it off.
            DefaultTimeout = 30,
        }.ToString();
        _mmap = options.MapDatabase ? " PRAGMA mmap_size = 268435456;" : "";
        _writer = new GroupCommit(Open, new WriterTurns(options), Dialect);
    }

    public Dialect Dialect { get; } = Dialect.Sqlite;

    /// <summary>The writer's view of <c>auth_version</c> after its last commit (see <see cref="GroupCommit.AuthVersion"/>).</summary>
    public long CommittedAuthVersion => _writer.AuthVersion;

    /// <summary>The process's one writer (tests reach its reruns, checkpoint and restart size).</summary>
    internal GroupCommit Writer => _writer;

    /// <summary>The database in words: its file, or the PostgreSQL server and database (never the password).</summary>
    public string Path { get; }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = new();
    private static readonly object Marker = new();

    public DbConnection Open()
    {
        if (_postgres is not null) return _postgres.OpenConnection();
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Pooled connections keep their SQLite handle, and pragmas live on the handle: set them once per handle.
        if (Prepared.TryGetValue(connection.Handle!, out _)) return connection;
        try
        {
            using var command = connection.CreateCommand();
            // synchronous is per connection; busy_timeout lets writers from other processes (the CLI next to serve) wait
            // their turn. mmap (serve only, see StoreOptions.MapDatabase): reads come from the OS page cache without a
            // system call.
            command.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;" + _mmap;
            command.ExecuteNonQuery();
        }
        catch
        {
            // Back to the pool unmarked: a handle is marked only once every pragma is on it, so its next Open sets them again.
            connection.Dispose();
            throw;
        }
        Prepared.AddOrUpdate(connection.Handle!, Marker);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the writer's next batch and returns once its commit is on disk; its error when
    /// it failed (then nothing of it was kept). From inside another write it joins that write.
    /// </summary>
    public T Write<T>(Func<DbConnection, IDbTransaction, T> work) =>
        _writer.OnWriterThread ? _writer.Nested(work) : _writer.WriteAsync(work).GetAwaiter().GetResult();

    public void Write(Action<DbConnection, IDbTransaction> work) =>
        Write<bool>((c, t) => { work(c, t); return true; });

    /// <summary>
    /// <see cref="Write{T}"/> without holding a thread while the batch commits. <paramref name="claim"/> runs first
    /// and is kept even when <paramref name="work"/> fails (see <see cref="GroupCommit.WriteAsync{T}"/>).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, IDbTransaction, T> work, Action<DbConnection, IDbTransaction>? claim = null) =>
        _writer.OnWriterThread ? NestedAsync(work, claim) : _writer.WriteAsync(work, claim);

    private Task<T> NestedAsync<T>(Func<DbConnection, IDbTransaction, T> work, Action<DbConnection, IDbTransaction>? claim)
    {
        try { return Task.FromResult(_writer.Nested(work, claim)); }
        catch (Exception e) { return Task.FromException<T>(e); }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _postgres?.Dispose();
    }
}
