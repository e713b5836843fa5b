using System.Data;
using System.Data.Common;
using Dapper;
using HiShopping.Store.Database;
using HiShopping.Store.Services;

namespace HiShopping.Store.Tests.Services;

/// <summary>Issue 8: writes committed together, each request answered for itself.</summary>
public sealed class GroupCommitTests
{
    /// <summary>Holds the writer inside a write until released, so what is queued meanwhile forms the next batch.</summary>
    private static (Task Held, ManualResetEventSlim Release) HoldWriter(Db db)
    {
        var release = new ManualResetEventSlim();
        var entered = new ManualResetEventSlim();
        var held = db.WriteAsync((_, _) => { entered.Set(); release.Wait(TimeSpan.FromSeconds(30)); return true; });
        if (!entered.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("the writer never started the holding write");
        return (held, release);
    }

    /// <summary>A read transaction held open, and its connection.</summary>
    private sealed record Snapshot(DbConnection Connection, DbTransaction Transaction) : IDisposable
    {
        public void Dispose()
        {
            Transaction.Dispose();
            Connection.Dispose();
        }
    }

    private static long Count(TestStore store, string sql, object? args = null)
    {
        using var c = store.Get<Db>().Open();
        return c.ExecuteScalar<long>(sql, args);
    }

    [Test]
    public async Task A_batch_with_failing_orders_in_the_middle_commits_the_others_and_answers_each()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, _) = Seed.Merchant(store);
        var credit = store.Get<ICreditService>();
        var orders = store.Get<IOrderService>();
        var first = orders.PlaceAsync(merchantId, Seed.Order("DUP-1"));
        credit.TopUp(merchantId, 100_000_00, null, null);
        await Assert.That(async () => await first).Throws<HiShopException>(); // no credit yet: 2001
        await orders.PlaceAsync(merchantId, Seed.Order("DUP-1"));

        var db = store.Get<Db>();
        var (held, release) = HoldWriter(db);
        RequestNonce Nonce(int i) => new("app_batch", $"batch-nonce-{i}", TimeSpan.FromMinutes(11));
        var nonces = Enumerable.Range(0, 7).Select(Nonce).ToArray();
        var queued = new[]
        {
            orders.PlaceAsync(merchantId, Seed.Order("OK-1"), nonces[0]),
            orders.PlaceAsync(merchantId, Seed.Order("DUP-1"), nonces[1]),                          // 2002: used before
            orders.PlaceAsync(merchantId, Seed.Order("OK-2"), nonces[2]),
            orders.PlaceAsync(merchantId, Seed.Order("NO-SKU", "sku-unknown"), nonces[3]),          // 2003
            orders.PlaceAsync(merchantId, Seed.Order("TOO-DEAR", "sku-100001", quantity: 999), nonces[4]), // 2003 or 2001
            orders.PlaceAsync(merchantId, Seed.Order("OK-3"), nonces[5]),
            orders.PlaceAsync(merchantId, Seed.Order("OK-4"), nonces[0]),                          // replayed nonce: 1001
        };
        release.Set();
        await held;
        var outcomes = new List<ErrorCode?>();
        foreach (var task in queued)
        {
            try { await task; outcomes.Add(null); }
            catch (HiShopException e) { outcomes.Add(e.Code); }
        }

