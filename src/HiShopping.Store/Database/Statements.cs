using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace HiShopping.Store.Database;

/// <summary>
/// Prepared statements kept per connection, for the statements of the hot paths: what the writer runs on every request
/// (order placement, ledger appends, nonces) and the commonest reads (transactions pages, the credit overview, the
/// token check of every signed-in request). The database parses and plans each once per connection instead of once
/// per call.
/// Parameters are named <c>@name</c> in the SQL and bound with <c>With</c>.
/// </summary>
/// <remarks>
/// On SQLite the statement is SQLite's own (SQLitePCLRaw, the layer under Microsoft.Data.Sqlite), kept on the
/// connection's handle: its parameters are looked up by name once, when it is prepared, and bound by position after
/// that. Through <see cref="SqliteCommand"/> every execution looked each parameter up again by name (a UTF-8 copy of
/// the name and a native call per parameter) and boxed every value: a tenth of the writer's time under a burst of
/// orders. On PostgreSQL the command is kept the same way and Npgsql prepares it on the server after its second use
/// (automatic preparation, see <see cref="Db"/>): an explicit prepare would cost a round trip on every short-lived
/// connection.
/// </remarks>
public static class Statements
{
    internal const int MaxPerHandle = 256;
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, Statement>> Commands = new();

    // The SQLite handles with kept statements. SQLite closes a handle only once its statements are finalized, so those
    // of a handle the pool has closed are finalized here (at the next Cached after a second has passed), not left to the
    // garbage collector with the file, its map and its page cache still open.
    private static readonly ConcurrentDictionary<sqlite3, KeptStatements> Handles = new();
    private static long _nextSweep;

    /// <summary>The connection's prepared statement for <paramref name="sql"/> (one statement), in <paramref name="transaction"/>.</summary>
    public static Statement Cached(this DbConnection connection, IDbTransaction? transaction, string sql)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            if (!Handles.TryGetValue(handle, out var kept))
            {
                kept = Handles.GetOrAdd(handle, _ => new KeptStatements());
                Sweep(force: true);
            }
            else Sweep(force: false);
            // A pooled handle serves one connection at a time, so its statements are never shared between threads.
            var statement = kept.Get(handle, sql);
            statement.Begin();
            return statement;
        }
        var commands = Commands.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            var dbCommand = connection.CreateCommand();
            dbCommand.CommandText = sql;
            if (connection is not NpgsqlConnection) dbCommand.Prepare();
            command = new CommandStatement(dbCommand);
            commands[sql] = command;
        }
        ((CommandStatement)command).Enlist((DbTransaction?)transaction);
        return command;
    }

    private static readonly Lock Sweeping = new();

    /// <summary>
    /// Finalizes the statements of closed handles: at most once a second on the way, and always (waiting for a sweep
    /// already running) when a new handle is first seen, which is rare.
    /// </summary>
    private static void Sweep(bool force)
    {
        var now = Environment.TickCount64;
        if (!force && now < Volatile.Read(ref _nextSweep)) return;
        if (force) Sweeping.Enter();
        else if (!Sweeping.TryEnter()) return; // another thread sweeps
        try
        {
            Volatile.Write(ref _nextSweep, now + 1000);
            foreach (var (handle, kept) in Handles)
                if (handle.IsClosed && Handles.TryRemove(handle, out _)) kept.Dispose();
        }
        finally { Sweeping.Exit(); }
    }

    /// <summary>
    /// Finalizes the statements kept on <paramref name="connection"/>'s SQLite handle now (the writer's, before it drops
    /// its connection); those of a handle the pool closes are finalized by the next sweep.
    /// </summary>
    public static void Forget(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && Handles.TryRemove(handle, out var kept)) kept.Dispose();
    }

    /// <summary>The statements kept on one SQLite handle, by SQL.</summary>
    private sealed class KeptStatements : IDisposable
    {
        private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

        public SqliteStatement Get(sqlite3 handle, string sql)
        {
            if (_statements.TryGetValue(sql, out var statement)) return statement;
            // Kept SQL is parameterized, so a handle sees a few dozen shapes; should a caller ever build values into it,
            // the handle starts afresh here instead of keeping statements without end. One still being read is left to
            // its finalizer, so that reader stays valid.
            if (_statements.Count >= MaxPerHandle)
            {
                foreach (var kept in _statements.Values)
                    if (!kept.InUse) kept.Dispose();
                _statements.Clear();
            }
            statement = new SqliteStatement(handle, sql);
            _statements[sql] = statement;
            return statement;
        }

        public void Dispose()
        {
            foreach (var statement in _statements.Values) statement.Dispose();
            _statements.Clear();
        }
    }
}

/// <summary>A prepared statement: bind its parameters with <c>With</c>, then run it.</summary>
public abstract class Statement
{
    /// <summary>Binds <paramref name="name"/> (with its @).</summary>
    public abstract Statement With(string name, long value);

    public abstract Statement With(string name, string? value);

    public Statement With(string name, int value) => With(name, (long)value);

