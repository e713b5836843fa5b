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

    public static StoreOptions Options(string dataDir) => new() { DataDir = dataDir, PasswordIterations = PasswordIterations };

    public static string NewDirectoryName(string prefix) => Path.Combine(Path.GetTempPath(), $"hishop-{prefix}-{Guid.NewGuid():N}");

    /// <summary>A new data directory; with <paramref name="seeded"/>, a copy of the template store (demo catalog, no users).</summary>
    public static string NewDataDir(string prefix, bool seeded)
    {
        var dir = NewDirectoryName(prefix);
        if (!seeded) return dir;
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in new[] { "hishop.db", "master.key", "jwt.key" })
        {
            var target = Path.Combine(dir, file);
            File.Copy(Path.Combine(Template.Value, file), target);
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return dir;
    }

    public static void Delete(string dataDir)
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    private static string MakeTemplate()
    {
        var dir = NewDirectoryName("template");
        var options = Options(dir);
        using (var services = new ServiceCollection().AddHiShoppingDomain(options).BuildServiceProvider())
        {
            services.GetRequiredService<IStoreInitializer>().Initialize(seedDemoCatalog: true, createOperator: false);
            using var c = services.GetRequiredService<Store.Database.Db>().Open();
            // Everything into the main file, so copying hishop.db alone copies the whole store.
            c.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        SqliteConnection.ClearAllPools();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(dir);
        return dir;
    }
}
