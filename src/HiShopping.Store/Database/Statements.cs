using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace HiShopping.Store.Database;

/// <summary>
/// Prepared statements kept per connection, for the statements the writer runs on every request (order placement,
/// ledger appends, nonces): SQLite parses and plans each once per connection instead of once per call. On a
/// short-lived connection this costs nothing extra; on the writer's long-lived one it is most of the write path's CPU.
/// On PostgreSQL the command is kept the same way and Npgsql prepares it on the server after its second use (automatic
/// preparation, see <see cref="Db"/>): an explicit prepare would cost a round trip on every short-lived connection.
/// Parameters are named <c>@name</c> in the SQL and bound with <see cref="With"/>.
/// </summary>
public static class Statements
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Cache = new();

    /// <summary>The connection's prepared command for <paramref name="sql"/>, enlisted in <paramref name="transaction"/>.</summary>
    public static DbCommand Cached(this DbConnection connection, IDbTransaction? transaction, string sql)
    {
        var commands = Cache.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            if (connection is not NpgsqlConnection) command.Prepare();
            commands[sql] = command;
        }
        command.Transaction = (DbTransaction?)transaction;
        return command;
    }

    /// <summary>Binds <paramref name="name"/> (with its @) to <paramref name="value"/> (null as SQL NULL).</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index >= 0)
        {
            parameters[index].Value = value ?? DBNull.Value;
            return command;
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
        return command;
    }

    /// <summary>Runs it; the first column of the first row as a long, or null when there is no row (or it is NULL).</summary>
    public static long? Long(this DbCommand command) => command.ExecuteScalar() switch
    {
        long value => value,
        int value => value,
        _ => null,
    };
}