    public Statement With(string name, long? value) => value is { } v ? With(name, v) : With(name, (string?)null);

    /// <summary>Runs it to the end; the rows it inserted, updated or deleted (-1 for a statement that writes nothing).</summary>
    public abstract int ExecuteNonQuery();

    /// <summary>Runs it; the first column of its first row as a long, or null when there is no row (or it is NULL).</summary>
    public abstract long? Long();

    /// <summary>
    /// Runs an <c>INSERT</c> of one new row (no upsert: a row updated instead has no new id) and gives the row's id: on
    /// SQLite the rowid SQLite assigned (write the statement without <c>RETURNING</c>: SQLite gathers a <c>RETURNING</c>'s
    /// rows in a temporary B-tree, opened and closed on every run), on PostgreSQL the value of the statement's
    /// <c>RETURNING id</c>.
    /// </summary>
    public abstract long InsertedId();

    /// <summary>Runs it and reads its rows; dispose the reader before the statement is run again.</summary>
    public abstract Rows ExecuteReader();
}

/// <summary>The rows of a <see cref="Statement"/>, read by position.</summary>
public abstract class Rows : IDisposable
{
    public abstract bool Read();
    public abstract long GetInt64(int ordinal);
    public abstract string GetString(int ordinal);
    public abstract bool IsDBNull(int ordinal);
    public abstract void Dispose();
}

/// <summary>A statement on SQLite's own API; its parameters' positions are looked up once.</summary>
internal sealed class SqliteStatement : Statement, IDisposable
{
    private const int RowCode = 100, DoneCode = 101, Busy = 5, Locked = 6;
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(30);

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly string[] _names;
    private readonly long _all;
    private SqliteRows? _reader; // the open run's reader
    private long _bound; // one bit per parameter bound since the last run

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        // PERSISTENT (1): the statement is kept for the connection's life, and SQLite allocates it accordingly.
        var rc = raw.sqlite3_prepare_v3(db, sql, 1, out var statement, out string tail);
        if (rc != 0)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        if (statement is null || statement.IsInvalid || !string.IsNullOrWhiteSpace(tail))
        {
            statement?.Dispose();
            throw new ArgumentException("A kept statement is exactly one SQL statement.", nameof(sql));
        }
        _statement = statement;
        var count = raw.sqlite3_bind_parameter_count(statement);
        if (count > 63)
        {
            statement.Dispose();
            throw new ArgumentException("A kept statement has at most 63 parameters.", nameof(sql));
        }
        _names = new string[count];
        for (var i = 0; i < count; i++) _names[i] = raw.sqlite3_bind_parameter_name(statement, i + 1).utf8_to_string();
        _all = (1L << count) - 1;
    }

    /// <summary>True while a run has values bound or a reader open.</summary>
    public bool InUse => _bound != 0 || _reader is not null;

    /// <summary>
    /// A new use: what an earlier one left (values bound before it threw, a reader never disposed) is cleared first, so
    /// nothing of it can reach this run.
    /// </summary>
    public void Begin()
    {
        if (!InUse) return;
        _reader = null;
        End();
    }

    private int Index(string name)
    {
        var names = _names;
        for (var i = 0; i < names.Length; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
    }

    public override Statement With(string name, long value)
    {
        var i = Index(name);
        Check(raw.sqlite3_bind_int64(_statement, i + 1, value));
        _bound |= 1L << i;
        return this;
    }

    public override Statement With(string name, string? value)
    {
        var i = Index(name);
        // UTF-16 straight from the string: SQLite converts it to the database's UTF-8 itself, with no copy made here.
        Check(value is null ? raw.sqlite3_bind_null(_statement, i + 1) : raw.sqlite3_bind_text16(_statement, i + 1, value.AsSpan()));
        _bound |= 1L << i;
        return this;
    }

    private void Check(int rc)
    {
        if (rc != 0) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Every parameter must be bound for each run, as <see cref="SqliteCommand"/> demands.</summary>
    private void Start()
    {
        if (_bound == _all) return;
        var missing = Enumerable.Range(0, _names.Length).Where(i => (_bound & (1L << i)) == 0).Select(i => _names[i]).ToList();
        End();
        throw new InvalidOperationException($"Must add values for the following parameters: {string.Join(", ", missing)}");
    }

    /// <summary>
    /// One step, waiting out SQLITE_BUSY as <see cref="SqliteCommand"/> does (another process's writer; the writer
    /// itself already holds the write lock). An error ends the run and throws <see cref="SqliteException"/>.
    /// </summary>
    private int Step(bool first)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc is RowCode or DoneCode) return rc;
            // busy_timeout has already waited inside the step; like SqliteCommand, the run starts over for up to 30 s
            // more, but only before its first row (starting over later would return rows twice).
            if (first && rc is Busy or Locked && Stopwatch.GetElapsedTime(started) < BusyRetry)
            {
                raw.sqlite3_reset(_statement);
                Thread.Sleep(150);
                continue;
            }
            try
            {
                SqliteException.ThrowExceptionForRC(rc, _db); // takes SQLite's message before End resets the statement
                throw new SqliteException($"SQLite returned {rc}.", rc);
            }
            finally { End(); }
        }
    }

    /// <summary>Back to the start with no parameter bound, ready for the next run.</summary>
    private void End()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        _bound = 0;
    }

    public override int ExecuteNonQuery()
    {
        Start();
        if (Step(first: true) == RowCode)
            while (Step(first: false) == RowCode) { }
        var changes = raw.sqlite3_stmt_readonly(_statement) != 0 ? -1 : raw.sqlite3_changes(_db);
        End();
        return changes;
    }

    public override long? Long()
    {
        Start();
        // An integer, as the old ExecuteScalar pattern read it; NULL, no row, or another type is null.
        long? value = Step(first: true) == RowCode && raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_INTEGER ? raw.sqlite3_column_int64(_statement, 0) : null;
        End();
        return value;
    }

    public override long InsertedId()
    {
        if (ExecuteNonQuery() != 1) throw new InvalidOperationException("InsertedId runs an INSERT of exactly one row.");
        return raw.sqlite3_last_insert_rowid(_db);
    }

    public override Rows ExecuteReader()
    {
        if (_reader is not null) throw new InvalidOperationException("This statement's reader is still open: dispose it first.");
        Start();
        return _reader = new SqliteRows(this);
    }

    /// <summary>Finalizes the statement (its connection's handle is about to close).</summary>
    public void Dispose() => _statement.Dispose();

    /// <summary>One run's reader; it goes stale (and says so) once the statement is used again.</summary>
    private sealed class SqliteRows(SqliteStatement s) : Rows
    {
        private bool _row, _done, _started;

        public bool IsOpen => ReferenceEquals(s._reader, this);

        private void Current()
        {
            if (!IsOpen) throw new InvalidOperationException("The reader is closed: it was disposed, or its statement was used again.");
        }

        public override bool Read()
        {
            Current();
            if (_done) return false; // a step past the end (or past an error) would run the statement again
            _row = false;
            _done = true;
            var first = !_started;
            _started = true;
            _row = s.Step(first) == RowCode;
            _done = !_row;
            return _row;
        }

        private void Check(int ordinal)
        {
            Current();
            if (!_row) throw new InvalidOperationException("No row to read.");
            if ((uint)ordinal >= (uint)raw.sqlite3_column_count(s._statement)) throw new ArgumentOutOfRangeException(nameof(ordinal));
        }

        public override long GetInt64(int ordinal)
        {
            Check(ordinal);
            if (raw.sqlite3_column_type(s._statement, ordinal) == raw.SQLITE_NULL) throw new InvalidCastException($"Column {ordinal} is NULL.");
            return raw.sqlite3_column_int64(s._statement, ordinal);
        }

        public override string GetString(int ordinal)
        {
            Check(ordinal);
            if (raw.sqlite3_column_type(s._statement, ordinal) == raw.SQLITE_NULL) throw new InvalidCastException($"Column {ordinal} is NULL.");
            // The text's bytes as stored (its length from SQLite, so a NUL inside it does not cut it short).
            return Encoding.UTF8.GetString(raw.sqlite3_column_blob(s._statement, ordinal));
        }

        public override bool IsDBNull(int ordinal)
        {
            Check(ordinal);
            return raw.sqlite3_column_type(s._statement, ordinal) == raw.SQLITE_NULL;
        }

        /// <summary>Ends the run, unless the statement has moved on to another (a late second Dispose is harmless).</summary>
        public override void Dispose()
        {
            if (!IsOpen) return;
            s._reader = null;
            s.End();
        }
    }
}

