using System.Data;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Database;

/// <summary>Opens connections to the store: one per operation, each with the pragmas the store relies on.</summary>
public sealed class Db
{
    private readonly string _connectionString;

    public Db(StoreOptions options)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DbPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        Path = options.DbPath;
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // synchronous is per connection; busy_timeout lets writers from other processes (the CLI next to serve) wait their turn.
        command.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one immediate (write-locking) transaction and commits it.</summary>
    public T Write<T>(Func<SqliteConnection, IDbTransaction, T> work)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    public void Write(Action<SqliteConnection, IDbTransaction> work) =>
        Write<bool>((c, t) => { work(c, t); return true; });
}
