using System.Data.Common;
using Npgsql;

namespace HiShopping.Store.Database;

/// <summary>
/// Where SQLite and PostgreSQL need different SQL. Everything else is written once, in the SQL both accept (upserts as
/// <c>INSERT … ON CONFLICT</c>, <c>RETURNING</c>, <c>LIMIT … OFFSET</c>, subqueries with an alias, integers for money
/// and time). A service asks its connection for the dialect (<c>c.Dialect()</c>) where a statement differs, so the two
/// forms stand side by side next to the method that runs them.
/// </summary>
public sealed class Dialect
{
    public static readonly Dialect Sqlite = new(postgres: false);
    public static readonly Dialect Postgres = new(postgres: true);

    private Dialect(bool postgres) => IsPostgres = postgres;

    public bool IsPostgres { get; }

    /// <summary>The text values of a JSON array parameter (<c>["a","b"]</c>), as a subquery for <c>IN (…)</c>.</summary>
    public string JsonTexts(string parameter) => IsPostgres
        ? $"SELECT jsonb_array_elements_text(CAST({parameter} AS jsonb))"
        : $"SELECT value FROM json_each({parameter})";

    /// <summary>True when <paramref name="text"/> holds <paramref name="part"/>, case as given (SQLite's instr, PostgreSQL's strpos).</summary>
    public string Contains(string text, string part) => IsPostgres
        ? $"strpos({text}, {part}) > 0"
        : $"instr({text}, {part}) > 0";

    /// <summary>A JSON array built from one object per row: <c>json_group_array(json_object(…))</c> or its PostgreSQL twin.</summary>
    public string JsonArrayOfObjects(string keysAndValues) => IsPostgres
        ? $"COALESCE(json_agg(json_build_object({keysAndValues})), '[]')::text"
        : $"json_group_array(json_object({keysAndValues}))";
}

public static class DialectExtensions
{
    /// <summary>
    /// A read transaction that sees one moment of the database throughout, while writers go on: SQLite's deferred
    /// transaction (a WAL snapshot from its first read), PostgreSQL's REPEATABLE READ.
    /// </summary>
    public static DbTransaction BeginSnapshot(this DbConnection connection) => connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
        ? sqlite.BeginTransaction(deferred: true)
        : connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);

    /// <summary>The dialect of the database behind <paramref name="connection"/>.</summary>
    public static Dialect Dialect(this DbConnection connection) => connection is NpgsqlConnection ? Database.Dialect.Postgres : Database.Dialect.Sqlite;
}