/// <summary>A kept <see cref="DbCommand"/> (PostgreSQL).</summary>
internal sealed class CommandStatement(DbCommand command) : Statement
{
    public void Enlist(DbTransaction? transaction) => command.Transaction = transaction;

    private CommandStatement Set(string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index >= 0)
        {
            parameters[index].Value = value ?? DBNull.Value;
            return this;
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
        return this;
    }

    public override Statement With(string name, long value) => Set(name, value);

    public override Statement With(string name, string? value) => Set(name, value);

    public override int ExecuteNonQuery() => command.ExecuteNonQuery();

    // Widened as Dapper would: PostgreSQL's SUM is numeric, its EXISTS boolean.
    public override long? Long() => command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    public override long InsertedId() => Long() ?? throw new InvalidOperationException(
        "InsertedId through a DbCommand needs the statement's RETURNING id (PostgreSQL); on SQLite it needs the SqliteConnection itself.");

    public override Rows ExecuteReader() => new CommandRows(command.ExecuteReader());

    private sealed class CommandRows(DbDataReader reader) : Rows
    {
        public override bool Read() => reader.Read();
        public override long GetInt64(int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
        public override string GetString(int ordinal) => reader.GetString(ordinal);
        public override bool IsDBNull(int ordinal) => reader.IsDBNull(ordinal);
        public override void Dispose() => reader.Dispose();
    }
}
