using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using HiShopping.Store.Catalog;
using HiShopping.Store.Database;
using HiShopping.Store.Demo;
using HiShopping.Store.Security;
using HiShopping.Store.Services;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store;

/// <param name="OperatorPassword">The first operator's password, to be shown now; then call <see cref="IStoreInitializer.OperatorPasswordShown"/>.</param>
/// <param name="OperatorPasswordReplaced">The password is a new one: the one made earlier was never confirmed shown.</param>
/// <param name="Warnings">What was found and put right (file modes tightened), to be told to the operator.</param>
public sealed record InitResult(
    IReadOnlyList<string> AppliedMigrations, bool DemoCatalogSeeded, string? OperatorEmail, string? OperatorPassword,
    bool OperatorPasswordReplaced = false, IReadOnlyList<string>? Warnings = null);

/// <summary>Brings a data directory to life: folder, key files, migrations, the demo catalog and the first operator.</summary>
public interface IStoreInitializer
{
    /// <summary>
    /// Checks without creating or changing anything that the data directory can be used: an existing database and its
    /// master key belong together. Throws <see cref="StoreSetupException"/> naming the problem and the fix.
    /// </summary>
    void Preflight();

    InitResult Initialize(bool seedDemoCatalog = true, bool createOperator = true);

    /// <summary>Records that the first operator's password reached the screen, so it is never made again.</summary>
    void OperatorPasswordShown();
}

public sealed class StoreInitializer(StoreOptions options, Db db, Migrator migrator, ICatalogWriter catalog, IAccountService accounts) : IStoreInitializer
{
    public const string FirstOperatorEmail = "operator@hishop.local";
    private const string KeyCheckName = "master_key_check";

    private readonly List<string> _warnings = [];

