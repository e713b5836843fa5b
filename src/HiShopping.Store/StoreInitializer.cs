using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Demo;
using HiShopping.Store.Security;
using HiShopping.Store.Services;

namespace HiShopping.Store;

public sealed record InitResult(IReadOnlyList<string> AppliedMigrations, bool DemoCatalogSeeded, string? OperatorEmail, string? OperatorPassword);

/// <summary>Brings a data directory to life: folder, key files, migrations, the demo catalog and the first operator.</summary>
public interface IStoreInitializer
{
    InitResult Initialize(bool seedDemoCatalog = true, bool createOperator = true);
}

public sealed class StoreInitializer(StoreOptions options, Db db, Migrator migrator, ICatalogWriter catalog, IAccountService accounts) : IStoreInitializer
{
    public const string FirstOperatorEmail = "operator@hishop.local";

    public InitResult Initialize(bool seedDemoCatalog = true, bool createOperator = true)
    {
        EnsureDataDir(options.DataDir);
        KeyFiles.LoadOrCreate(options.MasterKeyPath, 32);
        KeyFiles.LoadOrCreate(options.JwtKeyPath, 64);
        EnsurePrivateFile(options.DbPath);
        var applied = migrator.Migrate();

        var seeded = seedDemoCatalog && Claim("demo_catalog_seeded") && SeedDemo();
        string? email = null, password = null;
        if (createOperator && !accounts.AnyUserWithRole(Roles.Operator) && Claim("first_operator_created"))
        {
            password = PasswordHasher.Generate();
            email = accounts.Create(FirstOperatorEmail, password, Roles.Operator).Email;
        }
        return new InitResult(applied, seeded, email, password);
    }

    private bool SeedDemo()
    {
        using (var c = db.Open())
        {
            // Only an empty store gets the demo: an imported catalog is never mixed with it.
            if (c.ExecuteScalar<long>("SELECT COUNT(*) FROM goods") > 0) return false;
        }
        catalog.UpsertCategories(DemoCatalog.Categories());
        foreach (var batch in DemoCatalog.Goods().Chunk(100))
            catalog.UpsertGoods(batch);
        return true;
    }

    /// <summary>Marks a one-time step as taken; true only for the one process that took it.</summary>
    private bool Claim(string step) =>
        db.Write((c, t) => c.Execute("INSERT OR IGNORE INTO meta (key, value) VALUES (@step, @now)",
            new { step, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) }, t) == 1);

    /// <summary>Creates the database file with mode 0600 before SQLite does; its -wal and -shm files inherit the mode.</summary>
    private static void EnsurePrivateFile(string path)
    {
        if (File.Exists(path) || OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another process.
        }
    }

    private static void EnsureDataDir(string dir)
    {
        if (Directory.Exists(dir)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
