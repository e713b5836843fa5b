using System.Text;
using HiShopping.Store.Database;
using Microsoft.Data.Sqlite;

namespace HiShopping.Store.Tests.Database;

/// <summary>
/// The writer's kept statements on SQLite's own API (<see cref="Statements"/>): bound by position, reset after every
/// run whatever happened, and failing as Microsoft.Data.Sqlite's commands do.
/// </summary>
public sealed class StatementsTests
{
    private sealed class Scratch : IDisposable
    {
        private readonly string _dir = TestData.NewDirectoryName("statements");

        public Scratch()
        {
            Directory.CreateDirectory(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "s.db")};Pooling=False");
            Connection.Open();
            using var create = Connection.CreateCommand();
            create.CommandText = "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, n INTEGER) STRICT";
            create.ExecuteNonQuery();
        }

        public SqliteConnection Connection { get; }

        public long Rows(string where = "1")
        {
            using var count = Connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM t WHERE {where}";
            return (long)count.ExecuteScalar()!;
        }

        public void Dispose()
        {
            Statements.Forget(Connection);
            Connection.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private const string Insert = "INSERT INTO t (k, v, n) VALUES (@k, @v, @n)";

    [Test, Category(TestData.SqliteFile)]
    public async Task A_run_with_a_parameter_left_unbound_is_refused_and_the_next_binds_afresh()
    {
        using var s = new Scratch();
        var insert = s.Connection.Cached(null, Insert);
        insert.With("@k", "a").With("@v", "x").With("@n", 1).ExecuteNonQuery();
        // Bindings do not carry over from one run to the next: a forgotten one is an error, not the last run's value.
        await Assert.That(() => insert.With("@k", "b").With("@n", 2).ExecuteNonQuery())
            .Throws<InvalidOperationException>().WithMessageContaining("@v");
        await Assert.That(s.Rows()).IsEqualTo(1);
        await Assert.That(insert.With("@k", "b").With("@v", (string?)null).With("@n", 2).ExecuteNonQuery()).IsEqualTo(1);
        await Assert.That(s.Rows("k = 'b' AND v IS NULL")).IsEqualTo(1);
        await Assert.That(() => insert.With("@nope", 1)).Throws<ArgumentException>();
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_constraint_failure_throws_SQLites_error_and_leaves_the_statement_ready_and_the_transaction_committable()
    {
        using var s = new Scratch();
        using var transaction = s.Connection.BeginTransaction();
        var insert = s.Connection.Cached(transaction, Insert);
        insert.With("@k", "a").With("@v", "x").With("@n", 1).ExecuteNonQuery();
        var error = Assert.Throws<SqliteException>(() => insert.With("@k", "a").With("@v", "y").With("@n", 2).ExecuteNonQuery());
        await Assert.That(error.SqliteErrorCode).IsEqualTo(19); // SQLITE_CONSTRAINT
        await Assert.That(error.Message).Contains("UNIQUE constraint failed: t.k");
        await Assert.That(insert.With("@k", "b").With("@v", "y").With("@n", 2).ExecuteNonQuery()).IsEqualTo(1);
        transaction.Commit(); // would fail with a statement still in progress
        await Assert.That(s.Rows()).IsEqualTo(2);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_reader_stops_at_the_end_and_never_runs_its_statement_twice()
    {
        using var s = new Scratch();
        var returning = s.Connection.Cached(null, "INSERT INTO t (k, v, n) VALUES (@k, NULL, @n) RETURNING k, v, n");
        using (var rows = returning.With("@k", "a").With("@n", 7).ExecuteReader())
        {
            await Assert.That(rows.Read()).IsTrue();
            await Assert.That(rows.GetString(0)).IsEqualTo("a");
            await Assert.That(rows.IsDBNull(1)).IsTrue();
            await Assert.That(() => rows.GetString(1)).Throws<InvalidCastException>();
            await Assert.That(rows.GetInt64(2)).IsEqualTo(7);
            await Assert.That(rows.Read()).IsFalse();
            await Assert.That(rows.Read()).IsFalse(); // a step past the end would insert the row again
            await Assert.That(() => rows.GetInt64(0)).Throws<InvalidOperationException>();
        }
        await Assert.That(s.Rows()).IsEqualTo(1);
        var select = s.Connection.Cached(null, "SELECT n FROM t WHERE k = @k");
        await Assert.That(select.With("@k", "a").Long()).IsEqualTo(7);
        await Assert.That(select.With("@k", "none").Long()).IsNull();
        await Assert.That(s.Connection.Cached(null, "SELECT v FROM t WHERE k = @k").With("@k", "a").Long()).IsNull();
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Changes_count_rows_written_and_an_upsert_that_writes_nothing_counts_zero()
    {
        using var s = new Scratch();
        const string Upsert = "INSERT INTO t (k, v, n) VALUES (@k, 'v', @n) ON CONFLICT (k) DO UPDATE SET n = excluded.n WHERE t.n < excluded.n";
        var upsert = s.Connection.Cached(null, Upsert);
        await Assert.That(upsert.With("@k", "a").With("@n", 5).ExecuteNonQuery()).IsEqualTo(1);
        await Assert.That(upsert.With("@k", "a").With("@n", 3).ExecuteNonQuery()).IsEqualTo(0); // how a replayed nonce is told
        await Assert.That(upsert.With("@k", "a").With("@n", 9).ExecuteNonQuery()).IsEqualTo(1);
        await Assert.That(s.Connection.Cached(null, "SELECT n FROM t").ExecuteNonQuery()).IsEqualTo(-1);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Text_is_stored_as_the_same_UTF_8_whatever_its_characters()
    {
        using var s = new Scratch();
        const string Text = "Tür 😀 价格 \u0000 end";
        s.Connection.Cached(null, Insert).With("@k", "u").With("@v", Text).With("@n", 0).ExecuteNonQuery();
        using var hex = s.Connection.CreateCommand();
        hex.CommandText = "SELECT hex(v) FROM t WHERE k = 'u'";
        await Assert.That((string)hex.ExecuteScalar()!).IsEqualTo(Convert.ToHexString(Encoding.UTF8.GetBytes(Text)));
        using var rows = s.Connection.Cached(null, "SELECT v FROM t WHERE k = @k").With("@k", "u").ExecuteReader();
        await Assert.That(rows.Read()).IsTrue();
        await Assert.That(rows.GetString(0)).IsEqualTo(Text);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task Statements_are_kept_per_handle_until_forgotten()
    {
        using var s = new Scratch();
        var first = s.Connection.Cached(null, Insert);
        await Assert.That(s.Connection.Cached(null, Insert)).IsSameReferenceAs(first);
        await Assert.That(() => s.Connection.Cached(null, "SELECT 1; SELECT 2")).Throws<ArgumentException>();
        Statements.Forget(s.Connection);
        var second = s.Connection.Cached(null, Insert);
        await Assert.That(second).IsNotSameReferenceAs(first);
        await Assert.That(() => first.With("@k", "a")).Throws<ObjectDisposedException>();
        await Assert.That(second.With("@k", "a").With("@v", "b").With("@n", 1).ExecuteNonQuery()).IsEqualTo(1);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_handle_keeps_a_bounded_number_of_statements_and_one_being_read_survives_the_turnover()
    {
        using var s = new Scratch();
        s.Connection.Cached(null, Insert).With("@k", "a").With("@v", "x").With("@n", 1).ExecuteNonQuery();
        var reading = s.Connection.Cached(null, "SELECT k FROM t WHERE n >= @n");
        using var rows = reading.With("@n", 0).ExecuteReader();
        // More shapes than a handle keeps: the oldest are dropped, and the reader above is still good.
        for (var i = 0; i < Statements.MaxPerHandle + 10; i++)
            await Assert.That(s.Connection.Cached(null, $"SELECT @n + {i}").With("@n", 1).Long()).IsEqualTo(1 + i);
        await Assert.That(rows.Read()).IsTrue();
        await Assert.That(rows.GetString(0)).IsEqualTo("a");
        await Assert.That(s.Connection.Cached(null, "SELECT k FROM t WHERE n >= @n")).IsNotSameReferenceAs(reading);
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task An_empty_string_stays_an_empty_string()
    {
        using var s = new Scratch();
        s.Connection.Cached(null, Insert).With("@k", "e").With("@v", "").With("@n", 0).ExecuteNonQuery();
        await Assert.That(s.Rows("k = 'e' AND v = ''")).IsEqualTo(1);
        using var rows = s.Connection.Cached(null, "SELECT v FROM t WHERE k = @k").With("@k", "e").ExecuteReader();
        await Assert.That(rows.Read()).IsTrue();
        await Assert.That(rows.IsDBNull(0)).IsFalse();
        await Assert.That(rows.GetString(0)).IsEqualTo("");
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task What_an_abandoned_use_left_bound_or_open_never_reaches_the_next_use()
    {
        using var s = new Scratch();
        // A caller that threw between two binds: its values must not fill in for what the next caller forgot.
        s.Connection.Cached(null, Insert).With("@k", "a").With("@v", "stale");
        await Assert.That(() => s.Connection.Cached(null, Insert).With("@k", "b").With("@n", 1).ExecuteNonQuery())
            .Throws<InvalidOperationException>().WithMessageContaining("@v");
        await Assert.That(s.Rows()).IsEqualTo(0);

        s.Connection.Cached(null, Insert).With("@k", "a").With("@v", "x").With("@n", 1).ExecuteNonQuery();
        var select = s.Connection.Cached(null, "SELECT k FROM t");
        var open = select.ExecuteReader();
        await Assert.That(() => select.ExecuteReader()).Throws<InvalidOperationException>(); // one reader at a time
        await Assert.That(open.Read()).IsTrue();
        // A reader never disposed is closed by the statement's next use, and says so when read again.
        using var again = s.Connection.Cached(null, "SELECT k FROM t").ExecuteReader();
        await Assert.That(() => open.Read()).Throws<InvalidOperationException>();
        await Assert.That(again.Read()).IsTrue();
        await Assert.That(again.GetString(0)).IsEqualTo("a");
    }

    [Test, Category(TestData.SqliteFile)]
    public async Task A_handle_the_pool_closes_takes_its_statements_with_it_and_leaves_no_file_open()
    {
        var dir = TestData.NewDirectoryName("statements-pool");
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(dir, "p.db");
        try
        {
            using (var c = new SqliteConnection($"Data Source={file}"))
            {
                c.Open();
                using var create = c.CreateCommand();
                create.CommandText = "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, n INTEGER) STRICT";
                create.ExecuteNonQuery();
                c.Cached(null, Insert).With("@k", "a").With("@v", "x").With("@n", 1).ExecuteNonQuery();
                await Assert.That(c.Cached(null, "SELECT n FROM t WHERE k = @k").With("@k", "a").Long()).IsEqualTo(1);
            }
            await Assert.That(OpenFiles(file)).IsGreaterThan(0); // the handle waits in the pool
            SqliteConnection.ClearAllPools();
            // SQLite closes a handle only once its statements are finalized: the next handle to keep a statement sweeps
            // those of closed handles. Left to the garbage collector, the database file would still be open here.
            using (var other = new SqliteConnection($"Data Source={Path.Combine(dir, "q.db")};Pooling=False"))
            {
                other.Open();
                await Assert.That(other.Cached(null, "SELECT @n").With("@n", 3).Long()).IsEqualTo(3);
                await Assert.That(OpenFiles(file)).IsEqualTo(0);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static int OpenFiles(string file) =>
        new DirectoryInfo("/proc/self/fd").GetFiles().Count(fd => fd.LinkTarget is { } target && target.StartsWith(file, StringComparison.Ordinal));
}
