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
}
