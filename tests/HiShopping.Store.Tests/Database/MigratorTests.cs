using Dapper;
using HiShopping.Store.Database;

namespace HiShopping.Store.Tests.Database;

public sealed class MigratorTests
{
    [Test, Category(TestData.SqliteFile)]
    public async Task Migrations_apply_once_and_the_pragmas_hold_on_every_connection()
    {
        using var store = new TestStore();
        await Assert.That(store.Init.AppliedMigrations).Contains("0001_initial");

        var again = store.Get<Migrator>().Migrate();
        await Assert.That(again.Count).IsEqualTo(0);

        using var connection = store.Get<Db>().Open();
        await Assert.That(connection.ExecuteScalar<string>("PRAGMA journal_mode")).IsEqualTo("wal");
        await Assert.That(connection.ExecuteScalar<long>("PRAGMA synchronous")).IsEqualTo(2);
        await Assert.That(connection.ExecuteScalar<long>("PRAGMA foreign_keys")).IsEqualTo(1);
        await Assert.That(store.Get<Migrator>().CurrentVersion()).IsEqualTo(Migrator.Scripts.Max(s => s.Version));
    }

    [Test, Category(TestData.SqliteFile)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_and_key_files_are_private_to_the_owner()
    {
        using var store = new TestStore();
        foreach (var path in new[] { store.Options.DbPath, store.Options.MasterKeyPath, store.Options.JwtKeyPath })
        {
            var mode = File.GetUnixFileMode(path);
            await Assert.That(mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)).IsEqualTo(UnixFileMode.None);
        }
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Ledger_entries_cannot_be_edited_or_deleted()
    {
        using var store = new TestStore();
        var (merchantId, _) = Seed.Merchant(store);
        store.Get<HiShopping.Store.Services.ICreditService>().TopUp(merchantId, 500, null, null);
        using var connection = store.Get<Db>().Open();

        await Assert.That(() => connection.Execute("UPDATE ledger_entries SET amount = 1")).Throws<Microsoft.Data.Sqlite.SqliteException>();
        await Assert.That(() => connection.Execute("DELETE FROM ledger_entries")).Throws<Microsoft.Data.Sqlite.SqliteException>();
        await Assert.That(connection.ExecuteScalar<long>("SELECT amount FROM ledger_entries")).IsEqualTo(500);
    }

    [Test]
    public async Task A_store_a_newer_hishop_migrated_is_refused_and_left_as_it_is()
    {
        using var store = new TestStore();
        var db = store.Get<Db>();
        var known = (db.Dialect.IsPostgres ? Migrator.PostgresScripts : Migrator.Scripts)[^1].Version;
        using (var c = db.Open())
            c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, 'from_the_future', 0)", new { version = known + 1 });

        await Assert.That(() => store.Get<Migrator>().Migrate()).Throws<StoreSetupException>()
            .WithMessageContaining($"schema version {known + 1}, made by a newer hishop; this one knows up to version {known}");
        using (var c = db.Open())
            await Assert.That(c.ExecuteScalar<long>("SELECT COUNT(*) FROM schema_migrations WHERE version > @known", new { known })).IsEqualTo(1);
    }
}