    public void Preflight()
    {
        // Narrowed first, before SQLite opens the file and makes its -wal and -shm with the database's mode.
        Tighten(options.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, _warnings);
        var files = options.IsPostgres
            ? new[] { options.MasterKeyPath, options.JwtKeyPath }
            : [options.MasterKeyPath, options.JwtKeyPath, options.DbPath, options.DbPath + "-wal", options.DbPath + "-shm"];
        foreach (var path in files)
            Tighten(path, UnixFileMode.UserRead | UnixFileMode.UserWrite, _warnings);
        var stored = options.IsPostgres ? PostgresFacts() : File.Exists(options.DbPath) ? ReadOnlyFacts(options.DbPath) : null;
        if (stored is null) return;
        if (!File.Exists(options.MasterKeyPath))
        {
            if (stored.KeyCheck is not null || stored.HasSealedData) throw MissingKey();
            return;
        }
        var key = KeyFiles.Load(options.MasterKeyPath, 32);
        if (stored.KeyCheck is not null && !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(stored.KeyCheck), KeyCheck(key)))
            throw WrongKey();
    }

    public InitResult Initialize(bool seedDemoCatalog = true, bool createOperator = true)
    {
        Preflight();
        EnsureDataDir(options.DataDir);
        var masterKey = KeyFiles.LoadOrCreate(options.MasterKeyPath, 32);
        KeyFiles.LoadOrCreate(options.JwtKeyPath, 64);
        if (!options.IsPostgres) EnsurePrivateFile(options.DbPath);
        var applied = migrator.Migrate();
        RecordKeyCheck(masterKey);

        var seeded = seedDemoCatalog && Claim("demo_catalog_seeded") && SeedDemo();
        string? email = null, password = null;
        var replaced = false;
        if (createOperator)
        {
            if (!accounts.AnyUserWithRole(Roles.Operator) && Claim("first_operator_created"))
            {
                password = PasswordHasher.Generate();
                email = accounts.Create(FirstOperatorEmail, password, Roles.Operator).Email;
            }
            else if (Has("first_operator_created") && !Has("first_operator_password_shown") && accounts.Find(FirstOperatorEmail) is { Role: Roles.Operator } op)
            {
                // The first start made the operator but stopped before its password reached the screen (a start-up
                // error, a crash): that password is lost, so this start makes a new one rather than lock everyone out.
                password = PasswordHasher.Generate();
                email = accounts.ResetPassword(op.Email, password).Email;
                replaced = true;
            }
        }
        var warnings = _warnings.ToList();
        _warnings.Clear();
        return new InitResult(applied, seeded, email, password, replaced, warnings);
    }

    public void OperatorPasswordShown() => Claim("first_operator_password_shown");

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
        db.Write((c, t) => c.Execute("INSERT INTO meta (key, value) VALUES (@step, @now) ON CONFLICT DO NOTHING",
            new { step, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) }, t) == 1);

    private bool Has(string step)
    {
        using var c = db.Open();
        return c.ExecuteScalar<long>("SELECT COUNT(*) FROM meta WHERE key = @step", new { step }) > 0;
    }

    /// <summary>
    /// Keeps a check value of the master key in the database, so that a store is never opened with the key of another
    /// store, or with a new key made because the old file went missing.
    /// </summary>
    private void RecordKeyCheck(byte[] masterKey)
    {
        var check = Convert.ToHexStringLower(KeyCheck(masterKey));
        var stored = db.Write((c, t) =>
        {
            c.Execute("INSERT INTO meta (key, value) VALUES (@KeyCheckName, @check) ON CONFLICT DO NOTHING", new { KeyCheckName, check }, t);
            return c.ExecuteScalar<string>("SELECT value FROM meta WHERE key = @KeyCheckName", new { KeyCheckName }, t)!;
        });
        if (stored != check) throw WrongKey();
    }

    /// <summary>A value derived from the key that does not reveal it: HMAC-SHA256 of a fixed label.</summary>
    internal static byte[] KeyCheck(byte[] masterKey) => HMACSHA256.HashData(masterKey, "hishop master key check v1"u8);

    private StoreSetupException MissingKey() => new(
        $"{options.MasterKeyPath} is missing but the database {options.Describe()} needs it (its sign keys and bank accounts are sealed with it): " +
        "put back the master.key that belongs to this database (from your backup); nothing was created");

    private StoreSetupException WrongKey() => new(
        $"{options.MasterKeyPath} does not belong to the database {options.Describe()}: put back the master.key that was in use " +
        "when the database was made (from your backup); nothing was changed");

    private sealed record StoredFacts(string? KeyCheck, bool HasSealedData);

    /// <summary>Reads what the key check needs without writing a byte (no WAL replay either: the file is opened read-only).</summary>
    private static StoredFacts? ReadOnlyFacts(string path)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var c = new SqliteConnection(cs);
            c.Open();
            return Facts(c, c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet());
        }
        catch (SqliteException e)
        {
            throw new StoreSetupException($"the database {path} cannot be read: {e.Message}");
        }
    }

    /// <summary>The key check and whether anything is sealed, from a store's tables (null when it holds no store yet).</summary>
    private static StoredFacts? Facts(System.Data.IDbConnection c, HashSet<string> tables)
    {
        if (!tables.Contains("meta")) return null;
        var check = c.ExecuteScalar<string?>("SELECT value FROM meta WHERE key = @KeyCheckName", new { KeyCheckName });
        var sealedData = (tables.Contains("apps") && c.ExecuteScalar<long>("SELECT COUNT(*) FROM apps WHERE sign_key_enc IS NOT NULL") > 0) ||
                         (tables.Contains("merchants") && c.ExecuteScalar<long>("SELECT COUNT(*) FROM merchants WHERE bank_account_enc IS NOT NULL") > 0);
        return new StoredFacts(check, sealedData);
    }

    /// <summary>The same facts from a PostgreSQL database (null when it holds no store yet); it must exist and be reachable.</summary>
    private StoredFacts? PostgresFacts()
    {
        try
        {
            using var c = db.Open();
            return Facts(c, c.Query<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").ToHashSet());
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new StoreSetupException($"the database {options.Describe()} cannot be reached: {e.Message}");
        }
    }

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

    /// <summary>SPEC §10: the data directory is 0700 and its files 0600. Wider modes found on disk are narrowed, and said so.</summary>
    private static void Tighten(string path, UnixFileMode allowed, List<string> warnings)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path)) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~allowed) == 0) return;
        File.SetUnixFileMode(path, mode & allowed);
        warnings.Add($"{path} was readable or writable by others (mode {Octal(mode)}); it is now {Octal(mode & allowed)}");
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
