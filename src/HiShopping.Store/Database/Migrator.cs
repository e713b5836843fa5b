using System.Reflection;
using Dapper;
using System.Data.Common;

namespace HiShopping.Store.Database;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly, in order, once each. SQLite's are in <c>Migrations/</c>,
/// PostgreSQL's in <c>Migrations/postgres/</c>: the same versions with the same names, each written for its database,
/// so a store on either is at the same schema version after the same release.
/// </summary>
public sealed class Migrator(Db db)
{
    private const string SqlitePrefix = "HiShopping.Store.Migrations.";
    private const string PostgresPrefix = "HiShopping.Store.PostgresMigrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts(SqlitePrefix);

    public static IReadOnlyList<(int Version, string Name, string Sql)> PostgresScripts { get; } = LoadScripts(PostgresPrefix);

    /// <summary>Applies pending migrations; returns the names of those applied now.</summary>
    public IReadOnlyList<string> Migrate()
    {
        using var connection = db.Open();
        var postgres = db.Dialect.IsPostgres;
        if (!postgres)
        {
            // WAL is persistent in the file: set once, then every connection uses it.
            var mode = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"The database at {db.Path} could not be switched to WAL mode (it reports '{mode}').");
        }

        connection.Execute(postgres
            ? """
              CREATE TABLE IF NOT EXISTS schema_migrations (
                  version BIGINT PRIMARY KEY,
                  name TEXT NOT NULL,
                  applied_at BIGINT NOT NULL
              );
              """
            : """
              CREATE TABLE IF NOT EXISTS schema_migrations (
                  version INTEGER PRIMARY KEY,
                  name TEXT NOT NULL,
                  applied_at INTEGER NOT NULL
              ) STRICT;
              """);

        var applied = new List<string>();
        var done = connection.Query<long>("SELECT version FROM schema_migrations").ToHashSet();
        // A store a newer hishop has migrated may rely on what this one does not do (since version 10 the code, not
        // triggers, keeps the ledger's rollups): refuse it rather than write to it the old way.
        var scripts = postgres ? PostgresScripts : Scripts;
        var known = scripts[^1].Version;
        if (done.Count > 0 && done.Max() > known)
            throw new StoreSetupException(
                $"The database is at schema version {done.Max()}, made by a newer hishop; this one knows up to version {known}. Run the newer hishop (./install.sh from its release).");
        foreach (var (version, name, sql) in scripts)
        {
            // Applied scripts are skipped without taking the write lock (a command next to a busy serve need not wait).
            if (done.Contains(version)) continue;
            using var transaction = connection.BeginTransaction();
            // Two processes starting on one PostgreSQL database take turns here, as SQLite's write lock makes them.
            if (postgres) connection.Execute("SELECT pg_advisory_xact_lock(@key)", new { key = GroupCommit.WriteLockKey }, transaction);
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
        // /healthz asks this on every call: a catalog lookup, never PostgreSQL's information_schema views.
        var exists = connection.ExecuteScalar<long>(db.Dialect.IsPostgres
            ? "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
        return exists == 0 ? 0 : connection.ExecuteScalar<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    }

    /// <summary>
    /// Fails loudly when the database is not running the way SPEC §10 requires: SQLite in WAL mode with
    /// synchronous=FULL and foreign keys on; PostgreSQL with synchronous_commit on (or local, remote_write, remote_apply),
    /// so that nothing is acknowledged before its commit is on disk.
    /// </summary>
    public static void CheckPragmas(DbConnection connection)
    {
        if (connection.Dialect().IsPostgres)
        {
            var commit = connection.ExecuteScalar<string>("SHOW synchronous_commit");
            var fsync = connection.ExecuteScalar<string>("SHOW fsync");
            if (commit == "off" || fsync == "off")
                throw new InvalidOperationException(
                    $"PostgreSQL is set to acknowledge commits before they are on disk (synchronous_commit={commit}, fsync={fsync}); set both on.");
            return;
        }
        var journal = connection.ExecuteScalar<string>("PRAGMA journal_mode");
        var synchronous = connection.ExecuteScalar<long>("PRAGMA synchronous");
        var foreignKeys = connection.ExecuteScalar<long>("PRAGMA foreign_keys");
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) || synchronous != 2 || foreignKeys != 1)
            throw new InvalidOperationException(
                $"Database pragmas are off: journal_mode={journal}, synchronous={synchronous} (want 2=FULL), foreign_keys={foreignKeys}.");
    }

    private static List<(int, string, string)> LoadScripts(string prefix)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }
        return scripts.OrderBy(s => s.Item1).ToList();
    }
}
