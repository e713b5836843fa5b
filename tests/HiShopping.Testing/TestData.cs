using Dapper;
using HiShopping.Api;
using HiShopping.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HiShopping.Testing;

/// <summary>
/// Fast set-up for every test project: passwords hashed with few PBKDF2 iterations (each hash keeps its count, so
/// the code path is the production one), and data directories copied from one template store made once per test
/// process — migrated, keyed and seeded with the demo catalog — instead of seeding each one anew.
/// With <c>HISHOP_TEST_PG</c> set (a connection string of a role that may create databases; <c>.ci/postgres.sh</c> prints
/// one), every data directory gets a PostgreSQL database of its own instead of a SQLite file, named by <c>"db"</c> in
/// the directory's <c>hishop.json</c> — which every <c>hishop</c> process started on that directory reads too — and made
/// from a seeded template database the same way.
/// </summary>
public static class TestData
{
    /// <summary>PBKDF2 iterations of test users; production keeps 600,000 (see the security tests).</summary>
    public const int PasswordIterations = 1_000;

    /// <summary>The environment that gives a <c>hishop</c> process (or the in-process CLI) the same speed-up.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["HISHOP_PASSWORD_ITERATIONS"] = PasswordIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Processes a test starts live seconds: spare them the profile-guided re-JIT (as the test projects do).
        ["DOTNET_TieredPGO"] = "0",
    };

    private static readonly Lazy<string> Template = new(MakeTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The category of tests that read the SQLite file itself (its bytes, its pages, a copy of it): the PostgreSQL pass of
    /// <c>.ci/run</c> leaves them out (<c>[Category!=SqliteFile]</c>); every other test runs on both stores.
    /// </summary>
    public const string SqliteFile = "SqliteFile";

    /// <summary>The PostgreSQL server the suite runs against, or null for SQLite (the default).</summary>
    public static string? Postgres { get; } = System.Environment.GetEnvironmentVariable("HISHOP_TEST_PG") is { Length: > 0 } pg ? pg : null;

    public static StoreOptions Options(string dataDir) => new()
    {
        DataDir = dataDir,
        PasswordIterations = PasswordIterations,
        ConnectionString = Postgres is null ? null : PgDatabases.ConnectionString(dataDir),
    };

    public static string NewDirectoryName(string prefix) => Path.Combine(Path.GetTempPath(), $"hishop-{prefix}-{Guid.NewGuid():N}");

    /// <summary>A new data directory; with <paramref name="seeded"/>, a copy of the template store (demo catalog, no users).</summary>
    public static string NewDataDir(string prefix, bool seeded)
    {
        var dir = NewDirectoryName(prefix);
        if (Postgres is not null)
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            PgDatabases.Create(dir, seeded ? Template.Value : null);
        }
        if (!seeded) return dir;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in Postgres is null ? new[] { "hishop.db", "master.key", "jwt.key" } : ["master.key", "jwt.key"])
        {
            var target = Path.Combine(dir, file);
            File.Copy(Path.Combine(Template.Value, file), target);
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return dir;
    }

    /// <summary>
    /// True when nothing was made for <paramref name="dataDir"/>: on SQLite the directory does not exist; on PostgreSQL it
    /// holds only the <c>hishop.json</c> that names its database, and the database has no table.
    /// </summary>
    public static bool NothingCreated(string dataDir)
    {
        if (Postgres is null) return !Directory.Exists(dataDir);
        var files = Directory.GetFileSystemEntries(dataDir).Select(Path.GetFileName).ToList();
        return files.SequenceEqual([HiShopping.Tool.Cli.ToolConfig.FileName]) && PgDatabases.Tables(dataDir) == 0;
    }

    /// <summary>The files a store keeps in its data directory: the keys, and on SQLite the database file.</summary>
    public static string[] StoreFiles => Postgres is null ? ["hishop.db", "master.key", "jwt.key"] : ["master.key", "jwt.key"];

    public static void Delete(string dataDir)
    {
        SqliteConnection.ClearAllPools();
        if (Postgres is not null) PgDatabases.Drop(dataDir);
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    private static string MakeTemplate()
    {
        var dir = NewDirectoryName("template");
        if (Postgres is not null)
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            PgDatabases.Create(dir, template: null);
        }
        var options = Options(dir);
        using (var services = new ServiceCollection().AddHiShoppingDomain(options).BuildServiceProvider())
        {
            services.GetRequiredService<IStoreInitializer>().Initialize(seedDemoCatalog: true, createOperator: false);
            using var c = services.GetRequiredService<Store.Database.Db>().Open();
            // Everything into the main file, so copying hishop.db alone copies the whole store.
            if (Postgres is null) c.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools(); // a template database must have no connections when it is copied
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(dir);
        return dir;
    }
}

/// <summary>One PostgreSQL database per test data directory, made (from a template when seeded) and dropped by name.</summary>
internal static class PgDatabases
{
    private static readonly object Gate = new();

    /// <summary>The database of a data directory: named after the directory, so the name alone finds it again.</summary>
    public static string Name(string dataDir) => "hishop_t_" + Path.GetFileName(dataDir).Replace('-', '_').ToLowerInvariant()[^32..];

    public static void Create(string dataDir, string? template)
    {
        var name = Name(dataDir);
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(TestData.Postgres) { Pooling = false };
        // Copies of one template are made one at a time: PostgreSQL refuses a copy while another session uses the template.
        lock (Gate)
        {
            try
            {
                using var c = new Npgsql.NpgsqlConnection(admin.ConnectionString);
                c.Open();
                c.Execute(template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {Name(template)}");
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
            {
                // Every test fails the same way when the server cannot be used: say which server and the whole reason.
                var reason = string.Join(" ← ", Causes(e));
                throw new InvalidOperationException($"HISHOP_TEST_PG ({admin.Host}:{admin.Port} as {admin.Username}) could not make a test database: {reason}", e);
            }
        }
        var own = new Npgsql.NpgsqlConnectionStringBuilder(TestData.Postgres) { Database = name };
        var file = Path.Combine(dataDir, HiShopping.Tool.Cli.ToolConfig.FileName);
        File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["db"] = own.ConnectionString }));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static IEnumerable<string> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return $"{e.GetType().Name}: {e.Message}";
    }

    public static long Tables(string dataDir)
    {
        using var c = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString(dataDir)) { Pooling = false }.ConnectionString);
        c.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'");
    }

    public static string ConnectionString(string dataDir) =>
        new Npgsql.NpgsqlConnectionStringBuilder(TestData.Postgres) { Database = Name(dataDir) }.ConnectionString;

    public static void Drop(string dataDir)
    {
        if (!File.Exists(Path.Combine(dataDir, HiShopping.Tool.Cli.ToolConfig.FileName))) return;
        Npgsql.NpgsqlConnection.ClearAllPools();
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(TestData.Postgres) { Pooling = false };
        try
        {
            using var c = new Npgsql.NpgsqlConnection(admin.ConnectionString);
            c.Open();
            c.Execute($"DROP DATABASE IF EXISTS {Name(dataDir)} WITH (FORCE)");
        }
        catch (Npgsql.NpgsqlException) { } // a database left behind is dropped with the cluster
    }
}
