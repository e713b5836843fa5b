using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Database;

/// <summary>Applies the numbered SQL scripts embedded in this assembly, in order, once each.</summary>
public sealed class Migrator(Db db)
{
    private const string ResourcePrefix = "HiShopping.Store.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>Applies pending migrations; returns the names of those applied now.</summary>
    public IReadOnlyList<string> Migrate()
    {
        using var connection = db.Open();
        // WAL is persistent in the file: set once, then every connection uses it.
        var mode = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The database at {db.Path} could not be switched to WAL mode (it reports '{mode}').");

        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT;
            """);

        var applied = new List<string>();
        var done = connection.Query<long>("SELECT version FROM schema_migrations").ToHashSet();
        foreach (var (version, name, sql) in Scripts)
        {
            // Applied scripts are skipped without taking the write lock (a command next to a busy serve need not wait).
            if (done.Contains(version)) continue;
            using var transaction = connection.BeginTransaction();
            const string IsApplied = "SELECT COUNT(*) FROM schema_migrations WHERE version = @version";
            if (connection.ExecuteScalar<long>(IsApplied, new { version }, transaction) > 0)
                continue;
            connection.Execute(sql, transaction: transaction);
            const string Record = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)";
            connection.Execute(Record, new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            transaction.Commit();
            applied.Add(name);
        }

        CheckPragmas(connection);
        return applied;
    }

    public int CurrentVersion()
    {
        using var connection = db.Open();
        var exists = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
        return exists == 0 ? 0 : connection.ExecuteScalar<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    }

    /// <summary>Fails loudly when the database is not running the way SPEC §10 requires.</summary>
    public static void CheckPragmas(SqliteConnection connection)
    {
        var journal = connection.ExecuteScalar<string>("PRAGMA journal_mode");
        var synchronous = connection.ExecuteScalar<long>("PRAGMA synchronous");
        var foreignKeys = connection.ExecuteScalar<long>("PRAGMA foreign_keys");
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) || synchronous != 2 || foreignKeys != 1)
            throw new InvalidOperationException(
                $"Database pragmas are off: journal_mode={journal}, synchronous={synchronous} (want 2=FULL), foreign_keys={foreignKeys}.");
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }
        return scripts.OrderBy(s => s.Item1).ToList();
    }
}