        await Assert.That(outcomes[0]).IsNull();
        await Assert.That(outcomes[1]).IsEqualTo(ErrorCode.DuplicateOrder);
        await Assert.That(outcomes[2]).IsNull();
        await Assert.That(outcomes[3]).IsEqualTo(ErrorCode.GoodsUnavailable);
        await Assert.That(outcomes[4] is ErrorCode.GoodsUnavailable or ErrorCode.InsufficientCredit).IsTrue();
        await Assert.That(outcomes[5]).IsNull();
        await Assert.That(outcomes[6]).IsEqualTo(ErrorCode.InvalidSignature);
        // The three good orders committed with their ledger entries; the refused ones left no trace but their nonce.
        await Assert.That(Count(store, "SELECT COUNT(*) FROM orders WHERE merchant_order_no IN ('OK-1', 'OK-2', 'OK-3')")).IsEqualTo(3);
        await Assert.That(Count(store, "SELECT COUNT(*) FROM orders WHERE merchant_order_no IN ('NO-SKU', 'TOO-DEAR', 'OK-4')")).IsEqualTo(0);
        await Assert.That(Count(store, "SELECT COUNT(*) FROM ledger_entries l JOIN orders o ON o.order_no = l.order_no WHERE o.merchant_order_no LIKE 'OK-%'")).IsEqualTo(3);
        await Assert.That(Count(store, "SELECT COUNT(*) FROM used_nonces WHERE app_id = 'app_batch'")).IsEqualTo(6);
        // Every refusal came before the order wrote anything: the batch ran once, without savepoints, on SQLite too.
        await Assert.That(db.Writer.Reruns).IsEqualTo(0);
        await Assert.That(store.Get<ILedgerAuditor>().Check().Ok).IsTrue();
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Concurrent_writes_share_commits_and_a_lone_write_is_not_kept_waiting()
    {
        using var store = new TestStore();
        var db = store.Get<Db>();
        var (held, release) = HoldWriter(db);
        var commits = new List<Task<long>>();
        for (var i = 0; i < 50; i++)
        {
            var n = i;
            commits.Add(db.WriteAsync((c, t) => c.ExecuteScalar<long>("INSERT INTO meta (key, value) VALUES (@k, 'x') RETURNING rowid", new { k = $"gc-{n}" }, t)));
        }
        release.Set();
        await held;
        await Task.WhenAll(commits);
        // One batch held all fifty: they were queued behind the same commit.
        await Assert.That(Count(store, "SELECT COUNT(*) FROM meta WHERE key LIKE 'gc-%'")).IsEqualTo(50);

        // Alone, a write is committed as soon as it is queued: no waiting for company (well under a batch window).
        var lone = db.WriteAsync((c, t) => c.Execute("INSERT INTO meta (key, value) VALUES ('lone', 'x')", transaction: t));
        await Assert.That(await lone.WaitAsync(TimeSpan.FromSeconds(10))).IsEqualTo(1);
    }

