using System.Data;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Database;

/// <summary>
/// One SQL statement prepared once and run many times with new values, for the loops that write many rows in one
/// transaction (catalog imports, batches of orders): parsing and planning the statement is paid once, not per row.
/// Parameters are named <c>@name</c> in the SQL and set by the same name.
/// </summary>
public sealed class Prepared : IDisposable
{
    private readonly SqliteCommand _command;

    public Prepared(SqliteConnection connection, IDbTransaction? transaction, string sql, params string[] parameters)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _command.Transaction = (SqliteTransaction?)transaction;
        foreach (var name in parameters) _command.Parameters.Add(new SqliteParameter("@" + name, null));
        _command.Prepare();
    }

    public Prepared Set(string name, object? value)
    {
        _command.Parameters["@" + name].Value = value ?? DBNull.Value;
        return this;
    }

    /// <summary>Runs it; the number of rows changed.</summary>
    public int Execute() => _command.ExecuteNonQuery();

    /// <summary>Runs it; the first column of the first row, or null.</summary>
    public object? Scalar()
    {
        var value = _command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public void Dispose() => _command.Dispose();
}
