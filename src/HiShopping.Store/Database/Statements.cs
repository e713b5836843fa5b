using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace HiShopping.Store.Database;

/// <summary>
/// Prepared statements kept per connection, for the statements the writer runs on every request (order placement,
/// ledger appends, nonces): the database parses and plans each once per connection instead of once per call.
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
    private static readonly ConditionalWeakTable<sqlite3, Dictionary<string, SqliteStatement>> Sqlite = new();
    internal const int MaxPerHandle = 256;
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, Statement>> Commands = new();

    /// <summary>The connection's prepared statement for <paramref name="sql"/> (one statement), in <paramref name="transaction"/>.</summary>
    public static Statement Cached(this DbConnection connection, IDbTransaction? transaction, string sql)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            // A pooled handle serves one connection at a time, so its statements are never shared between threads.
            var statements = Sqlite.GetOrCreateValue(handle);
            if (!statements.TryGetValue(sql, out var statement))
            {
                // Kept SQL is parameterized, so a handle sees a few dozen shapes; should a caller ever build values into
                // it, the handle starts afresh here instead of keeping statements without end (those dropped are
                // finalized when collected, so one still being read stays valid).
                if (statements.Count >= MaxPerHandle) statements.Clear();
                statement = new SqliteStatement(handle, sql);
                statements[sql] = statement;
            }
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

    /// <summary>
    /// Finalizes the statements kept on <paramref name="connection"/>'s SQLite handle, before the handle is closed for
    /// good (otherwise SQLite keeps the closed handle, and its file, until the statements are collected).
    /// </summary>
    public static void Forget(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || !Sqlite.TryGetValue(handle, out var statements)) return;
        foreach (var statement in statements.Values) statement.Dispose();
        Sqlite.Remove(handle);
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

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly string[] _names;
    private readonly long _all;
    private readonly SqliteRows _rows;
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
        _rows = new SqliteRows(this);
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
    private int Step()
    {
        var waited = 0;
        while (true)
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc is RowCode or DoneCode) return rc;
            if (rc is Busy or Locked && waited < 30_000)
            {
                raw.sqlite3_reset(_statement);
                Thread.Sleep(150);
                waited += 150;
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
        while (Step() == RowCode) { }
        var changes = raw.sqlite3_stmt_readonly(_statement) != 0 ? -1 : raw.sqlite3_changes(_db);
        End();
        return changes;
    }

    public override long? Long()
    {
        Start();
        long? value = Step() == RowCode && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL ? raw.sqlite3_column_int64(_statement, 0) : null;
        End();
        return value;
    }

    public override Rows ExecuteReader()
    {
        Start();
        _rows.Open();
        return _rows;
    }

    /// <summary>Finalizes the statement (its connection's handle is about to close).</summary>
    public void Dispose() => _statement.Dispose();

    /// <summary>The statement's one reader: a statement is read by one caller at a time.</summary>
    private sealed class SqliteRows(SqliteStatement s) : Rows
    {
        private bool _open, _row, _done;

        public void Open()
        {
            _open = true;
            _row = _done = false;
        }

        public override bool Read()
        {
            if (!_open) throw new InvalidOperationException("The reader is closed.");
            if (_done) return false; // a step past the end would run the statement again
            _row = s.Step() == RowCode;
            _done = !_row;
            return _row;
        }

        private void Check(int ordinal)
        {
            if (!_row) throw new InvalidOperationException("No row to read.");
            if ((uint)ordinal >= (uint)raw.sqlite3_column_count(s._statement)) throw new ArgumentOutOfRangeException(nameof(ordinal));
        }

        public override long GetInt64(int ordinal)
        {
            Check(ordinal);
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

        public override void Dispose()
        {
            if (!_open) return;
            _open = _row = _done = false;
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