    [Test]
    public async Task A_request_failing_after_its_changes_is_undone_alone_and_the_batch_runs_again()
    {
        using var store = new TestStore();
        var db = store.Get<Db>();
        var runs = new int[6];
        Func<DbConnection, IDbTransaction, bool> Insert(int i, string key, bool fail = false) => (c, t) =>
        {
            Interlocked.Increment(ref runs[i]);
            c.Execute("INSERT INTO meta (key, value) VALUES (@key, 'x')", new { key }, t);
            return fail ? throw new InvalidOperationException($"{key} fails after its change") : true;
        };
        Action<DbConnection, IDbTransaction> Claim(string key) => (c, t) => c.Execute("INSERT INTO meta (key, value) VALUES (@key, 'x')", new { key }, t);

        // First a batch whose failures change nothing: the savepoint-free run is kept, each work runs once.
        var (held, release) = HoldWriter(db);
        var clean = new[]
        {
            db.WriteAsync(Insert(0, "clean-a")),
            db.WriteAsync<bool>((_, _) => { Interlocked.Increment(ref runs[1]); throw new InvalidOperationException("refused before any change"); },
                Claim("clean-claim")),
            db.WriteAsync(Insert(2, "clean-a")), // a UNIQUE failure: SQLite undoes the statement itself
            db.WriteAsync(Insert(3, "clean-b")),
        };
        release.Set();
        await held;
        var cleanOutcomes = await Outcomes(clean);
        await Assert.That(string.Join(",", cleanOutcomes)).IsEqualTo("ok,InvalidOperationException,SqliteException,ok");
        await Assert.That(string.Join(",", Keys(store, "clean-%"))).IsEqualTo("clean-a,clean-b,clean-claim");
        if (TestData.Postgres is null) await Assert.That(string.Join(",", runs[..4])).IsEqualTo("1,1,1,1");
        await Assert.That(db.Writer.Reruns).IsEqualTo(0);

        // Then one failing after its change, one whose work fails after its claim went through (only the work is undone:
        // the claim stays), and one whose claim fails after its change (nothing of it stays); the others commit.
        Array.Clear(runs);
        (held, release) = HoldWriter(db);
        var dirty = new[]
        {
            db.WriteAsync(Insert(0, "dirty-a")),
            db.WriteAsync(Insert(1, "dirty-b", fail: true)),
            db.WriteAsync(Insert(2, "dirty-c")),
            db.WriteAsync(Insert(3, "dirty-d", fail: true), Claim("dirty-d-claim")),
            db.WriteAsync(Insert(4, "dirty-e")),
            db.WriteAsync(Insert(5, "dirty-f"), (c, t) =>
            {
                Claim("dirty-f-claim")(c, t);
                throw new InvalidOperationException("the claim fails after its change");
            }),
        };
        release.Set();
        await held;
        var dirtyOutcomes = await Outcomes(dirty);
        await Assert.That(string.Join(",", dirtyOutcomes)).IsEqualTo("ok,InvalidOperationException,ok,InvalidOperationException,ok,InvalidOperationException");
        await Assert.That(string.Join(",", Keys(store, "dirty-%"))).IsEqualTo("dirty-a,dirty-c,dirty-d-claim,dirty-e");
        // On SQLite the first try stopped at the first failure after a change, and the batch ran again with savepoints.
        if (TestData.Postgres is null) await Assert.That(string.Join(",", runs[..6])).IsEqualTo("2,2,1,1,1,0");
        await Assert.That(db.Writer.Reruns).IsEqualTo(TestData.Postgres is null ? 1 : 0);

        static async Task<string[]> Outcomes(Task<bool>[] tasks)
        {
            var outcomes = new List<string>();
            foreach (var task in tasks)
            {
                try { await task; outcomes.Add("ok"); }
                catch (Exception e) { outcomes.Add(e.GetType().Name == "PostgresException" ? "SqliteException" : e.GetType().Name); }
            }
            return [.. outcomes];
        }

        static string[] Keys(TestStore store, string like)
        {
            using var c = store.Get<Db>().Open();
            return [.. c.Query<string>("SELECT key FROM meta WHERE key LIKE @like ORDER BY key", new { like })];
        }
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_batch_whose_transaction_ends_inside_a_request_fails_whole_and_the_writer_goes_on()
    {
        using var store = new TestStore();
        var db = store.Get<Db>();
        // A trigger on the writer's own connection that makes SQLite roll the whole transaction back.
        await db.WriteAsync((c, t) => c.Execute(
            "CREATE TEMP TRIGGER end_it BEFORE INSERT ON meta WHEN new.key = 'ender' BEGIN SELECT RAISE(ROLLBACK, 'ended'); END", transaction: t));
        var (held, release) = HoldWriter(db);
        var batch = new[]
        {
            db.WriteAsync((c, t) => c.Execute("INSERT INTO meta (key, value) VALUES ('before-ender', 'x')", transaction: t)),
            db.WriteAsync((c, t) => c.Execute("INSERT INTO meta (key, value) VALUES ('ender', 'x')", transaction: t)),
            // A kept statement, which (unlike a Microsoft.Data.Sqlite command) does not itself refuse to run once the
            // transaction has ended: only the writer's own check stops it committing on its own.
            db.WriteAsync((c, t) => c.Cached(t, "INSERT INTO meta (key, value) VALUES (@key, 'x')").With("@key", "after-ender").ExecuteNonQuery()),
        };
        release.Set();
        await held;
        foreach (var request in batch) await Assert.That(async () => await request).ThrowsException();
        // Nothing of it committed, not even what ran after SQLite ended the transaction.
        await Assert.That(Count(store, "SELECT COUNT(*) FROM meta WHERE key IN ('before-ender', 'ender', 'after-ender')")).IsEqualTo(0);
        // The failed batch's connection was replaced (its temporary trigger went with it): the next write commits.
        await db.WriteAsync((c, t) => c.Execute("INSERT INTO meta (key, value) VALUES ('ender', 'x')", transaction: t));
        await Assert.That(Count(store, "SELECT COUNT(*) FROM meta WHERE key = 'ender'")).IsEqualTo(1);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task The_writer_finishes_a_checkpoint_itself_once_the_wal_is_past_the_restart_size_and_not_before()
    {
        using var store = new TestStore();
        var db = store.Get<Db>();
        var writer = db.Writer;
        async Task Write(int count)
        {
            for (var i = 0; i < count; i++)
                await db.WriteAsync((c, t) => c.Execute("INSERT INTO meta (key, value) VALUES (@key, 'x')", new { key = Guid.NewGuid().ToString("N") }, t));
        }
        // The timer's checkpoint, run now (it skips a round when the timer's own tick is running: write and ask again).
        async Task<long> CheckpointNow()
        {
            for (var i = 0; i < 100; i++)
            {
                await Write(1);
                if (writer.Checkpoint() is { } frames) return frames;
            }
            throw new TimeoutException("the checkpoint never ran");
        }
        // A read transaction whose snapshot stops the timer's checkpoint short of the newest frames.
        Snapshot HoldSnapshot()
        {
            var reader = (Microsoft.Data.Sqlite.SqliteConnection)db.Open();
            var transaction = reader.BeginTransaction(deferred: true); // the snapshot is taken by the first read
            reader.ExecuteScalar<long>("SELECT COUNT(*) FROM meta", transaction: transaction);
            return new Snapshot(reader, transaction);
        }
        long WalFrames()
        {
            using var c = db.Open();
            return c.QuerySingle<(long Busy, long Frames, long Copied)>("PRAGMA wal_checkpoint(PASSIVE)").Frames;
        }

        // Past the restart size, the timer's copy held short of the end by a reader: once the reader is gone, the writer
        // copies the rest itself before its next batch, and that batch starts the WAL over.
        writer.RestartAfterFrames = 10;
        await Write(20);
        using (HoldSnapshot())
        {
            await Write(20);
            await Assert.That(await CheckpointNow()).IsGreaterThanOrEqualTo(10);
        }
        await Write(1);
        await Assert.That(writer.CheckpointsFinished).IsEqualTo(1);
        await Assert.That(WalFrames()).IsLessThan(10);

        // Short of the end but under the restart size: the writer is not stopped for it.
        writer.RestartAfterFrames = long.MaxValue;
        using (HoldSnapshot())
        {
            await Write(20);
            await CheckpointNow();
        }
        await Write(1);
        await Assert.That(writer.CheckpointsFinished).IsEqualTo(1);

        // Past the restart size with the timer's copy at the end of what it saw: the writer still takes the step. Under
        // load the writer has always committed more by then, and the WAL would never start over (measured: 1 GB in 25 s).
        writer.RestartAfterFrames = 10;
        await Write(20);
        await CheckpointNow();
        await Write(1);
        await Assert.That(writer.CheckpointsFinished).IsEqualTo(2);
        await Assert.That(WalFrames()).IsLessThan(10);
    }

    [Test]
    public async Task A_write_made_inside_a_write_joins_it_and_its_failure_undoes_only_itself()
    {
        using var store = new TestStore();
        var db = store.Get<Db>();
        var outcome = await db.WriteAsync((c, t) =>
        {
            c.Execute("INSERT INTO meta (key, value) VALUES ('outer', 'x')", transaction: t);
            try { db.Write((c2, t2) => { c2.Execute("INSERT INTO meta (key, value) VALUES ('inner', 'x')", transaction: t2); throw new InvalidOperationException("inner fails"); }); }
            catch (InvalidOperationException) { return "inner failed"; }
            return "no failure";
        });
        await Assert.That(outcome).IsEqualTo("inner failed");
        await Assert.That(Count(store, "SELECT COUNT(*) FROM meta WHERE key = 'outer'")).IsEqualTo(1);
        await Assert.That(Count(store, "SELECT COUNT(*) FROM meta WHERE key = 'inner'")).IsEqualTo(0);
    }

    [Test]
    public async Task Changing_an_app_bumps_auth_version_in_the_same_commit_and_the_order_path_does_not()
    {
        using var store = new TestStore(seedDemoCatalog: true);
        var (merchantId, userId) = Seed.Merchant(store);
        var before = Count(store, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'auth_version'");
        store.Get<IAppService>().RegenerateApiKey(userId);
        var afterKey = Count(store, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'auth_version'");
        await Assert.That(afterKey).IsGreaterThan(before);
        await Assert.That(store.Get<Db>().CommittedAuthVersion).IsEqualTo(afterKey);

        store.Get<ICreditService>().TopUp(merchantId, 100_000_00, null, null);
        var app = store.Get<IAppService>().GetForMerchant(merchantId);
        await store.Get<IOrderService>().PlaceAsync(merchantId, Seed.Order("AV-1"), new RequestNonce(app.AppId, "auth-version-nonce", TimeSpan.FromMinutes(11)));
        await Assert.That(Count(store, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'auth_version'")).IsEqualTo(afterKey);

        var email = store.Get<IMerchantService>().List(new MerchantQuery()).Items.Single(m => m.MerchantId == merchantId).Email;
        store.Get<IAccountService>().SetStatus(email, "disabled");
        await Assert.That(Count(store, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'auth_version'")).IsGreaterThan(afterKey);
    }
}
