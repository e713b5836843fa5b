using System.CommandLine;
using HiShopping.Store.Database;
using HiShopping.Store.Services;
using Microsoft.Data.Sqlite;

namespace HiShopping.Tool.Cli;

/// <summary><c>hishop db migrate|check|backup</c>.</summary>
public static class DbCommands
{
    public static Command Build(Func<string, string?> env)
    {
        var db = new Command("db", "Database upkeep: migrations, consistency check, online backup");

        var migrate = new Command("migrate", "Apply pending migrations (serve and every command do this too)");
        HishopCli.Handle(migrate, env, c =>
        {
            // Opening the store migrates it; report where it stands.
            var version = c.Get<Migrator>().CurrentVersion();
            c.Out.WriteLine($"database {c.StoreOptions.Describe()} is at schema version {version}");
            return HishopCli.Ok;
        });

        var check = new Command("check", "Check the database (a SQLite file's integrity) and every ledger invariant; exit 1 naming each violation");
        HishopCli.Handle(check, env, c =>
        {
            var report = c.Get<ILedgerAuditor>().Check();
            c.Out.WriteLine($"integrity: {report.Integrity}");
            c.Out.WriteLine($"merchants: {report.Merchants}, ledger entries: {report.Entries}, orders: {report.Orders}");
            c.Out.WriteLine($"ledger violations: {report.Violations.Count}");
            foreach (var violation in report.Violations) c.Err.WriteLine($"violation: {violation}");
            if (report.Integrity != "ok") c.Err.WriteLine($"violation: integrity_check says {report.Integrity}");
            c.Out.WriteLine(report.Ok ? "ok" : "FAILED");
            return report.Ok ? HishopCli.Ok : HishopCli.Error;
        });

        var file = new Argument<string>("FILE") { Description = "Where to write the backup (must not exist yet)" };
        var backup = new Command("backup", "Copy the database with SQLite's online backup: consistent while serve writes") { file };
        HishopCli.Handle(backup, env, c =>
        {
            if (c.StoreOptions.IsPostgres)
                throw new UsageException("db backup copies a SQLite file; on PostgreSQL use pg_dump (docs/operations.md shows how), and keep master.key with the dump.");
            var target = Path.GetFullPath(c.Parse.GetValue(file)!);
            if (File.Exists(target)) throw new UsageException($"{target} already exists; choose a new file name.");
            if (!Directory.Exists(Path.GetDirectoryName(target))) throw new UsageException($"the folder of {target} does not exist.");
            // Made 0600 before a byte is written: SQLite gives its journal files the mode of the database file.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            new FileStream(target, create).Dispose();
            try
            {
                using var source = c.Get<Db>().Open();
                using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
                destination.Open();
                ((SqliteConnection)source).BackupDatabase(destination);
            }
            catch
            {
                File.Delete(target);
                throw;
            }
            c.Out.WriteLine($"backup written to {target} ({new FileInfo(target).Length:N0} bytes)");
            c.Out.WriteLine($"keep it with {c.StoreOptions.MasterKeyPath}: sign keys and bank accounts in it are sealed with that key");
            return HishopCli.Ok;
        });

        db.Subcommands.Add(migrate);
        db.Subcommands.Add(check);
        db.Subcommands.Add(backup);
        return db;
    }
}
