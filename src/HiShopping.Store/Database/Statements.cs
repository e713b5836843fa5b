using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Database;

/// <summary>
/// Prepared statements kept per connection, for the statements the writer runs on every request (order placement,
/// ledger appends, nonces): SQLite parses and plans each once per connection instead of once per call. On a
/// short-lived connection this costs nothing extra; on the writer's long-lived one it is most of the write path's CPU.
/// Parameters are named <c>@name</c> in the SQL and bound with <see cref="With"/>.
/// </summary>
public static class Statements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Cache = new();

    /// <summary>The connection's prepared command for <paramref name="sql"/>, enlisted in <paramref name="transaction"/>.</summary>
    public static SqliteCommand Cached(this SqliteConnection connection, IDbTransaction? transaction, string sql)
    {
        var commands = Cache.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Prepare();
            commands[sql] = command;
        }
        command.Transaction = (SqliteTransaction?)transaction;
        return command;
    }

    /// <summary>Binds <paramref name="name"/> (with its @) to <paramref name="value"/> (null as SQL NULL).</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0) parameters.AddWithValue(name, value ?? DBNull.Value);
        else parameters[index].Value = value ?? DBNull.Value;
        return command;
    }

    /// <summary>Runs it; the first column of the first row as a long, or null when there is no row (or it is NULL).</summary>
    public static long? Long(this SqliteCommand command) => command.ExecuteScalar() is long value ? value : null;
}
